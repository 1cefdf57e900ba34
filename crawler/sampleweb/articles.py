"""Every article of the sample web and the republications planted between them.

Originals take their bodies from ``texts_analysis`` and ``texts_news``; copies are derived
from their origin here (verbatim, edited, excerpted, wire-trimmed), so that each copy and its
entry in ``RELATIONS`` are written side by side.

Exports ``ARTICLES`` (tuple of ``Article``), ``RELATIONS`` (list of ``Relation``),
``ATTRIBUTIONS``,
``INDEPENDENT_PAIRS``, ``CHAINS``, ``SITEMAP_404_PATHS`` and ``url_of``.
"""

from __future__ import annotations

from datetime import datetime

from .model import Article, Relation
from .outlets import BY_KEY
from .texts_analysis import SF_SUPPORT
from .texts_analysis import TEXTS as _A
from .texts_news import TEXTS as _N
from .wire import WIRE_ARTICLES, WIRE_INDEPENDENT_PAIRS

TEXTS = {**_A, **_N}


def dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def url_of(article: Article) -> str:
    """The article's canonical URL on its own outlet."""
    return BY_KEY[article.outlet].url(article.path)


def _path(outlet: str, slug: str, published: datetime, post_id: int) -> str:
    d = published
    if outlet == "globalresearch":
        return f"/{slug}/{post_id}"
    if outlet == "strategic_culture":
        return f"/news/{d:%Y/%m/%d}/{slug}/"
    if outlet in ("newswire", "dailyledger"):
        return f"/{d:%Y/%m/%d}/{slug}/"
    if outlet == "freethinker":
        return f"/{d:%Y/%m}/{slug}/"
    return f"/{slug}/"


def art(
    outlet: str,
    slug: str,
    title: str,
    published: str,
    author: str,
    category: str,
    tags: tuple[str, ...],
    paragraphs: tuple[str, ...],
    post_id: int,
    **kw,
) -> Article:
    when = dt(published)
    return Article(
        outlet=outlet,
        path=_path(outlet, slug, when, post_id),
        title=title,
        published=when,
        author=author,
        category=category,
        tags=tags,
        paragraphs=tuple(paragraphs),
        post_id=post_id,
        **kw,
    )


def _edit(paragraphs: tuple[str, ...], replacements: dict[str, str]) -> tuple[str, ...]:
    out = []
    for p in paragraphs:
        for old, new in replacements.items():
            p = p.replace(old, new)
        out.append(p)
    return tuple(out)


def _gr_header(
    origin_name: str,
    origin_url: str,
    origin_date: datetime,
    regions: tuple[str, ...],
    themes: tuple[str, ...],
) -> dict:
    return {
        "source_name": origin_name,
        "source_url": origin_url,
        "source_date": origin_date,
        "regions": regions,
        "themes": themes,
    }


def _gr_footer(source_name: str, source_url: str, holder: str, year: int) -> tuple[str, ...]:
    holder_md = f"[{holder}]({source_url})" if holder == source_name else holder
    return (
        f"The original source of this article is [{source_name}]({source_url})",
        f"Copyright © {holder_md}, [{source_name}]({source_url}), {year}",
    )


# ---------------------------------------------------------------- South Front (origins)
SF_VIDEO = "http://southfront.test/wp-content/uploads/video/26.10.20_Karabakh.mp4"

