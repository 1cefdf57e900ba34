"""Labelled credits and wire families (benchmarks/labels/), and how a found credit is scored
against them. Pure: no crawler imports, so the scoring is tested on hand-made cases.

A credit is scored by *who* it credits: a found credit matches a label on the same page when
both name the same party (an agency by any of its names, an outlet by name or domain).
``form`` (byline, dateline, footer, ...) is scored separately, where the parser reports one.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

LABELS = Path(__file__).resolve().parent / "labels"
CREDITS_FILE = LABELS / "credits_pages.csv"
FAMILIES_FILE = LABELS / "wire_families.csv"
CONSTRUCTED_FILE = LABELS / "credits_constructed.csv"

#: Forms of credit a reader sees (is_credit=1 rows).
CREDIT_FORMS = (
    "byline", "dateline", "sign-off", "footer", "contributed", "copyright", "provider-label",
    "metadata", "canonical", "via", "courtesy", "excerpt", "print-issue",
)  # fmt: skip
#: Look-alikes that are not credits (is_credit=0 rows); ``none`` marks a page with no credit.
NON_CREDIT_FORMS = (
    "none", "photo", "in-story", "related", "affiliation", "copyright", "metadata", "footer",
    "dateline", "contributed", "courtesy", "sign-off", "byline",
)  # fmt: skip
#: Datasets whose pages carry every credit and look-alike labelled: precision is measured there.
COMPLETE_DATASETS = (
    "fundus",
    "trafilatura_eval_en",
    "fakenewscorpus_sample",
    "articlecomparisons_pages",
)

# One party, many names: the agencies as the labelled pages write them. Written out here (not
# taken from the parser's registry) so that a registry mistake cannot score itself correct.
_ALIASES = (
    ("associatedpress", "theassociatedpress", "ap", "apnews", "apnewscom", "apimages"),
    ("reuters", "thomsonreuters", "reuterscom", "rts", "rtr"),
    ("afp", "agencefrancepresse", "afpcom", "afpdeutschland"),
    ("dpa", "deutschepresseagentur", "dpainfocom", "dpanews"),
    ("xinhua", "新华社", "xinhuanet", "xinhuanewsagency"),
    ("anadoluajansi", "anadoluagency", "aa", "aacomtr", "anadolu"),
    ("cnn", "cablenewsnetwork", "cnncom", "cnnwire"),
    ("thewashingtonpost", "washingtonpost", "washingtonpostcom"),
    ("thenewyorktimes", "newyorktimes", "nytimes", "nytimescom"),
    ("thenewyorkpost", "newyorkpost", "nypost", "nypostcom"),
    ("bloomberg", "bloombergnews", "bloombergcom"),
    ("thecanadianpress", "canadianpress", "cp"),
    ("sda", "keystonesda", "schweizerischedepeschenagentur"),
    ("apa", "austriapresseagentur"),
    ("sid", "sportinformationsdienst"),
    ("efe", "agenciaefe", "efecom"),
    ("jiji", "jijipress"),
    ("thefinancialtimes", "financialtimes", "ft", "ftcom"),
    ("theguardian", "guardian", "theguardiancom"),
    ("vice", "viceus", "vicecom"),
    ("shtfplan", "shtfplancom"),
    ("thedailysheeple", "thedailysheeplecom", "dailysheeple"),
    ("zerohedge", "zerohedgecom"),
    ("marlerblog", "marlerblogcom", "marlerclark"),
    ("universetoday", "universetodaycom"),
    ("ammoland", "ammolandcom"),
    ("redstate", "redstatecom"),
    ("normlorg", "blognormlorg", "norml"),
    ("badwitchcouk", "abadwitchsblog", "badwitch"),
)  # fmt: skip
_CANON = {name: group[0] for group in _ALIASES for name in group}
_TLDS = re.compile(r"\.(com|org|net|co\.uk|de|fr|es|it|ca|com\.au|co|info|us|me|tv|ch|at)$")


def party_key(name: str | None) -> str:
    """Canonical key of a credited party: letters and digits of any script, lower-cased,
    ``www.`` and a URL's scheme and path dropped, an agency's names folded into one."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name.replace("ı", "i")).strip().lower()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"^https?://", "", text)
    if re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", text):
        text = text.split("/", 1)[0].removeprefix("www.")
    key = "".join(ch for ch in text if ch.isalnum())
    if key in _CANON:
        return _CANON[key]
    bare = "".join(ch for ch in _TLDS.sub("", text) if ch.isalnum())
    return _CANON.get(bare, key)


def same_party(label: str, found: Iterable[str | None]) -> bool:
    """Whether any of ``found`` (a credit's name, outlet, URL) names the labelled party.

    ``label`` may list the names of one party separated by ``;`` ("European Southern
    Observatory; eso.org"): a credit naming any of them names the party."""
    found = list(found)
    return any(_same(alias.strip(), found) for alias in label.split(";") if alias.strip())


