"""Site-wide text that outlets print on every page, next to (or inside) each article.

Global Research's conventions matter most: the "Note to readers" and "Disclaimer" paragraphs
appear on every one of its pages, which is exactly what must not make its articles look like
duplicates of each other.
"""

from __future__ import annotations

GR_NOTE_TO_READERS = (
    "Note to readers: please use the share buttons above or below. Send this article on to your "
    "email lists. Crosspost it on your blog site, internet forums. etc."
)

GR_DISCLAIMER = (
    (
        "Disclaimer: The author(s) alone are responsible for the contents of this article. The "
        "Centre for Research on Globalization accepts no responsibility for any inaccurate or "
        "incorrect statement it contains. The Centre for Research on Globalization allows Global "
        "Research articles to be cross-posted on community internet sites provided that the source "
        "and copyright are acknowledged together with a hyperlink to the original Global Research "
        "article. For publication of Global Research articles in print or other forms, including "
        "commercial internet sites, please contact: publications@globalresearch.test"
    ),
    (
        "www.globalresearch.test contains copyrighted material whose use has not always been "
        "specifically authorized by the copyright owner. We make such material available to our "
        'readers under the provisions of "fair use" in an effort to advance a better understanding '
        "of political, economic and social issues. The material on this site is distributed without "
        "profit to those who have expressed a prior interest in receiving it for research and "
        "educational purposes. If you wish to use copyrighted material for purposes other than "
        '"fair use" you must request permission from the copyright owner.'
    ),
    "For media inquiries: publications@globalresearch.test",
)

GR_MEMBER_LINKS = (
    (
        "https://www.facebook.com/GlobalResearchCRG",
        ("Comment on Global Research Articles on our Facebook page"),
    ),
    ("/become-a-member/", "Become a Member of Global Research"),
)

NEWSLETTER = {
    "southfront": "Get our daily analysis and maps in your inbox.",
    "globalresearch": "Subscribe to the Global Research newsletter (selected articles).",
    "strategic_culture": "Receive our weekly digest of strategic commentary.",
    "newswire": "Newsroom clients: sign up for the morning budget.",
    "dailyledger": "The Morning Ledger: the day's news before your coffee.",
    "freethinker": "Don't miss a post. Join the free email list.",
    "eurasiamonitor": "One email a day with everything that matters in Eurasia.",
}

STATIC_PAGES = {
    "/about/": (
        "About us",
        (
            "We are an independent publication. Our editors select, write and "
            "publish news and analysis every day. Contact us with corrections or tips."
        ),
    ),
    "/contact/": (
        "Contact",
        (
            "Write to the editors at the address below. We read every message "
            "but cannot answer them all."
        ),
    ),
    "/privacy-policy/": (
        "Privacy Policy",
        (
            "This site uses cookies for basic analytics. We do not "
            "sell personal data. Newsletter addresses are used only to send the "
            "newsletter."
        ),
    ),
}