sf_karabakh = art(
    "southfront",
    "the-us-brokered-ceasefire-in-nagorno-karabakh-collapsed-within-hours",
    "The US-Brokered Ceasefire in Nagorno-Karabakh Collapsed Within Hours",
    "2020-10-27T13:40:00+03:00",
    "South Front",
    "military-analysis",
    ("nagorno-karabakh", "azerbaijan", "armenia", "video"),
    TEXTS["sf_karabakh"][:3] + (SF_VIDEO,) + TEXTS["sf_karabakh"][3:] + SF_SUPPORT,
    80112,
    subtitle="Baku and Yerevan Trade Blame as the Fighting Goes On in the South",
)
sf_idlib = art(
    "southfront",
    "russian-airstrikes-pound-militant-training-camp-in-northern-idlib",
    "Russian Airstrikes Pound Militant Training Camp in Northern Idlib",
    "2020-10-26T20:15:00+03:00",
    "South Front",
    "middle-east",
    ("syria", "idlib", "turkey"),
    TEXTS["sf_idlib"] + SF_SUPPORT,
    80087,
)
sf_drones = art(
    "southfront",
    "how-loitering-munitions-changed-the-war-in-the-south-caucasus",
    "How Loitering Munitions Changed the War in the South Caucasus",
    "2020-11-04T11:20:00+03:00",
    "South Front",
    "military-analysis",
    ("nagorno-karabakh", "drones", "azerbaijan"),
    TEXTS["sf_drones"] + SF_SUPPORT,
    80410,
)
sf_ever_given = art(
    "southfront",
    "ever-given-blockage-a-single-ship-exposes-the-fragility-of-global-trade",
    "Ever Given Blockage: A Single Ship Exposes the Fragility of Global Trade",
    "2021-03-26T17:05:00+03:00",
    "South Front",
    "world",
    ("suez-canal", "shipping", "egypt"),
    TEXTS["sf_ever_given"] + SF_SUPPORT,
    91233,
)
sf_black_sea = art(
    "southfront",
    "nato-reconnaissance-flights-multiply-over-the-black-sea",
    "NATO Reconnaissance Flights Multiply Over the Black Sea",
    "2021-04-15T15:30:00+03:00",
    "South Front",
    "military-analysis",
    ("black-sea", "nato", "crimea"),
    TEXTS["sf_black_sea"] + SF_SUPPORT,
    92017,
)
# Not in the sitemap or feed: reachable only through links.
sf_libya = art(
    "southfront",
    "libyan-rivals-sign-permanent-ceasefire-in-geneva",
    "Libyan Rivals Sign Permanent Ceasefire in Geneva",
    "2020-10-23T19:10:00+03:00",
    "South Front",
    "middle-east",
    ("libya", "turkey"),
    TEXTS["sf_libya"] + SF_SUPPORT,
    79950,
    in_sitemap=False,
)

# ------------------------------------------------------ Strategic Culture (origins)
scf_arms_control = art(
    "strategic_culture",
    "the-quiet-collapse-of-arms-control",
    "The Quiet Collapse of Arms Control",
    "2020-11-12T10:00:00+03:00",
    "Pavel Rudenko",
    "geopolitics",
    ("arms-control", "new-start", "united-states", "russia"),
    TEXTS["scf_arms_control"],
    55410,
)
scf_suez = art(
    "strategic_culture",
    "suez-blockage-shows-why-eurasia-wants-overland-routes",
    "Suez Blockage Shows Why Eurasia Wants Overland Routes",
    "2021-03-30T09:45:00+03:00",
    "Claire Bonnet",
    "economy",
    ("suez-canal", "belt-and-road", "shipping"),
    TEXTS["scf_suez"],
    57702,
)
scf_nord_stream = art(
    "strategic_culture",
    "nord-stream-2-and-europes-energy-sovereignty",
    "Nord Stream 2 and Europe's Energy Sovereignty",
    "2021-01-21T12:00:00+03:00",
    "Tom Ashworth",
    "energy",
    ("nord-stream-2", "germany", "sanctions"),
    TEXTS["scf_nord_stream"],
    56630,
)
scf_belarus = art(
    "strategic_culture",
    "belarus-after-the-election-a-standoff-without-end",
    "Belarus After the Election: A Standoff Without End",
    "2020-09-10T14:30:00+03:00",
    "Pavel Rudenko",
    "geopolitics",
    ("belarus", "russia", "european-union"),
    TEXTS["scf_belarus"],
    54388,
)
scf_water = art(
    "strategic_culture",
    "central-asias-coming-water-wars",
    "Central Asia's Coming Water Wars",
    "2020-12-10T11:15:00+03:00",
    "Claire Bonnet",
    "geopolitics",
    ("central-asia", "water", "climate"),
    TEXTS["scf_central_asia_water"],
    55980,
    in_sitemap=False,
)


