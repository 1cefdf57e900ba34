"""Matcher behaviour: copies found, excerpts labelled, same-topic and boilerplate ignored."""

import random
import time

import pytest

from dedupe import BoilerplateModel, Matcher, deserialize, serialize

VOCAB = [
    "summit",
    "president",
    "minister",
    "talks",
    "election",
    "officials",
    "security",
    "border",
    "trade",
    "agreement",
    "government",
    "military",
    "energy",
    "sanctions",
    "report",
    "meeting",
    "statement",
    "leaders",
    "capital",
    "policy",
    "economy",
    "vote",
    "court",
    "investigation",
    "crisis",
    "troops",
    "parliament",
    "spokesman",
    "hours",
    "afternoon",
    "pressure",
    "allies",
    "interview",
    "council",
    "press",
    "foreign",
    "national",
    "state",
    "week",
    "decision",
    "plan",
]


def article(seed: int, paragraphs: int = 10) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(VOCAB) + (str(rng.randrange(50)) if rng.random() < 0.3 else "")
                 for _ in range(rng.randint(35, 60)))
        for _ in range(paragraphs)
    ]  # fmt: skip


def text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs)


def test_edited_reordered_truncated_copy_is_found():
    m = Matcher()
    origin = article(1)
    m.add("origin", text(origin), "a.test")
    copy = origin[:8]  # truncated
    copy[2], copy[3] = copy[3], copy[2]  # reordered
    copy[0] = copy[0].replace(" ", "  ").upper()  # typography
    copy[4] = copy[4].rsplit(" ", 3)[0] + " changed words here"  # light edit
    copy = ["This article was originally published by A Test."] + copy + ["Share this!"]
    matches = m.add("copy", text(copy), "b.test")
    assert [x.key_b for x in matches] == ["origin"]
    assert matches[0].kind == "near-duplicate"
    assert matches[0].jaccard > 0.6


def test_excerpt_is_labelled_excerpt_and_expansion_expanded():
    m = Matcher()
    origin = article(2, paragraphs=12)
    m.add("origin", text(origin), "a.test")
    excerpt = m.add("excerpt", text(origin[:3] + ["Read the full story at A Test."]), "c.test")
    assert len(excerpt) == 1 and excerpt[0].kind == "excerpt"
    assert excerpt[0].containment_a_in_b > 0.9 and excerpt[0].jaccard < 0.5
    expanded = m.add("expanded", text(origin + article(3, paragraphs=12)), "d.test")
    kinds = {x.key_b: x.kind for x in expanded}
    assert kinds["origin"] == "expanded"


def test_independent_same_topic_texts_do_not_match():
    m = Matcher()
    m.add("one", text(article(10)), "a.test")
    assert m.add("two", text(article(11)), "b.test") == []


def test_boilerplate_only_overlap_is_not_a_match():
    footer = [
        (
            "Note to readers: please click the share buttons above or below. Forward this "
            "article to your email lists. Crosspost on your blog site, internet forums."
        ),
        (
            "Disclaimer: The contents of this article are of sole responsibility of the author. "
            "The Centre for Research on Globalization will not be responsible for any "
            "inaccurate or incorrect statement in this article."
        ),
        "Copyright 2020 Global Research " + " ".join(f"footer{i}" for i in range(60)),
    ]
    m = Matcher()
    results = [
        m.add(f"gr{i}", text(article(20 + i, paragraphs=3) + footer), "globalresearch.ca")
        for i in range(5)
    ]
    # The footer is learnt on the third article; from then on it is ignored.
    assert all(r == [] for r in results[2:])
    # And re-verification uses the current knowledge for pairs signed before it.
    assert m.verify("gr0", "gr1") is None


def test_wire_story_updates_are_not_learnt_as_boilerplate():
    model = BoilerplateModel(min_articles=3)
    from dedupe import tokenize

    story = article(30)
    for version in range(4):
        updated = story[:-1] + [f"Update {version}: " + article(40 + version, 1)[0]]
        model.observe("wire.test", tokenize(text(updated)).paragraph_keys)
    assert len(model.boilerplate("wire.test")) == 0
    assert BoilerplateModel.from_dict(model.to_dict()).to_dict() == model.to_dict()


@pytest.mark.parametrize("value", ["", "word", "  \n\n  ", "!!!"])
def test_tiny_texts_are_kept_out_of_the_index(value):
    m = Matcher()
    assert m.add("a", value, "a.test") == []
    result = m.add("b", value, "a.test")
    assert result == [] and result.signature is None
    assert len(m) == 0


