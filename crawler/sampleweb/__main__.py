"""``python -m crawler.sampleweb [--host H] [--port N] [--verbose]``: serve the sample web.

Prints exactly one line, ``http://HOST:PORT``, once listening (so a parent process can read
the port), then serves until interrupted.
"""

from __future__ import annotations

import argparse
import signal
import sys

from .server import SampleWebServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.sampleweb",
        description="Serve the sample outlets on loopback (also a forward proxy).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)
    server = SampleWebServer((args.host, args.port), verbose=args.verbose)
    # SIGTERM should end the process as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
