"""Testing a line for many substrings at once.

Most lines of an article hold no cue, and the credit scan asks of every line whether it
holds one of about a hundred fragments. One ``in`` test per fragment reads the line a
hundred times; an Aho-Corasick automaton (pyahocorasick) reads it once, in C, and finds
every fragment it holds, overlapping ones included: the answers are those of testing every
fragment one by one.
"""

from __future__ import annotations

import ahocorasick


class Fragments:
    """A fixed set of fragments. ``first``: fragments given ahead of the others (the
    commonest); an automaton tests them all in one pass, so their order only sets that of
    ``fragments``."""

    def __init__(self, fragments: tuple[str, ...], first: tuple[str, ...] = ()) -> None:
        self.fragments = tuple(dict.fromkeys(first + fragments))
        self._automaton = ahocorasick.Automaton()
        for fragment in self.fragments:
            if fragment:
                self._automaton.add_word(fragment, fragment)
        self._empty = "" in self.fragments  # held by every line
        if len(self._automaton):
            self._automaton.make_automaton()

    def any_in(self, low: str) -> bool:
        """True when ``low`` holds one of the fragments."""
        if self._empty:
            return True
        if not len(self._automaton):
            return False
        return next(self._automaton.iter(low), None) is not None

    def found_in(self, low: str) -> list[str]:
        """The fragments ``low`` holds, each once (in no set order)."""
        found: set[str] = set()
        if len(self._automaton):
            found.update(fragment for _, fragment in self._automaton.iter(low))
        if self._empty:
            found.add("")
        return list(found)
