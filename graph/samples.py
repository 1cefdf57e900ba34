"""A small hand-built record set modelled on a real crosspost, for tests, demos and docs.

South Front publishes an article; Global Research republishes it a day later ending with
"The original source of this article is South Front"; a third site runs an edited copy that
credits nobody; a fourth quotes an excerpt; a fifth copies Global Research's version and
credits Global Research (a chain); and an unrelated article covers the same event in its own
words (not a copy). A wire story runs on three outlets with a dateline.
"""

from __future__ import annotations

from .records import Article, Attribution, Match

SF = "https://southfront.org/us-elections-and-the-collapse-of-trust/"
GR = "https://www.globalresearch.ca/us-elections-collapse-trust/5728001"
EDITED = "https://edited-news.test/2020/10/29/elections-trust/"
EXCERPT = "https://excerpt-daily.test/briefs/elections-trust"
CHAIN = "https://chain-reposts.test/posts/elections-trust"
SAME_EVENT = "https://independent-view.test/2020/10/27/election-analysis/"
WIRE = "https://wire-agency.test/2020/11/02/summit-opens"
WIRE_1 = "https://daily-one.test/world/summit-opens"
WIRE_2 = "https://daily-two.test/news/2020/11/02/summit"


def sample_records() -> tuple[list[Article], list[Match], list[Attribution]]:
    """Articles, matches and attributions of the sample story families."""
    articles = [
        Article(
            SF,
            "southfront.org",
            "US Elections and the Collapse of Trust",
            "2020-10-27T10:00:00+00:00",
            "jsonld",
            "2020-10-27T12:00:00Z",
            "South Front",
        ),
        Article(
            GR,
            "globalresearch.ca",
            "US Elections and the Collapse of Trust",
            "2020-10-28T10:00:00+00:00",
            "jsonld",
            "2020-10-28T11:00:00Z",
            "Global Research",
        ),
        Article(
            EDITED,
            "edited-news.test",
            "Collapse of trust ahead of the vote",
            "2020-10-29",
            "htmldate",
            "2020-10-29T08:00:00Z",
            "Edited News",
        ),
        Article(
            EXCERPT,
            "excerpt-daily.test",
            "Brief: trust and the elections",
            "2020-10-30",
            "htmldate",
            None,
            "Excerpt Daily",
        ),
        Article(
            CHAIN,
            "chain-reposts.test",
            "US Elections and the Collapse of Trust",
            None,
            None,
            "2020-10-31T09:30:00Z",
            "Chain Reposts",
        ),
        Article(
            SAME_EVENT,
            "independent-view.test",
            "What the election polls say",
            "2020-10-27",
            "jsonld",
            None,
            "Independent View",
        ),
        Article(WIRE, "wire-agency.test", "Summit opens", "2020-11-02T06:00:00Z", "jsonld"),
        Article(WIRE_1, "daily-one.test", "Summit opens", "2020-11-02T08:15:00Z", "jsonld"),
        Article(WIRE_2, "daily-two.test", "Summit opens in the capital", "2020-11-02", "htmldate"),
    ]
    matches = [
        Match(SF, GR, 0.91, 0.99, 0.92, "near-duplicate"),
        Match(SF, EDITED, 0.74, 0.83, 0.86, "near-duplicate"),
        Match(GR, EDITED, 0.70, 0.80, 0.85, "near-duplicate"),
        Match(EXCERPT, SF, 0.22, 0.97, 0.22, "excerpt"),
        Match(EXCERPT, GR, 0.20, 0.97, 0.20, "excerpt"),
        Match(GR, CHAIN, 0.96, 0.97, 0.99, "near-duplicate"),
        Match(SF, CHAIN, 0.88, 0.98, 0.90, "near-duplicate"),
        Match(WIRE, WIRE_1, 0.95, 0.97, 0.98, "near-duplicate"),
        Match(WIRE, WIRE_2, 0.81, 0.97, 0.82, "expanded"),
        Match(WIRE_1, WIRE_2, 0.80, 0.96, 0.81, "expanded"),
    ]
    attributions = [
        Attribution(
            GR,
            "original-source",
            "The original source of this article is South Front",
            "southfront.org",
            SF,
            "2020-10-27",
        ),
        Attribution(
            CHAIN,
            "republished",
            "This article was republished from Global Research",
            "globalresearch.ca",
            None,
        ),
        Attribution(WIRE_1, "wire-dateline", "GENEVA (Wire Agency) —", "wire-agency.test"),
        Attribution(WIRE_2, "wire-dateline", "GENEVA (Wire Agency) —", "wire-agency.test"),
    ]
    return articles, matches, attributions
