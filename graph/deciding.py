"""The working state of one family's decision, shared by its steps.

:mod:`graph.direction` runs the steps in order (credits, cycles, credit dates, origin,
copies of an external origin, sources of uncredited copies, links); each step reads and
extends a :class:`FamilyWork`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .credits import Credit, MemberCredits
from .decisions import Conflict, ExternalOrigin
from .evidence import EvidenceIndex
from .records import Attribution
from .timing import TimeEvidence

#: How much a conflict touching a decision lowers its confidence.
_CONFLICT_PENALTY = 0.25


@dataclass
class FamilyWork:
    """One family being decided: its members, evidence, and the decisions made so far."""

    family_id: int
    members: list[str]
    index: EvidenceIndex
    times: dict[str, TimeEvidence]
    credits: MemberCredits = field(init=False)
    #: The member (or external origin) each member was copied from, by credit.
    chosen: dict[str, Credit] = field(default_factory=dict)
    #: Credits naming no member, per member.
    outside: dict[str, list[Attribution]] = field(default_factory=dict)
    #: Every source each member was copied from, by credit or by text.
    parent: dict[str, str] = field(default_factory=dict)
    #: Members whose source no evidence names.
    undetermined: set[str] = field(default_factory=set)
    conflicts: list[Conflict] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)
    origin: str = ""
    origin_basis: list[str] = field(default_factory=list)
    origin_confidence: float = 0.0
    external: ExternalOrigin | None = None

    def __post_init__(self) -> None:
        self.member_set = set(self.members)
        self.credits = MemberCredits(self.index, self.members, self.key)

    penalty = _CONFLICT_PENALTY

    def conflict(self, kind: str, message: str, *urls: str) -> None:
        self.conflicts.append(Conflict(kind, message, tuple(urls)))
        self.flagged.update(urls)

    def outlet(self, url: str) -> str:
        return self.index.articles[url].outlet

    def key(self, url: str) -> tuple:
        """Earliest first, by the strongest time evidence; the URL breaks ties."""
        return (*self.times[url].sort_key(), url)

    def ancestors_include(self, start: str, target: str) -> bool:
        """Whether following sources from ``start`` reaches ``target`` (or loops)."""
        url, steps = start, 0
        while steps <= len(self.members) + 1:
            if url == target:
                return True
            if url not in self.parent:
                return False
            url = self.parent[url]
            steps += 1
        return True  # a loop: refuse this candidate
