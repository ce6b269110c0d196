"""What the tests and the benchmarks share, so that neither imports the other.

- ``support.live``: real servers (gunicorn as the image runs it, through deploy/app.sh) and a
  TCP proxy that cuts PostgreSQL or Redis off, for tests/test_server.py, tests/test_soak.py,
  the browser tests and bench/http_bench.py;
- ``support.load``: the asyncio load generator of ``make bench`` and ``make soak``.

Development only: plain Python with no Django settings and no pytest, and not in the image
(.dockerignore), like tests/ and bench/.
"""