def test_ten_megabyte_text_is_handled():
    huge = text(article(50, paragraphs=40)) + "\n"
    huge = huge * (10_000_000 // len(huge))
    m = Matcher()
    started = time.perf_counter()
    result = m.add("huge", huge, "a.test")
    assert result == [] and result.signature is not None
    assert time.perf_counter() - started < 20


def test_load_persisted_signatures_with_text_callback():
    texts = {"origin": text(article(60))}
    first = Matcher()
    blob = serialize(first.add("origin", texts["origin"], "a.test").signature, first.params)

    restarted = Matcher(get_text=texts.get)
    restarted.load("origin", deserialize(blob, restarted.params), "a.test")
    matches = restarted.add("copy", texts["origin"] + "\nShare this!", "b.test")
    assert [x.key_b for x in matches] == ["origin"]
    assert restarted.rematch("origin")[0].key_b == "copy"


def test_readding_a_key_replaces_it():
    m = Matcher()
    m.add("a", text(article(70)), "a.test")
    m.add("a", text(article(71)), "a.test")
    assert m.add("b", text(article(70)), "b.test") == []


def test_texts_signed_elsewhere_match_as_if_signed_here():
    """A crawl tokenises and signs in its extraction workers; the matcher uses that work
    only where the outlet's boilerplate would not have changed it."""
    from dedupe.matcher import presign
    from dedupe.shingles import tokenize

    footer = ["Note to readers: " + " ".join(f"footer{i}" for i in range(60))]
    texts = [(f"gr{i}", text(article(40 + i, paragraphs=4) + footer), "gr.test") for i in range(5)]
    texts.append(("copy", text(article(40, paragraphs=4)[:3]), "copier.test"))
    here, elsewhere = Matcher(), Matcher()
    for key, body, outlet in texts:
        tokens = tokenize(body)
        plain = here.add(key, body, outlet)
        prepared = elsewhere.add(key, body, outlet, tokens, presign(tokens, elsewhere.params))
        assert [(m.key_b, m.kind, m.jaccard) for m in prepared] == [
            (m.key_b, m.kind, m.jaccard) for m in plain
        ]
        assert prepared.signature == plain.signature
    # the footer became boilerplate on the third article: later signatures leave it out
    assert here.add("x", texts[4][1], "gr.test").signature.n_shingles < len(
        presign(tokenize(texts[4][1]), here.params).shingles
    )
    assert [m.key_b for m in elsewhere.rematch("copy")] == ["gr0"]


def test_texts_signed_elsewhere_without_known_boilerplate_match_as_if_signed_here():
    """An ingest's workers sign each text without the boilerplate its outlet was known to
    repeat when the batch left; the matcher takes that work only if the outlet's boilerplate,
    as known when the text is matched, leaves out exactly the same paragraphs."""
    from dedupe.matcher import presign
    from dedupe.shingles import tokenize

    footer = ["Note to readers: " + " ".join(f"footer{i}" for i in range(60))]
    pitch = ["Subscribe today: " + " ".join(f"pitch{i}" for i in range(60))]
    texts = [(f"gr{i}", text(article(40 + i, paragraphs=4) + footer + (pitch if i > 2 else [])),
              "gr.test") for i in range(9)]  # fmt: skip
    texts.append(("copy", text(article(46, paragraphs=4)[:3]), "copier.test"))
    here, elsewhere = Matcher(), Matcher()
    used = 0
    history = []  # what the workers knew: the model as it was three texts earlier
    for key, body, outlet in texts:
        model = elsewhere.boilerplate
        history.append({o: model.boilerplate(o) for o in model.outlets()})
        snapshot = history[max(0, len(history) - 3)]
        tokens = tokenize(body)
        signed = presign(tokens, elsewhere.params, snapshot.get(outlet))
        plain = here.add(key, body, outlet)
        prepared = elsewhere.add(key, body, outlet, tokens, signed)
        assert [(m.key_b, m.kind, m.jaccard) for m in prepared] == [
            (m.key_b, m.kind, m.jaccard) for m in plain
        ]
        assert prepared.signature == plain.signature
        used += prepared.signature is signed.signature
    # Taken where the snapshot was right (the footer known), signed again where it lagged.
    assert 0 < used < len(texts)
