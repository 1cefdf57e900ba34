"""The CLI commands, one module each, and the options they share (:mod:`.options`).

``crawler.cli`` assembles them into the ``crosspost`` group; no module here imports it back.
May import anything in ``crawler``; nothing in ``crawler`` outside this package imports it.
"""