# ------------------------------------------------------ Global Research originals
def _gr_original(
    slug: str,
    title: str,
    published: str,
    author: str,
    category: str,
    tags: tuple[str, ...],
    key: str,
    post_id: int,
    theme: str,
    **kw,
) -> Article:
    # Global Research credits itself on its own articles, with the same footer it uses for
    # crossposts: "The original source of this article is Global Research".
    when = dt(published)
    url = BY_KEY["globalresearch"].url(_path("globalresearch", slug, when, post_id))
    a = art(
        "globalresearch",
        slug,
        title,
        published,
        author,
        category,
        tags,
        TEXTS[key],
        post_id,
        tail=_gr_footer("Global Research", url, author, when.year),
        **kw,
    )
    a.extra.update(_gr_header("Global Research", url, when, ("Global",), (theme,)))
    return a


gr_pandemic = _gr_original(
    "the-pandemic-economy-who-pays-for-the-lockdowns",
    "The Pandemic Economy: Who Pays for the Lockdowns?",
    "2020-12-03T08:00:00-05:00",
    "Prof. Anna Whitfield",
    "global-economy",
    ("covid-19", "inequality", "central-banks"),
    "gr_pandemic_economy",
    5731200,
    "Global Economy",
)
gr_cbdc = _gr_original(
    "central-bank-digital-currencies-and-the-end-of-cash",
    "Central Bank Digital Currencies and the End of Cash",
    "2021-02-18T09:30:00-05:00",
    "Marcus Ellery",
    "global-economy",
    ("central-banks", "digital-currency", "privacy"),
    "gr_cbdc",
    5737740,
    "Global Economy",
)
gr_vaccine = _gr_original(
    "vaccine-patents-and-the-wto-waiver-debate",
    "Vaccine Patents and the WTO Waiver Debate",
    "2021-05-07T10:15:00-04:00",
    "Prof. Anna Whitfield",
    "science-and-medicine",
    ("covid-19", "wto", "patents"),
    "gr_vaccine_patents",
    5744100,
    "Science and Medicine",
)
gr_food = _gr_original(
    "wheat-fertiliser-and-the-coming-food-price-shock",
    "Wheat, Fertiliser and the Coming Food Price Shock",
    "2021-05-20T07:45:00-04:00",
    "Dr. Helen Marsh",
    "global-economy",
    ("food", "inflation", "fao"),
    "gr_food_prices",
    5745330,
    "Global Economy",
    in_sitemap=False,
)

# ------------------------------------------------------ Newswire Press (wire origins)
nw_opec = art(
    "newswire",
    "opec-agrees-modest-oil-output-increase-from-january",
    "OPEC+ Agrees Modest Oil Output Increase From January",
    "2020-12-03T16:40:00+00:00",
    "Newswire Press",
    "business",
    ("oil", "opec", "energy"),
    ("VIENNA (Newswire Press) — " + TEXTS["nw_opec"][0],) + TEXTS["nw_opec"][1:],
    300412,
    dateline="VIENNA (Newswire Press) —",
)
nw_eu_vaccine = art(
    "newswire",
    "eu-regulator-backs-second-covid-19-vaccine",
    "EU Regulator Backs Second COVID-19 Vaccine",
    "2021-01-06T15:20:00+00:00",
    "Newswire Press",
    "health",
    ("covid-19", "vaccines", "european-union"),
    ("AMSTERDAM (Newswire Press) — " + TEXTS["nw_eu_vaccine"][0],) + TEXTS["nw_eu_vaccine"][1:],
    301077,
    dateline="AMSTERDAM (Newswire Press) —",
)
nw_chips = art(
    "newswire",
    "chip-shortage-idles-car-plants-across-europe",
    "Chip Shortage Idles Car Plants Across Europe",
    "2021-02-10T09:00:00+00:00",
    "Newswire Press",
    "business",
    ("semiconductors", "autos", "supply-chain"),
    ("FRANKFURT (Newswire Press) — " + TEXTS["nw_chips"][0],) + TEXTS["nw_chips"][1:],
    301540,
    dateline="FRANKFURT (Newswire Press) —",
)
nw_mars = art(
    "newswire",
    "perseverance-rover-lands-on-mars",
    "Perseverance Rover Lands on Mars",
    "2021-02-18T21:05:00+00:00",
    "Newswire Press",
    "science",
    ("mars", "nasa", "space"),
    ("PASADENA, Calif. (Newswire Press) — " + TEXTS["nw_mars"][0],) + TEXTS["nw_mars"][1:],
    301733,
    dateline="PASADENA, Calif. (Newswire Press) —",
)

