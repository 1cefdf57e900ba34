"""Normalisation, tokens and shingles: what republishers change must not change shingles."""

import numpy as np
import pytest

from dedupe import shingle_set, tokenize, words
from dedupe.normalize import normalize_text


def test_typography_and_entities_do_not_change_shingles():
    plain = 'He said "it\'s over" - and left the room at 5 pm on Monday with his aides.'
    fancy = "He  said \u201cit\u2019s over\u201d \u2014 and LEFT the\u00a0room at 5 pm on Monday with his aides."
    escaped = "He said &quot;it&#8217;s over&quot; &mdash; and left the <b>room</b> at 5 pm on Monday with his aides."
    base = shingle_set(plain, 5)
    assert np.array_equal(base, shingle_set(fancy, 5))
    assert np.array_equal(base, shingle_set(escaped, 5))


def test_invisible_characters_and_accents_are_folded():
    assert words("caf\u00e9 cafe\u0301 wo\u00adrd zero\u200bwidth \ufb01ne") == [
        "cafe",
        "cafe",
        "word",
        "zerowidth",
        "fine",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Президент России Владимир Путин прибыл в Хельсинки на встречу с Трампом",
        "وصل الرئيس الروسي فلاديمير بوتين إلى هلسنكي للقاء الرئيس الأمريكي ترامب",
        "俄罗斯总统普京抵达赫尔辛基与美国总统特朗普举行会晤",
        "ロシアのプーチン大統領はヘルシンキに到着しました",
        "रूस के राष्ट्रपति व्लादिमीर पुतिन हेलसिंकी पहुंचे",
    ],
)
def test_non_latin_scripts_produce_shingles(text):
    tokens = words(text)
    assert len(tokens) >= 7
    assert len(shingle_set(text, 5)) == len(tokens) - 4


def test_chinese_is_tokenised_per_character():
    assert words("普京抵达") == ["普", "京", "抵", "达"]


def test_empty_and_punctuation_only_texts():
    assert len(shingle_set("", 5)) == 0
    assert len(shingle_set("— … !!! ???", 5)) == 0
    assert len(shingle_set("word", 5)) == 1
    assert normalize_text("") == ""


def test_paragraph_keys_ignore_dates():
    a = tokenize("Body one.\n\u00a9 2018 Global Research. All rights reserved.")
    b = tokenize("Body two.\n\u00a9 2019 Global Research. All rights reserved.")
    assert a.paragraph_keys[1] == b.paragraph_keys[1]
    assert a.paragraph_keys[0] != b.paragraph_keys[0]


def test_shingle_order_matters():
    assert not np.array_equal(shingle_set("a b c d e", 5), shingle_set("e d c b a", 5))
