"""The sample outlets: seven WordPress-like news sites on reserved ``.test`` hostnames.

Each has a distinct role in the republication web (origin, republisher, wire agency, wire
client, uncredited copier, aggregator). ``quirks.test`` is separate (see ``quirks``).
"""

from __future__ import annotations

from .model import Outlet

SOUTHFRONT = Outlet(
    key="southfront",
    domain="southfront.test",
    host="southfront.test",
    name="South Front",
    tagline="Analysis & Intelligence",
    description="Military and political analysis, maps and video reports.",
    categories=(
        ("military-analysis", "Military Analysis"),
        ("middle-east", "Middle East"),
        ("world", "World"),
    ),
    disallowed_path="/members/donor-briefing/",
    disallowed_title="Donor briefing (members only)",
    accent="#b5121b",
    per_page=2,
    founded=2014,
)

GLOBALRESEARCH = Outlet(
    key="globalresearch",
    domain="globalresearch.test",
    host="www.globalresearch.test",
    name="Global Research",
    tagline="Centre for Research on Globalization",
    description="Independent research and news on globalization, war and the economy.",
    categories=(
        ("intelligence", "Intelligence"),
        ("global-economy", "Global Economy"),
        ("science-and-medicine", "Science and Medicine"),
    ),
    disallowed_path="/members/login-archive/",
    disallowed_title="Member archive",
    accent="#2a4d8f",
    per_page=3,
    language="en-CA",
    founded=2001,
)

STRATEGIC_CULTURE = Outlet(
    key="strategic_culture",
    domain="strategic-culture.test",
    host="strategic-culture.test",
    name="Strategic Culture Foundation",
    tagline="Online journal of strategic affairs",
    description="Commentary on geopolitics, energy and security in Eurasia.",
    categories=(("geopolitics", "Geopolitics"), ("energy", "Energy"), ("economy", "Economy")),
    disallowed_path="/editorial/drafts/",
    disallowed_title="Editorial drafts",
    accent="#444",
    founded=2005,
)

NEWSWIRE = Outlet(
    key="newswire",
    domain="newswire.test",
    host="newswire.test",
    name="Newswire Press",
    tagline="The wire for newsrooms",
    description="Breaking news, business and science wire for member newsrooms.",
    categories=(("business", "Business"), ("health", "Health"), ("science", "Science")),
    feed_format="atom",
    news_sitemap=True,
    amp=True,
    disallowed_path="/clients/embargoed/",
    disallowed_title="Embargoed copy (clients)",
    accent="#e36c0a",
    founded=1998,
)

DAILYLEDGER = Outlet(
    key="dailyledger",
    domain="dailyledger.test",
    host="dailyledger.test",
    name="The Daily Ledger",
    tagline="News you can keep",
    description="A daily newspaper covering the world, business and science.",
    categories=(("world", "World"), ("business", "Business"), ("science", "Science")),
    amp=True,
    disallowed_path="/e-edition/",
    disallowed_title="Today's e-edition",
    accent="#0b3d2e",
    founded=1921,
)

FREETHINKER = Outlet(
    key="freethinker",
    domain="freethinkerblog.test",
    host="freethinkerblog.test",
    name="Free Thinker Blog",
    tagline="Question everything",
    description="Independent voices on the news they don't want you to read.",
    categories=(("news", "News"), ("opinion", "Opinion")),
    feed_format="broken",
    disallowed_path="/patrons-only/",
    disallowed_title="Patrons-only posts",
    accent="#6a1b9a",
    founded=2016,
    per_page=3,
)

EURASIAMONITOR = Outlet(
    key="eurasiamonitor",
    domain="eurasiamonitor.test",
    host="eurasiamonitor.test",
    name="Eurasia Monitor",
    tagline="The region's news in one place",
    description="A digest of news and analysis from across Eurasia.",
    categories=(("digest", "Digest"), ("analysis", "Analysis"), ("markets", "Markets")),
    disallowed_path="/digest/unpublished/",
    disallowed_title="Unpublished digest",
    accent="#00695c",
    founded=2012,
    post_sitemap_size=4,
)

OUTLETS: tuple[Outlet, ...] = (
    SOUTHFRONT,
    GLOBALRESEARCH,
    STRATEGIC_CULTURE,
    NEWSWIRE,
    DAILYLEDGER,
    FREETHINKER,
    EURASIAMONITOR,
)
BY_KEY: dict[str, Outlet] = {o.key: o for o in OUTLETS}


def by_host(host: str) -> Outlet | None:
    """The outlet served at ``host`` (canonical or its www/bare twin), else ``None``."""
    host = host.lower().rstrip(".")
    bare = host.removeprefix("www.")
    for outlet in OUTLETS:
        if bare == outlet.domain:
            return outlet
    return None