# ------------------------------------------------------ The Daily Ledger originals
dl_karabakh = art(
    "dailyledger",
    "fighting-resumes-in-nagorno-karabakh-hours-after-us-brokered-truce",
    "Fighting Resumes in Nagorno-Karabakh Hours After U.S.-Brokered Truce",
    "2020-10-26T19:30:00-04:00",
    "Sarah Lindqvist",
    "world",
    ("nagorno-karabakh", "armenia", "azerbaijan"),
    TEXTS["dl_karabakh"],
    710233,
)
dl_lumber = art(
    "dailyledger",
    "lumber-prices-hit-record-as-housing-boom-meets-mill-shutdowns",
    "Lumber Prices Hit Record as Housing Boom Meets Mill Shutdowns",
    "2021-05-05T06:00:00-04:00",
    "Daniel Ortega Reyes",
    "business",
    ("housing", "lumber", "inflation"),
    TEXTS["dl_lumber"],
    735560,
)
dl_heatwave = art(
    "dailyledger",
    "pacific-northwest-heat-wave-shatters-temperature-records",
    "Pacific Northwest Heat Wave Shatters Temperature Records",
    "2021-06-29T07:15:00-04:00",
    "Sarah Lindqvist",
    "science",
    ("climate", "heat-wave", "weather"),
    TEXTS["dl_heatwave"],
    739901,
    modified=dt("2021-06-29T18:40:00-04:00"),
)
dl_fusion = art(
    "dailyledger",
    "fusion-experiment-nears-ignition-milestone",
    "Fusion Experiment Nears Ignition Milestone",
    "2021-08-17T11:00:00-04:00",
    "Priya Natarajan",
    "science",
    ("fusion", "energy", "physics"),
    TEXTS["dl_fusion"],
    744018,
    in_sitemap=False,
)

# ------------------------------------------------------ Blog and digest originals
ftb_evening_news = art(
    "freethinker",
    "why-i-stopped-watching-the-evening-news",
    "Why I Stopped Watching the Evening News",
    "2021-01-15T21:00:00-06:00",
    "truthseeker77",
    "opinion",
    ("media", "about"),
    TEXTS["ftb_evening_news"],
    1187,
)
em_caspian = art(
    "eurasiamonitor",
    "caspian-pipeline-consortium-reports-record-first-half-shipments",
    "Caspian Pipeline Consortium Reports Record First-Half Shipments",
    "2021-07-08T13:00:00+02:00",
    "Eurasia Monitor staff",
    "markets",
    ("kazakhstan", "oil", "black-sea"),
    TEXTS["em_caspian"],
    20915,
)

RELATIONS: list[Relation] = []
# copy URL -> the attribution statement it carries (credited copies only)
ATTRIBUTIONS: dict[str, str] = {}


def _rel(
    copy: Article, origin: Article, kind: str, credited: bool, attribution: str | None = None
) -> None:
    RELATIONS.append(Relation(url_of(copy), url_of(origin), kind, credited))
    if attribution:
        ATTRIBUTIONS[url_of(copy)] = attribution


# ---------------------------------------------- 1. South Front → Global Research (flagship)
gr_karabakh = art(
    "globalresearch",
    "video-the-us-brokered-ceasefire-in-nagorno-karabakh-collapsed-within-hours",
    "Video: The US-Brokered Ceasefire in Nagorno-Karabakh Collapsed Within Hours",
    "2020-10-28T09:12:00-04:00",
    "South Front",
    "intelligence",
    ("asia", "europe", "nagorno-karabakh"),
    sf_karabakh.paragraphs,
    5728069,
    subtitle=sf_karabakh.subtitle,
    tail=_gr_footer("South Front", url_of(sf_karabakh), "South Front", 2020),
)
gr_karabakh.extra.update(
    _gr_header(
        "South Front",
        url_of(sf_karabakh),
        sf_karabakh.published,
        ("Asia", "Europe"),
        ("Intelligence", "Militarization and WMD"),
    )
)
_rel(
    gr_karabakh,
    sf_karabakh,
    "attributed-copy",
    True,
    "The original source of this article is South Front",
)

