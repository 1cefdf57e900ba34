"""The bundled sample web: realistic news outlets on reserved ``.test`` hostnames, served on
loopback by one server that is also a forward proxy.

``SampleWeb`` runs it in-process (``with SampleWeb() as web: web.proxy_url``);
``python -m crawler.sampleweb`` runs it in the foreground. ``truth`` is the ground-truth
manifest (outlets, articles, planted republications) tests assert against.
"""

from .server import SampleWeb

__all__ = ["SampleWeb"]
