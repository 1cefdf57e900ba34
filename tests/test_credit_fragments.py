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
    for line in LINES + [line + " " + "x" * 60 for line in LINES]:
        held = [f for f in fragments if f in line]
        assert test.any_in(line) == bool(held), line
        assert sorted(test.found_in(line)) == sorted(held), line


def test_fragments_tested_first_that_others_hold() -> None:
    # "read" is also a part of "already read" and "reader": each answer still counts once.
    fragments = ("already read", "reader", "reads", "via", "aviation")
    test = Fragments(fragments, first=("read", "via"))
    words_at = ["", "read", "already read", "reader", "aviation", "x"]
    filler = "x" * 60  # short lines are searched by one expression, long ones part by part
    for words, pad in itertools.product(itertools.product(words_at, repeat=2), ["", filler]):
        line = " ".join(words) + pad
        held = [f for f in test.fragments if f in line]
        assert test.any_in(line) == bool(held), line
        assert sorted(test.found_in(line)) == sorted(held), line


def test_words_needed_in_ascii_sentences_are_in_every_match() -> None:
    from crawler.extract.credits.cues import SENTENCE
    from crawler.extract.credits.statements import NEEDS_IF_ASCII

    samples = [
        "Reproducido con permiso de El Pais",
        "Republicada de La Nacion",
        "REPRODUIT DE Le Monde",
        "Ripreso da Il Post",
        "Ripubblicato da Internazionale",
        "(With additional reporting from Reuters)",
        "With inputs from PTI",
        "With FILES from AFP",
        "Con informacion de EFE",
        "Com informacoes da Folha",
        "Con fonte ANSA",
        "Con informazioni di ANSA",
        "avec AFP",
        "Mit Informationen von dpa",
        "A JOINT publication of The Nation and Workday Magazine",
        "Co-published with ProPublica",
        "This story was reported in collaboration with The Marshall Project",
    ]
    matched = set()
    for sentence in samples:
        assert sentence.isascii()
        for index, needs in NEEDS_IF_ASCII.items():
            if SENTENCE[index][2].search(sentence):
                matched.add(index)
                assert any(word in sentence.lower() for word in needs), (sentence, index)
    assert matched == set(NEEDS_IF_ASCII)


def test_random_lines_of_overlapping_pieces_answer_as_each_fragment() -> None:
    import random

    rng = random.Random(4)
    fragments = minimal(ALL_FRAGMENTS)
    test = Fragments(fragments, first=("from", "via"))
    # Lines cut from the fragments themselves: prefixes, overlaps, and pieces in any script.
    pieces = [f[: rng.randint(1, len(f))] for f in fragments] + list(fragments) + [" ", "x", "é"]
    for _ in range(3000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        held = [f for f in test.fragments if f in line]
        assert test.any_in(line) == bool(held), line
        assert sorted(test.found_in(line)) == sorted(held), line