def _same(label: str, found: list[str | None]) -> bool:
    want = party_key(label)
    if not want:
        return False
    for name in found:
        # "PIB/GR/TYP" or "sid/dpa": a statement naming several parties names each
        if (
            name
            and len(want) < 5
            and want in {party_key(t) for t in re.split(r"[/,;|&]| and | und ", str(name))}
        ):
            return True
        got = party_key(name)
        if not got:
            continue
        if got == want:
            return True
        # "Economic Collapse Blog" vs "Michael Snyder at his Economic Collapse Blog": the
        # label is the party as written, the parser may keep a longer or shorter span.
        if min(len(got), len(want)) >= 5 and (want in got or got in want):
            return True
        # a domain label ("silveristhenew.com") against the outlet the parser resolved
        bare_want = party_key(_TLDS.sub("", label.lower()))
        if len(bare_want) >= 5 and bare_want == party_key(_TLDS.sub("", str(name).lower())):
            return True
    return False


#: Forms that name the same place on the page: "Source: URL" is a footer line, as are
#: "courtesy of …" and a book's "reprinted by permission" note.
_SAME_FORM = {
    "source-url": "footer",
    "courtesy": "footer",
    "excerpt": "footer",
    "read-more": "footer",
}


def same_form(label_form: str, found_form: str | None) -> bool:
    """Whether a found credit's form is the labelled one (up to names of one place)."""
    if not found_form:
        return False
    return _SAME_FORM.get(label_form, label_form) == _SAME_FORM.get(found_form, found_form)


@dataclass(frozen=True)
class CreditLabel:
    dataset: str
    file_id: str
    url: str
    party: str
    form: str
    language: str
    is_credit: bool
    note: str

    @property
    def page(self) -> tuple[str, str]:
        return (self.dataset, self.file_id)


@dataclass
class Page:
    """One labelled page: its credits, its look-alikes, its language."""

    dataset: str
    file_id: str
    url: str
    language: str
    credits: list[CreditLabel] = field(default_factory=list)
    lookalikes: list[CreditLabel] = field(default_factory=list)


def load_credit_labels(path: Path = CREDITS_FILE) -> dict[tuple[str, str], Page]:
    pages: dict[tuple[str, str], Page] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = CreditLabel(
                row["dataset"], row["file_id"], row["url"], row["party"], row["form"],
                row["language"], row["is_credit"] == "1", row["note"],
            )  # fmt: skip
            page = pages.setdefault(
                label.page, Page(label.dataset, label.file_id, label.url, label.language)
            )
            if label.is_credit:
                page.credits.append(label)
            elif label.form != "none":
                page.lookalikes.append(label)
    return pages


@dataclass(frozen=True)
class Found:
    """A credit the parser found on a page, in the fields every version of it has."""

    name: str
    outlet: str | None
    url: str | None
    kind: str | None
    form: str | None  # None: the parser does not say which form

    def names(self) -> tuple[str | None, ...]:
        return (self.name, self.outlet, self.url)


@dataclass
class PageScore:
    recalled: list[tuple[CreditLabel, Found | None]]  # (label, the hit that found it or None)
    correct: list[Found]
    false: list[tuple[Found, CreditLabel | None]]  # (hit, the look-alike it was, if labelled)


def score_page(page: Page, found: list[Found]) -> PageScore:
    """Which labelled credits were found, which found credits are right, which are false.

    A found credit is right when it names a party the page credits; one found credit may
    stand for several labelled forms of the same party (a dpa byline and a dpa copyright
    line), since the page credits that party once."""
    recalled = []
    for label in page.credits:
        named = [f for f in found if same_party(label.party, f.names())]
        # the hit in the labelled form if there is one (a page may credit AP twice, in a
        # byline and a dateline, and the parser report both)
        hit = next((f for f in named if same_form(label.form, f.form)), named[0] if named else None)
        recalled.append((label, hit))
    correct, false = [], []
    for hit in found:
        if any(same_party(label.party, hit.names()) for label in page.credits):
            correct.append(hit)
        else:
            like = next((lk for lk in page.lookalikes if same_party(lk.party, hit.names())), None)
            false.append((hit, like))
    return PageScore(recalled, correct, false)


@dataclass(frozen=True)
class FamilyLabel:
    key: str
    publisher: str
    story: str  # "" not labelled, "independent" a copy of nothing in the corpus
    agency: str
    credits: tuple[str, ...]
    evidence: str
    #: "roundup": a digest carrying several stories ("The Latest", "AP News in Brief"); it may
    #: sit in the family of each story it carries without merging them.
    kind: str = "article"

    @property
    def labelled_story(self) -> str | None:
        return self.story if self.story and self.story != "independent" else None


def load_family_labels(path: Path = FAMILIES_FILE) -> dict[str, FamilyLabel]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {
            row["key"]: FamilyLabel(
                row["key"],
                row["publisher"],
                row["story"],
                row["agency"],
                tuple(f for f in row["credits"].split(";") if f),
                row["evidence"],
                row.get("kind") or "",
            )
            for row in csv.DictReader(fh)
        }


def stories_merged(families: list[list[str]], labels: dict[str, FamilyLabel]) -> list[set[str]]:
    """The labelled stories of each decided family that holds more than one (roundups, which
    carry several stories by nature, do not count)."""
    merged = []
    for members in families:
        stories = {
            labels[m].labelled_story for m in members if m in labels and labels[m].kind != "roundup"
        } - {None}
        if len(stories) > 1:
            merged.append(stories)
    return merged


def ratio(hit: int, total: int) -> float | None:
    return hit / total if total else None