gr_idlib = art(
    "globalresearch",
    "russian-airstrikes-pound-militant-training-camp-in-northern-idlib",
    "Russian Airstrikes Pound Militant Training Camp in Northern Idlib",
    "2020-10-27T11:00:00-04:00",
    "South Front",
    "intelligence",
    ("middle-east", "syria"),
    sf_idlib.paragraphs,
    5728010,
    tail=_gr_footer("South Front", url_of(sf_idlib), "South Front", 2020),
)
gr_idlib.extra.update(
    _gr_header(
        "South Front",
        url_of(sf_idlib),
        sf_idlib.published,
        ("Middle East & North Africa",),
        ("Intelligence", "Terrorism"),
    )
)
_rel(
    gr_idlib,
    sf_idlib,
    "attributed-copy",
    True,
    "The original source of this article is South Front",
)

# ---------------------------------------------- 2. Edited copy without credit
ftb_drones = art(
    "freethinker",
    "kamikaze-drones-just-changed-warfare-forever",
    "Kamikaze Drones Just Changed Warfare Forever",
    "2020-11-06T22:15:00-06:00",
    "truthseeker77",
    "news",
    ("war", "drones"),
    (
        (
            "The mainstream media barely covered it, but the war in Karabakh has just shown us what "
            "every future war is going to look like. Here is what happened, and why it matters."
        ),
    )
    + _edit(
        tuple(p for i, p in enumerate(TEXTS["sf_drones"]) if i != 4),
        {
            "loitering munitions and armed drones": "kamikaze drones and armed UAVs",
            "relentlessly": "without mercy",
            "The footage released by the Azerbaijani defence ministry tells the story.": "Just look at the videos Baku keeps posting.",
            "often before their crews understood that they were being watched": "often before the crews even knew they were being watched",
            "Cheap unmanned systems have changed the arithmetic of attrition.": "Cheap drones have completely changed the math of war.",
            "The answer will not be a single weapon.": "There is no magic weapon against this.",
        },
    ),
    1042,
)
_rel(ftb_drones, sf_drones, "edited-copy", False)

ftb_vaccine = art(
    "freethinker",
    "big-pharma-vs-the-world-the-vaccine-patent-fight",
    "Big Pharma vs. the World: The Vaccine Patent Fight",
    "2021-05-09T10:30:00-05:00",
    "truthseeker77",
    "news",
    ("covid-19", "big-pharma"),
    gr_vaccine.paragraphs,
    1290,
)
_rel(ftb_vaccine, gr_vaccine, "copy", False)

ftb_belarus = art(
    "freethinker",
    "belarus-after-the-election-a-standoff-without-end",
    "Belarus After the Election: A Standoff Without End",
    "2020-09-12T09:00:00-05:00",
    "Pavel Rudenko",
    "news",
    ("belarus", "russia"),
    scf_belarus.paragraphs,
    988,
    tail=(
        f"This article first appeared on [Strategic Culture Foundation]({url_of(scf_belarus)}).",
    ),
)
_rel(
    ftb_belarus,
    scf_belarus,
    "attributed-copy",
    True,
    "This article first appeared on Strategic Culture Foundation",
)

