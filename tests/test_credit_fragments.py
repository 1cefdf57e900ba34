"""The grouped substring test the credit scan gates its lines with gives the answers of
testing every fragment one by one."""

from __future__ import annotations

import itertools

from crawler.extract.credits.cues import ALL_FRAGMENTS, minimal
from crawler.extract.credits.fragments import Fragments

LINES = [
    "",
    "the story was first published by the daily bugle.",
    "this article originally appeared on example.com",
    "publicado originalmente en el país",
    "reproduced with permission from the guardian",
    "a republican senator said on monday the bill would pass",
    "с использованием материалов тасс",
    "本文首发于新华网",
    "follow news 12 on social media for the latest stories from our newsroom and partners.",
    "read more: https://example.com/story",
    "no cue here at all",
    "(c) 2020 reuters",
]


def test_answers_as_testing_each_fragment() -> None:
    fragments = minimal(ALL_FRAGMENTS)
    test = Fragments(fragments)
    for line in LINES:
        held = [f for f in fragments if f in line]
        assert test.any_in(line) == bool(held), line
        assert sorted(test.found_in(line)) == sorted(held), line


def test_fragments_tested_first_that_others_hold() -> None:
    # "read" is also a part of "already read" and "reader": each answer still counts once.
    fragments = ("already read", "reader", "reads", "via", "aviation")
    test = Fragments(fragments, first=("read", "via"))
    for words in itertools.product(["", "read", "already read", "reader", "aviation", "x"], repeat=2):
        line = " ".join(words)
        held = [f for f in test.fragments if f in line]
        assert test.any_in(line) == bool(held), line
        assert sorted(test.found_in(line)) == sorted(held), line
