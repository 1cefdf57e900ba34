"""The HTTP side of crosspost: a read-only JSON API and a web page over the store.

``crosspost serve`` runs :func:`create_app` under uvicorn. FastAPI and uvicorn come with the
optional extra ``serve`` (``pip install 'crosspost[serve]'``); importing this package without
them raises ImportError.
"""

from crawler.web.app import create_app

__all__ = ["create_app"]
