"""``pontive serve`` with the datastore actions registered, for ``bench/opendata.py`` when the
CKAN router does not import ``pontive.opendata.datastore_actions`` yet.

``python bench/_support/opendata_serve.py --host H --port P``: the same uvicorn options as
``pontive serve`` (one worker, no access log).
"""

from __future__ import annotations

import argparse

import uvicorn

import pontive.opendata.datastore_actions  # noqa: F401 - registers the datastore actions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    uvicorn.run(
        "pontive.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=1,
        log_config=None,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
        server_header=False,
    )


if __name__ == "__main__":
    main()
