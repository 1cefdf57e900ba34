"""Credits outside English: source cues, "first published in" phrasings, agency datelines and
bylines in Spanish, French, German, Portuguese, Italian, Russian, Arabic, Chinese, Hindi,
Urdu and Turkish, right-to-left and CJK text included (full-width colons and brackets, no
spaces between words)."""

from __future__ import annotations

import pytest

from crawler.extract.credits import find_attributions

PAGE = "https://www.localpaper.example/a/1"
STORY = {
    "es": "El presidente se reunió el lunes con su homólogo durante dos horas en la capital.",
    "fr": "Le président a rencontré lundi son homologue pendant deux heures dans la capitale.",
    "de": "Der Präsident traf am Montag seinen Amtskollegen für zwei Stunden in der Hauptstadt.",
    "pt": "O presidente reuniu-se na segunda-feira com o seu homólogo durante duas horas.",
    "it": "Il presidente ha incontrato lunedì il suo omologo per due ore nella capitale.",
    "ru": "Президент в понедельник встретился со своим коллегой на два часа в столице.",
    "ar": "التقى الرئيس يوم الاثنين نظيره لمدة ساعتين في العاصمة.",
    "zh": "总统周一在首都与对方会谈两个小时，双方讨论了多项议题。",
    "hi": "राष्ट्रपति ने सोमवार को राजधानी में अपने समकक्ष से दो घंटे तक मुलाकात की।",
    "ur": "صدر نے پیر کو دارالحکومت میں اپنے ہم منصب سے دو گھنٹے ملاقات کی۔",
    "tr": "Cumhurbaşkanı pazartesi günü başkentte mevkidaşıyla iki saat görüştü.",
}


def body(lang: str) -> str:
    return "\n".join([STORY[lang]] * 3)


def found(text: str) -> set[tuple[str, str | None]]:
    return {(h.form, h.outlet) for h in find_attributions(text, None, PAGE)}


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        # source cues
        ("es", "{b}\nFuente: EFE", ("source-url", "efe.com")),
        ("fr", "{b}\nSource : AFP", ("source-url", "afp.com")),
        ("de", "{b}\nQuelle: dpa", ("source-url", "dpa.com")),
        ("de", "{b}\nQuelle: sid/dpa", ("source-url", "sid.de")),
        ("pt", "{b}\nFonte: Agência Brasil", ("source-url", "agenciabrasil.ebc.com.br")),
        ("ru", "{b}\nИсточник: ТАСС", ("source-url", "tass.com")),
        ("ar", "{b}\nالمصدر: رويترز", ("source-url", "reuters.com")),
        ("zh", "{b}\n来源：新华社", ("source-url", "news.cn")),
        ("hi", "{b}\nस्रोत: पीटीआई", ("source-url", "ptinews.com")),
        ("ur", "{b}\nماخذ: اے پی پی", ("source-url", "app.com.pk")),
        ("tr", "{b}\nKaynak: AA", ("source-url", "aa.com.tr")),
        # first published in …
        ("es", "{b}\nEste artículo fue publicado originalmente en The Conversation.", ("footer", "theconversation.com")),
        ("fr", "{b}\nCet article est paru initialement dans The Conversation.", ("footer", "theconversation.com")),
        ("de", "{b}\nDieser Artikel ist zuerst erschienen bei The Conversation.", ("footer", "theconversation.com")),
        ("pt", "{b}\nEste artigo foi publicado originalmente em The Conversation.", ("footer", "theconversation.com")),
        ("it", "{b}\nQuesto articolo è stato pubblicato originariamente su The Conversation.", ("footer", "theconversation.com")),
        ("ru", "{b}\nСтатья впервые опубликована в The Conversation.", ("footer", "theconversation.com")),
        ("ar", "{b}\nنُشر أولاً في The Conversation", ("footer", "theconversation.com")),
        ("zh", "{b}\n本文首发于The Conversation。", ("footer", "theconversation.com")),
        ("zh", "{b}\n转载自：新华网", ("footer", "news.cn")),
        ("tr", "{b}\nBu makale ilk olarak The Conversation'da yayımlanmıştır.", ("footer", "theconversation.com")),
        ("hi", "{b}\nयह लेख मूल रूप से The Conversation पर प्रकाशित हुआ था।", ("footer", "theconversation.com")),
        # agency datelines and bylines
        ("es", "MADRID, 3 mar (EFE).- {b}", ("dateline", "efe.com")),
        ("de", "Berlin (dpa) - {b}", ("dateline", "dpa.com")),
        ("it", "ROMA, 3 DIC - (ANSA) - {b}", ("dateline", "ansa.it")),
        ("tr", "ANKARA (AA) - {b}", ("dateline", "aa.com.tr")),
        ("ru", "МОСКВА, 3 декабря. /ТАСС/. {b}", ("dateline", "tass.com")),
        ("ru", "МОСКВА, 3 дек — РИА Новости. {b}", ("dateline", "ria.ru")),
        ("ar", "القاهرة (رويترز) - {b}", ("dateline", "reuters.com")),
        ("ar", "باريس (أ ف ب) - {b}", ("dateline", "afp.com")),
        ("ur", "اسلام آباد (اے پی پی) {b}", ("dateline", "app.com.pk")),
        ("zh", "新华社北京12月3日电 {b}", ("dateline", "news.cn")),
        ("hi", "नई दिल्ली, 3 जून (PTI) {b}", ("dateline", "ptinews.com")),
        ("ur", "{b}\n\nبشکریہ: ڈان", ("footer", "dawn.com")),
        ("zh", "中新网北京12月3日电（记者 张三）{b}", ("dateline", "chinanews.com.cn")),
        ("es", "Por EFE\n{b}", ("byline", "efe.com")),
        ("de", "Von dpa\n{b}", ("byline", "dpa.com")),
        ("fr", "Par Le Figaro avec AFP\n{b}", ("byline", "afp.com")),
        ("hi", "पीटीआई\n{b}", ("byline", "ptinews.com")),
        ("es", "{b}\nCon información de EFE y Reuters.", ("contributed", "efe.com")),
        ("de", "{b}\nmit Material von dpa", ("contributed", "dpa.com")),
        ("ru", "{b}\nПо материалам РИА Новости", ("contributed", "ria.ru")),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) == 2 else None,
)
def test_language_forms(lang: str, text: str, expected: tuple) -> None:
    assert expected in found(text.format(b=body(lang)))


def test_korean_agency_dateline() -> None:
    text = "(서울=연합뉴스) 정부는 화요일 향후 4년간 저렴한 주택 2만 가구를 짓는 계획을 승인했다.\n" * 2
    assert [(h.form, h.outlet) for h in find_attributions(text, None, PAGE)] == [("dateline", "yna.co.kr")]


def test_japanese_bracket_dateline() -> None:
    text = "【ワシントン共同】米大統領は月曜日、首都で二時間会談した。\n" * 2
    hits = find_attributions(text, None, PAGE)
    assert [(h.form, h.outlet, h.source_name) for h in hits] == [("dateline", "kyodonews.net", "Kyodo News")]


def test_urdu_agency_copies_are_credited() -> None:
    # The form of a corpus of Urdu agency copies that gave no credit at all before.
    text = "اسلام آباد۔3دسمبر (اے پی پی): " + STORY["ur"] + "\n" + STORY["ur"]
    hits = find_attributions(text, None, "https://urdu.example.pk/news/1")
    assert [(h.form, h.outlet, h.source_kind, h.source_name) for h in hits] == [
        ("dateline", "app.com.pk", "wire", "Associated Press of Pakistan")
    ]