# ---------------------------------------------- 3. Excerpt with a read-more link
_ns = scf_nord_stream.paragraphs
em_nord_stream = art(
    "eurasiamonitor",
    "nord-stream-2-and-europes-energy-sovereignty",
    "Nord Stream 2 and Europe's Energy Sovereignty",
    "2021-01-22T09:00:00+02:00",
    "Tom Ashworth",
    "analysis",
    ("nord-stream-2", "germany"),
    _ns[: max(1, len(_ns) // 3)],
    20411,
    tail=(f"Read more at [Strategic Culture Foundation]({url_of(scf_nord_stream)})",),
)
_rel(em_nord_stream, scf_nord_stream, "excerpt", True, "Read more at Strategic Culture Foundation")

# ---------------------------------------------- 4. Chain: SCF → Global Research → Eurasia Monitor
gr_arms = art(
    "globalresearch",
    "the-quiet-collapse-of-arms-control",
    "The Quiet Collapse of Arms Control",
    "2020-11-14T07:30:00-05:00",
    "Pavel Rudenko",
    "intelligence",
    ("usa", "russia-and-fsu", "arms-control"),
    scf_arms_control.paragraphs,
    5729444,
    tail=_gr_footer(
        "Strategic Culture Foundation", url_of(scf_arms_control), "Pavel Rudenko", 2020
    ),
)
gr_arms.extra.update(
    _gr_header(
        "Strategic Culture Foundation",
        url_of(scf_arms_control),
        scf_arms_control.published,
        ("USA", "Russia and FSU"),
        ("Militarization and WMD",),
    )
)
_rel(
    gr_arms,
    scf_arms_control,
    "chain",
    True,
    "The original source of this article is Strategic Culture Foundation",
)

em_arms = art(
    "eurasiamonitor",
    "the-quiet-collapse-of-arms-control",
    "The Quiet Collapse of Arms Control",
    "2020-11-16T12:00:00+02:00",
    "Pavel Rudenko",
    "analysis",
    ("arms-control", "russia"),
    scf_arms_control.paragraphs,
    20077,
    tail=(f"This article was originally published on [Global Research]({url_of(gr_arms)}).",),
)
_rel(em_arms, gr_arms, "chain", True, "This article was originally published on Global Research")

# ---------------------------------------------- 5. Same event, independent text (no relation)
INDEPENDENT_PAIRS: tuple[tuple[str, str], ...] = (
    (url_of(sf_karabakh), url_of(dl_karabakh)),
    (url_of(sf_ever_given), url_of(scf_suez)),
    *WIRE_INDEPENDENT_PAIRS,
)


# ---------------------------------------------- 6. Wire copy
def _wire(
    origin: Article,
    outlet: str,
    slug: str,
    title: str,
    published: str,
    category: str,
    post_id: int,
    keep: int | None = None,
) -> Article:
    # Clients trim wire copy from the bottom, as copy editors do for space.
    body = origin.paragraphs[:keep] if keep else origin.paragraphs
    copy = art(
        outlet,
        slug,
        title,
        published,
        "Newswire Press",
        category,
        origin.tags[:2],
        body,
        post_id,
        dateline=origin.dateline,
    )
    _rel(copy, origin, "wire", True, "(Newswire Press) —")
    return copy


dl_opec = _wire(
    nw_opec,
    "dailyledger",
    "opec-agrees-to-raise-oil-output-from-january",
    "OPEC+ Agrees to Raise Oil Output From January",
    "2020-12-03T13:05:00-05:00",
    "business",
    722410,
)
em_opec = _wire(
    nw_opec,
    "eurasiamonitor",
    "opec-agrees-modest-oil-output-increase",
    "OPEC+ Agrees Modest Oil Output Increase",
    "2020-12-03T21:10:00+02:00",
    "markets",
    20198,
    keep=5,
)
ftb_opec = _wire(
    nw_opec,
    "freethinker",
    "opec-cartel-agrees-to-pump-more-oil",
    "OPEC+ Cartel Agrees to Pump More Oil",
    "2020-12-04T08:00:00-06:00",
    "news",
    1103,
    keep=4,
)
dl_eu_vaccine = _wire(
    nw_eu_vaccine,
    "dailyledger",
    "eu-regulator-backs-moderna-vaccine",
    "EU Regulator Backs Moderna Vaccine",
    "2021-01-06T12:45:00-05:00",
    "science",
    726001,
)
dl_chips = _wire(
    nw_chips,
    "dailyledger",
    "chip-shortage-idles-european-car-plants",
    "Chip Shortage Idles European Car Plants",
    "2021-02-10T08:30:00-05:00",
    "business",
    728340,
    keep=5,
)

# ---------------------------------------------- 7. Attribution variety
em_black_sea = art(
    "eurasiamonitor",
    "nato-reconnaissance-flights-multiply-over-the-black-sea",
    "NATO Reconnaissance Flights Multiply Over the Black Sea",
    "2021-04-16T08:20:00+02:00",
    "Eurasia Monitor staff",
    "digest",
    ("black-sea", "nato"),
    TEXTS["sf_black_sea"],
    20702,
    tail=(f"Source: [{url_of(sf_black_sea)}]({url_of(sf_black_sea)})",),
)
_rel(em_black_sea, sf_black_sea, "attributed-copy", True, f"Source: {url_of(sf_black_sea)}")

em_libya = art(
    "eurasiamonitor",
    "libyan-rivals-sign-permanent-ceasefire-in-geneva",
    "Libyan Rivals Sign Permanent Ceasefire in Geneva",
    "2020-10-24T10:00:00+02:00",
    "Eurasia Monitor staff",
    "digest",
    ("libya",),
    TEXTS["sf_libya"],
    20031,
    tail=(
        (
            f"via [South Front]({url_of(sf_libya)}?utm_source=eurasiamonitor&utm_medium=referral"
            "&utm_campaign=digest)"
        ),
    ),
)
_rel(em_libya, sf_libya, "attributed-copy", True, "via South Front")

scf_cbdc = art(
    "strategic_culture",
    "central-bank-digital-currencies-and-the-end-of-cash",
    "Central Bank Digital Currencies and the End of Cash",
    "2021-02-20T10:00:00+03:00",
    "Marcus Ellery",
    "economy",
    ("digital-currency", "central-banks"),
    gr_cbdc.paragraphs,
    56990,
    tail=(f"Republished from [Global Research]({url_of(gr_cbdc)}) with the author's permission.",),
)
_rel(scf_cbdc, gr_cbdc, "attributed-copy", True, "Republished from Global Research")

em_lumber = art(
    "eurasiamonitor",
    "lumber-prices-hit-record-as-housing-boom-meets-mill-shutdowns",
    "Lumber Prices Hit Record as Housing Boom Meets Mill Shutdowns",
    "2021-05-06T07:40:00+02:00",
    "Daniel Ortega Reyes",
    "markets",
    ("lumber", "housing"),
    dl_lumber.paragraphs,
    20810,
    canonical=url_of(dl_lumber),
)
_rel(em_lumber, dl_lumber, "canonical-copy", False)

ARTICLES: tuple[Article, ...] = (
    sf_karabakh,
    sf_idlib,
    sf_drones,
    sf_ever_given,
    sf_black_sea,
    sf_libya,
    gr_karabakh,
    gr_idlib,
    gr_arms,
    gr_pandemic,
    gr_cbdc,
    gr_vaccine,
    gr_food,
    scf_arms_control,
    scf_suez,
    scf_nord_stream,
    scf_belarus,
    scf_water,
    scf_cbdc,
    nw_opec,
    nw_eu_vaccine,
    nw_chips,
    nw_mars,
    dl_karabakh,
    dl_opec,
    dl_eu_vaccine,
    dl_chips,
    dl_lumber,
    dl_heatwave,
    dl_fusion,
    ftb_drones,
    ftb_vaccine,
    ftb_belarus,
    ftb_opec,
    ftb_evening_news,
    em_nord_stream,
    em_arms,
    em_opec,
    em_black_sea,
    em_libya,
    em_lumber,
    em_caspian,
    *WIRE_ARTICLES,
)

CHAINS: tuple[tuple[str, ...], ...] = (
    (url_of(scf_arms_control), url_of(gr_arms), url_of(em_arms)),
)

FLAGSHIP: tuple[str, str] = (url_of(gr_karabakh), url_of(sf_karabakh))

# Sitemap entries for posts that were deleted: the URL answers 404.
SITEMAP_404_PATHS: dict[str, str] = {
    "southfront": "/syrian-army-repels-militant-attack-near-saraqib/",
    "eurasiamonitor": "/kyrgyz-parliament-vote-postponed/",
}
