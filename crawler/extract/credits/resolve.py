"""From a credit found on a page to the party it names: an outlet, or a registry entry (a
wire service, syndicator or aggregator) with its kind; and what is the page's own notice.

A name resolving to the page's own outlet ("Originally published on Live Science" on
livescience.com, a Reuters dateline on reuters.com) or to its corporate parent ("© CBS
Interactive" on cbsnews.com) credits nobody else and is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .bylines import PUBLICATION
from .metadata import MetaCredit
from .names import Found, clean_text, file_name_like, looks_like_domain, name_key
from .outlets import OutletDirectory, registered_domain
from .registry import Source

_URL_START = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
_CORPORATE = re.compile(r",?\s+(?:Ltd|Limited|Inc|LLC|plc|PLC|GmbH|AG|S\.?A|Co|Corp|Group)\.?$")
_MEDIA_COMPANY = re.compile(
    r"\b(?:television|broadcasting|broadcast|communications|media|publishing|publications|newspapers|"
    r"interactive|holdings|network|networks|radio|verlag|verlagsgesellschaft|mediengruppe|medien)\b",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"copyright|\d{4}|all\s+rights|tous\s+droits|alle\s+rechte|derechos|diritti", re.IGNORECASE
)
_NOT_OUTLETS = {"wordpress", "poweredbywordpress", "wordpresscom", "allrightsreserved", "thispage"}

# The form each statement kind is shown in, for credits found before forms were recorded.
FORM_OF_KIND = {
    "original-source": "footer",
    "originally-published": "footer",
    "first-appeared": "footer",
    "also-appeared": "footer",
    "republished": "footer",
    "reprinted": "footer",
    "courtesy": "footer",
    "read-more": "footer",
    "source-url": "source-url",
    "via": "via",
    "contributed": "contributed",
    "wire-dateline": "dateline",
    "copyright": "copyright",
    "canonical": "canonical",
    "byline": "byline",
    "sign-off": "sign-off",
    "provider-label": "provider-label",
    "print-issue": "print-issue",
    "metadata": "metadata",
}


@dataclass(frozen=True)
class Attribution:
    """One credit naming a source.

    ``name`` is the source as written; ``url`` the link on it (absolute), ``outlet`` the
    outlet it resolves to, ``stated_date`` the ISO day the page gives for the original,
    ``author`` the person named beside the outlet ("Authored by A via X"). ``form`` is where
    a reader sees it (footer, byline, dateline, sign-off, provider-label, contributed,
    print-issue, copyright, metadata, canonical, via, source-url); ``source_kind`` what the
    credited party is (wire, syndicator, aggregator, outlet) and ``source_name`` its
    registry name ("Associated Press" for "AP").
    """

    kind: str
    sentence: str
    name: str
    url: str | None = None
    outlet: str | None = None
    stated_date: str | None = None
    author: str | None = None
    form: str | None = None
    source_kind: str | None = None
    source_name: str | None = None


@dataclass
class Context:
    """What a page's credits are resolved against."""

    own: str | None
    own_keys: set[str]
    directory: OutletDirectory
    local: OutletDirectory = field(default_factory=OutletDirectory)

    def is_own_name(self, name: str) -> bool:
        key = name_key(name)
        if key in self.own_keys or self.directory.registry.is_owner_name(name, self.own):
            return True
        # "Example Media Group" on example.com, "VICE US" on vice.com; a short label only takes
        # a short suffix, so "Newsweek" is not taken for news.com.au.
        for k in self.own_keys:
            if len(k) >= 4 and key.startswith(k) and (len(k) >= 5 or len(key) - len(k) <= 3):
                return True
            if len(key) >= 5 and k.startswith(key):
                return True
        return False

    def same_outlet(self, source: Source | None, outlet: str | None) -> bool:
        """True when the credited party is the page's own outlet under another domain
        (bbc.co.uk on bbc.com, ntv.de on n-tv.de)."""
        if not self.own:
            return False
        entries = [source, self.directory.registry.of_outlet(outlet)]
        return any(s and self.own in (s.outlet, *s.domains) for s in entries)

    def source(self, name: str | None, outlet: str | None) -> Source | None:
        registry = self.directory.registry
        return (registry.find(name) if name else None) or registry.of_outlet(outlet)

    def known(self, name: str) -> bool:
        """A name that stands for an outlet or agency (for bylines, sign-offs, labels)."""
        if file_name_like(name):
            return False
        return bool(
            self.directory.registry.find(name)
            or self.directory.resolve(name)
            or PUBLICATION.fullmatch(name)
            # the page's own name in a shared byline ("AFP/The Local", "Le Figaro et AFP"):
            # known, and left out when resolved
            or (len(name_key(name)) >= 4 and self.is_own_name(name))
        )


