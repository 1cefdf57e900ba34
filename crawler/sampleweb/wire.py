"""A wire story from an agency outside the sample web, run by four of its outlets.

The Associated Press is not one of the sample outlets: its story reaches readers only through
the sites that run it, each crediting the agency the way real sites do — a dateline
("REYKJAVIK, Iceland (AP) —"), a byline ("By The Associated Press", also the page's JSON-LD
author), a closing line that is only the agency's abbreviation ("AP") — and one copy that
credits nobody and was lightly edited. A separate analysis of the same eruption, in its own
words, is no copy of anything.

Exports ``WIRE_ARTICLES`` (the copies, then the independent article), ``WIRE_STORY`` (the
ground truth, a ``WireStory``), ``WIRE_RELATIONS`` (its republications; a credited copy's
``origin_url`` is the agency's domain) and ``WIRE_INDEPENDENT_PAIRS``. Prose written for the sample
web; the event is real, the wording is not taken from any published article.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from .model import Article, Relation, markup_to_text
from .outlets import BY_KEY


class WireStory(NamedTuple):
    """One agency story and who ran it.

    ``credits`` maps each crediting copy's URL to ``(form, statement)``: where a reader sees
    the credit (``dateline``, ``byline``, ``sign-off``) and the words that carry it.
    ``uncredited`` maps each copy that names no source to the member it was taken from (the
    one whose text and cut it carries); ``independent`` articles cover the same event in
    their own words.
    """

    agency: str  # registry name
    agency_kind: str
    agency_outlet: str  # the agency's domain (not crawled)
    credits: dict[str, tuple[str, str]]
    uncredited: dict[str, str]
    independent: tuple[str, ...]

    @property
    def copies(self) -> tuple[str, ...]:
        return (*self.credits, *self.uncredited)


STORY: tuple[str, ...] = (
    (
        "A volcano on Iceland's Reykjanes Peninsula erupted on Friday evening, sending lava "
        "fountains into the night sky about 30 kilometres from the capital after weeks of "
        "earthquakes that had kept residents of the region awake."
    ),
    (
        "The Icelandic Meteorological Office said the eruption began shortly before 9 p.m. in "
        "Geldingadalur, a remote valley near Mount Fagradalsfjall, and that the fissure was "
        "about 500 metres long. It was the first eruption on the peninsula in nearly 800 years."
    ),
    (
        "Civil defence officials said the eruption was small and posed no immediate threat to "
        "people or property. The nearest town, Grindavik, lies about ten kilometres away, and "
        "the Keflavik international airport remained open, with no ash cloud expected to "
        "disrupt flights."
    ),
    (
        "Police closed the roads leading to the area and urged people not to set out for the "
        "site, warning that gases released by the lava could gather in the valley and become "
        "dangerous to anyone who came too close, especially with the wind dropping overnight."
    ),
    (
        "More than 40,000 earthquakes had been recorded on the peninsula since late February, "
        "several of them strong enough to be felt in Reykjavik. Scientists had warned that "
        "magma was moving beneath the surface and that an eruption could follow within days."
    ),
    (
        "A coast guard helicopter carrying scientists flew over the fissure during the night. "
        "A geophysicist on board said the lava was flowing slowly into the valley and that the "
        "eruption looked likely to stay contained, though it could last for weeks or months."
    ),
    (
        "Iceland, which sits on the boundary between the North American and Eurasian tectonic "
        "plates, has about 30 active volcanic systems. The 2010 eruption of Eyjafjallajokull "
        "sent ash high into the atmosphere and grounded more than 100,000 flights across Europe."
    ),
    (
        "Residents of Reykjavik reported seeing a red glow on the horizon, and several said on "
        "social media that they had driven toward the peninsula before the police closed the "
        "roads, hoping to catch sight of the first eruption near the capital in living memory."
    ),
)
DATELINE = "REYKJAVIK, Iceland (AP) —"

# The uncredited copy: a blog's light edit (a new opening line, a few words changed, the
# last paragraph cut), with nothing that names the agency.
_EDITS = {
    "on Friday evening": "late on Friday",
    "kept residents of the region awake": "kept people in the region on edge for weeks",
    "posed no immediate threat": "did not pose any immediate threat",
    "urged people not to set out for the site": "told people to stay away from the site",
    "Scientists had warned": "Experts had been warning",
}

INDEPENDENT: tuple[str, ...] = (
    (
        "The glowing fissure in Geldingadalur has drawn crowds of sightseers, but its larger "
        "meaning for Iceland lies underground. The same heat that fed the eruption warms most "
        "of the country's homes and drives a quarter of its electricity supply."
    ),
    (
        "Reykjanes is home to two of the island's biggest geothermal plants, Svartsengi and "
        "Reykjanesvirkjun, which pipe hot water to the towns of the south-west and to the "
        "famous Blue Lagoon spa. Engineers there have spent a month checking wells and pipelines "
        "for damage from the earthquake swarm that preceded the lava."
    ),
    (
        "For energy planners the eruption is a reminder that cheap heat and volcanic risk are "
        "two sides of one bargain. Insurance against lava flows, once a theoretical line in "
        "the budgets of the utilities, is now a topic for their boards and for parliament."
    ),
    (
        "The episode also revives an old debate about exporting Iceland's surplus power. A "
        "subsea cable to Britain has been studied for a decade, but investors balk at the "
        "cost, and residents question whether a small nation should sell energy abroad."
    ),
    (
        "Aluminium smelters, which consume most of the electricity generated on the island, "
        "watched the seismic data closely in March. A prolonged outage of the grid on the "
        "peninsula would have forced them to cut production within hours, at great expense."
    ),
    (
        "Geologists now speak of a new volcanic era on Reykjanes that could last centuries, "
        "with eruptions every few decades. How the country builds roads, pipelines and homes "
        "there will have to change, and the geothermal industry will have to plan around it."
    ),
)


def _article(
    outlet: str,
    path: str,
    title: str,
    published: str,
    author: str,
    category: str,
    tags: tuple[str, ...],
    paragraphs: tuple[str, ...],
    post_id: int,
    **kw,
) -> Article:
    return Article(
        outlet=outlet,
        path=path,
        title=title,
        published=datetime.fromisoformat(published),
        author=author,
        category=category,
        tags=tags,
        paragraphs=paragraphs,
        post_id=post_id,
        **kw,
    )


def url_of(article: Article) -> str:
    return BY_KEY[article.outlet].url(article.path)


def _edited(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for p in paragraphs:
        for old, new in _EDITS.items():
            p = p.replace(old, new)
        out.append(p)
    return tuple(out)


_TAGS = ("iceland", "volcano", "earthquakes")

# Dateline: the agency's own opening words, as most client papers print them.
dl_volcano = _article(
    "dailyledger",
    "/2021/03/19/volcano-erupts-near-icelands-capital-after-weeks-of-earthquakes/",
    "Volcano Erupts Near Iceland's Capital After Weeks of Earthquakes",
    "2021-03-19T19:30:00-04:00",
    "Ledger Wire Desk",
    "world",
    _TAGS,
    (f"{DATELINE} {STORY[0]}",) + STORY[1:],
    731220,
)
# Byline (also the page's author metadata and JSON-LD author), without the dateline.
em_volcano = _article(
    "eurasiamonitor",
    "/volcano-erupts-on-icelands-reykjanes-peninsula/",
    "Volcano Erupts on Iceland's Reykjanes Peninsula",
    "2021-03-20T08:15:00+02:00",
    "The Associated Press",
    "digest",
    _TAGS[:2],
    STORY[:6],
    20655,
)
# Sign-off: a last line that is only the agency's abbreviation.
sf_volcano = _article(
    "southfront",
    "/lava-fountains-light-up-the-sky-as-icelandic-volcano-erupts/",
    "Lava Fountains Light Up the Sky as Icelandic Volcano Erupts",
    "2021-03-20T09:40:00+03:00",
    "South Front",
    "world",
    _TAGS,
    STORY[:7],
    91480,
    tail=("AP",),
)
# No credit at all, lightly edited: the blog took South Front's page (its seven paragraphs)
# and left out the closing "AP".
ftb_volcano = _article(
    "freethinker",
    "/2021/03/a-volcano-just-woke-up-next-to-reykjavik/",
    "A Volcano Just Woke Up Next to Reykjavik",
    "2021-03-20T10:00:00-05:00",
    "truthseeker77",
    "news",
    ("iceland", "volcano"),
    ("Nobody on the evening news will tell you how close this one came. Read it for yourself.",)
    + _edited(STORY[:7]),
    1244,
)
# The same eruption, reported in the outlet's own words: not a copy.
scf_volcano = _article(
    "strategic_culture",
    "/news/2021/03/22/icelands-volcano-and-the-price-of-geothermal-power/",
    "Iceland's Volcano and the Price of Geothermal Power",
    "2021-03-22T11:00:00+03:00",
    "Claire Bonnet",
    "energy",
    ("iceland", "geothermal", "energy"),
    INDEPENDENT,
    57390,
)

WIRE_ARTICLES: tuple[Article, ...] = (dl_volcano, em_volcano, sf_volcano, ftb_volcano, scf_volcano)

WIRE_STORY = WireStory(
    agency="Associated Press",
    agency_kind="wire",
    agency_outlet="apnews.com",
    credits={
        url_of(dl_volcano): ("dateline", DATELINE),
        url_of(em_volcano): ("byline", "By The Associated Press"),
        url_of(sf_volcano): ("sign-off", "AP"),
    },
    uncredited={url_of(ftb_volcano): url_of(sf_volcano)},
    independent=(url_of(scf_volcano),),
)

WIRE_INDEPENDENT_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (url_of(scf_volcano), copy) for copy in WIRE_STORY.copies
)


# The republications the store should find: each crediting copy from the agency (the agency's
# domain stands for its story, which no sample outlet holds), the edit from its member.
WIRE_RELATIONS: tuple[Relation, ...] = (
    *(Relation(url, WIRE_STORY.agency_outlet, "agency-copy", True) for url in WIRE_STORY.credits),
    *(Relation(url, src, "edited-copy", False) for url, src in WIRE_STORY.uncredited.items()),
)


def story_text(url: str) -> str:
    """The visible text of one of this module's articles (body and credit lines)."""
    a = next(a for a in WIRE_ARTICLES if url_of(a) == url)
    return "\n\n".join(markup_to_text(p) for p in a.paragraphs + a.tail)
