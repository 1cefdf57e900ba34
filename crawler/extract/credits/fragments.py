"""Testing a line for many substrings at once, by the parts they share.

Most lines of an article hold no cue, and each ``in`` test reads the whole line: with ninety
fragments that is most of what the scan costs. Fragments that share a part ("pub" in
"publicad", "republi", "first published") are tested for that part once, and one by one only
in a line that holds it. A fragment holds its part, so a line without the part holds none of
them: the answers are those of testing every fragment.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import compress

_MIN_PART = 3  # shorter parts ("re", "pu") are in nearly every line and spare nothing
_MAX_PART = 8
# Below this length a line is searched for all the fragments at once by one expression: each
# `in` test costs a call, which on a short line (a page's menu item) is most of its cost.
_SHORT = 40


def _grouped(fragments: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """(part, fragments holding it), greedily: the part most remaining fragments share first
    (the longer, then the first in order, on a tie), until no part is shared; then each
    fragment left as its own part."""
    left = list(fragments)
    groups = []
    while True:
        shared: Counter[str] = Counter()
        for fragment in left:
            shared.update(
                {
                    fragment[i:j]
                    for i in range(len(fragment))
                    for j in range(i + _MIN_PART, min(i + _MAX_PART, len(fragment)) + 1)
                }
            )
        best = max(((n, len(p), p) for p, n in shared.items() if n >= 2), default=None)
        if best is None:
            break
        part = best[2]
        groups.append((part, tuple(f for f in left if part in f)))
        left = [f for f in left if part not in f]
    return groups + [(f, (f,)) for f in left]


class Fragments:
    """A fixed set of fragments; ``first`` are tested before the others, alone (the commonest,
    so that a line holding one is told at once)."""

    def __init__(self, fragments: tuple[str, ...], first: tuple[str, ...] = ()) -> None:
        self.fragments = tuple(dict.fromkeys(first + fragments))
        rest = tuple(f for f in self.fragments if f not in first)
        groups = [(f, (f,)) for f in dict.fromkeys(first)] + _grouped(rest)
        self._parts = tuple(part for part, _ in groups)
        # For each part, its fragments; None for a part that is itself the one fragment.
        self._held = tuple(None if members == (part,) else members for part, members in groups)
        self._groups = tuple(zip(self._parts, self._held, strict=True))
        self._any = re.compile("|".join(map(re.escape, self.fragments)))

    def any_in(self, low: str) -> bool:
        """True when ``low`` holds one of the fragments."""
        if len(low) < _SHORT:
            return self._any.search(low) is not None
        # compress() takes the parts' tests as they come, in C: most lines pass them all
        # without one holding, and a line holding one stops there.
        for held in compress(self._held, map(low.__contains__, self._parts)):
            if held is None or any(map(low.__contains__, held)):
                return True
        return False

    def found_in(self, low: str) -> list[str]:
        """The fragments ``low`` holds (grouped by part, not in the order given)."""
        found: list[str] = []
        if len(low) < _SHORT and self._any.search(low) is None:
            return found
        for part, held in compress(self._groups, map(low.__contains__, self._parts)):
            if held is None:
                found.append(part)
            else:
                found.extend(filter(low.__contains__, held))
        return found