def _owner_only(name: str, ctx: Context) -> bool:
    """A corporate name ("Paramount Global") that is no outlet: a company's notice."""
    key = name_key(name)
    registry = ctx.directory.registry
    return any(s.kind == "owner" and key in registry.owner_keys(s) for s in registry.sources)


def credit(found: Found, url: str | None, ctx: Context) -> Attribution | None:
    """The attribution a found credit makes, or None when it credits nobody else."""
    name, author = found.name, found.author
    directory, local, own = ctx.directory, ctx.local, ctx.own
    if found.kind == "copyright" and found.holders:
        # The page's own outlet among the holders makes the line its own notice.
        if any(ctx.is_own_name(h) or directory.resolve(h) == own for h in found.holders):
            return None
        outlets = [h for h in found.holders if directory.resolve(h) or local.resolve(h)]
        if outlets and outlets[0] != name:
            author, name = name, outlets[0]
    if (
        not url
        and looks_like_domain(name)
        and _URL_START.match(name)
    ):
        url = name if "://" in name else "http://" + name
    url_outlet = registered_domain(url) if url else None
    outlet = url_outlet if url_outlet and url_outlet != own else None
    outlet = (
        outlet
        or directory.resolve(name)
        or local.resolve(name)
        or (url_outlet if url_outlet != own else None)
    )
    if not outlet and _CORPORATE.search(name):
        outlet = directory.resolve(_CORPORATE.sub("", name))  # "The Financial Times Ltd."
    source = ctx.source(name, outlet)
    if source and source.outlet and not outlet:
        outlet = source.outlet
    if own and (
        outlet == own
        or ((not outlet or not url_outlet) and ctx.is_own_name(name))
        or ctx.same_outlet(source, outlet)
    ):
        return None  # "Springer is part of Springer Nature" on springer.com names its own house
    if ctx.directory.registry.is_owner_name(name, own) or (not outlet and _owner_only(name, ctx)):
        return None
    if found.kind == "copyright" and (name_key(name) in _NOT_OUTLETS or ctx.is_own_name(name)):
        return None
    if found.kind == "copyright" and not outlet and not url and _MEDIA_COMPANY.search(name):
        return None  # "© Sunbeam Television Corp": the station's own company, not a source
    # A bare "© BART DEWAELE" credits a photographer; a holder's notice says "Copyright", a
    # year or "all rights reserved". "PTI" alone must be an agency.
    notice = found.kind == "copyright" and _NOTICE.search(found.sentence)
    if (found.strict or (found.kind == "copyright" and not notice)) and not (
        outlet or url or PUBLICATION.fullmatch(_CORPORATE.sub("", name))
    ):
        return None
    return Attribution(
        found.kind,
        clean_text(found.sentence),
        name,
        url,
        outlet,
        found.day,
        author,
        form=found.form,
        source_kind=source.kind if source else ("outlet" if outlet else None),
        source_name=source.name if source else None,
    )


def meta_credit(meta: MetaCredit, ctx: Context) -> Attribution | None:
    """The attribution a metadata field makes: an author or publisher naming a known outlet
    or agency, or a link to the original (``isBasedOn``, ``original-source``)."""
    registry = ctx.directory.registry
    name = (meta.name or "").strip()
    url_outlet = registered_domain(meta.url) if meta.url else None
    by_name = (registry.find(name) or None) if name else None
    outlet = by_name.outlet if by_name else (ctx.directory.resolve(name) if name else None)
    if meta.field in ("isBasedOn", "isBasedOnUrl") or meta.field.startswith(("meta ", "link ")):
        if meta.form == "metadata":
            outlet = outlet or url_outlet
    elif meta.field in ("publisher", "provider") and not by_name:
        # A publisher is the page's own company unless it is a wire, or the page an aggregator.
        own_source = registry.of_outlet(ctx.own)
        if not (own_source and own_source.kind == "aggregator"):
            return None
    source = ctx.source(name, outlet)
    if not outlet or outlet == ctx.own or ctx.same_outlet(source, outlet):
        return None
    if name and (ctx.is_own_name(name) or registry.is_owner_name(name, ctx.own)):
        return None
    kind = "byline" if meta.form == "byline" else "metadata"
    return Attribution(
        kind,
        meta.sentence,
        name or outlet,
        meta.url if url_outlet and url_outlet != ctx.own else None,
        outlet,
        form=meta.form,
        source_kind=source.kind if source else "outlet",
        source_name=source.name if source else None,
    )
