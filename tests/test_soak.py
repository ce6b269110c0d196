"""Load and faults against the production configuration (support/live.py), with the load
generator of the benchmarks (support/load.py): mixed traffic at 50 concurrent connections,
gunicorn reloaded under load, PostgreSQL and Redis vanishing under load and coming back.

Not part of `make test` (marker `soak`): `make soak` runs them for 60 s each, CI for
KB_SOAK_SECONDS=15. Faults are real and private to the run: PostgreSQL is cut off behind a TCP
proxy the test controls (the server itself is shared and keeps running), Redis is a server of
the test's own, stopped and started again.
"""

import os
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid
from urllib.parse import quote

import pytest

from support.live import TcpProxy, free_port, post_form
from support.load import run_load

pytestmark = pytest.mark.soak

SECONDS = float(os.environ.get("KB_SOAK_SECONDS", "15"))
CONNECTIONS = 50
ARTICLE = "/articles/huabei-fenqi-wufa-huankuan/"
QUERIES = [
    "花呗",
    "还款失败",
    "huabei",
    "催收电话",
    "分期乐 联系人",
    "余额不足",
    "網絡繁忙",
    "花被",
]


def mixed_paths(server):
    """What readers and API clients ask for: cached pages, pages rendered afresh (a new query
    string is a page-cache miss), searches (each logged), the API, a static file."""
    _, _, body, _ = server.get("/")
    stylesheet = re.search(r'href="(/static/kb/site\.[0-9a-f]{12}\.css)"', body.decode()).group(1)
    paths = ["/", ARTICLE, "/zh-hant/", f"{ARTICLE}troubleshoot/", stylesheet, "/sitemap.xml"]
    paths += [f"/search/?q={quote(q)}" for q in QUERIES]
    paths += [f"/api/search?q={quote(q)}" for q in QUERIES]
    paths += [f"/api/suggest?q={quote(q[:2])}" for q in QUERIES]
    paths += ["/api/articles", f"/api/articles/{ARTICLE.split('/')[2]}"]
    paths += [f"{ARTICLE}?fresh={n}" for n in range(10)] + [f"/?fresh={n}" for n in range(10)]
    return paths


class Background:
    """run_load in a thread, so that the test can do harm meanwhile."""

    def __init__(self, *args, **kwargs):
        self.result = None
        self.thread = threading.Thread(target=self._run, args=args, kwargs=kwargs)
        self.thread.start()

    def _run(self, *args, **kwargs):
        self.result = run_load(*args, **kwargs)

    def join(self):
        self.thread.join()
        return self.result


def wait_for(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_mixed_traffic_at_50_connections_fails_no_request(site, serve):
    server = serve(site)
    result = run_load(
        server.port, mixed_paths(server), connections=CONNECTIONS, seconds=SECONDS, timeout=30
    )
    summary = result.summary()
    print(f"mixed traffic, {CONNECTIONS} connections, {SECONDS:.0f} s: {summary}")
    assert result.failures() == 0, summary
    assert result.requests > 5 * SECONDS


def test_reloading_gunicorn_twice_under_load_fails_no_request(site, serve):
    server = serve(site)
    # A fresh connection per request: an old worker closes its idle keep-alive connections when
    # it leaves, and a request written on one at that very instant is for the client to retry
    # (RFC 9112, section 9.3.1), which our load generator, counting every failure, never does.
    load = Background(
        server.port,
        mixed_paths(server),
        connections=CONNECTIONS,
        seconds=max(SECONDS, 8),
        keepalive=False,
        timeout=30,
    )
    time.sleep(2)
    server.process.send_signal(signal.SIGHUP)
    time.sleep(3)
    server.process.send_signal(signal.SIGHUP)
    result = load.join()
    summary = result.summary()
    print(f"two HUPs under {CONNECTIONS} connections: {summary}")
    assert result.failures() == 0, summary
    assert len([r for r in server.log_records() if "Hang up" in r["message"]]) == 2


@pytest.mark.skipif(
    not os.environ.get("KB_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (KB_TEST_DATABASE_URL; make soak and CI set it)",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_lost_under_load_gives_503_then_recovers_and_loses_nothing(
    site, serve, tmp_path
):
    from django.db import connection

    from kb.models import Feedback, SearchLog

    database = connection.settings_dict
    proxy = TcpProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    proxy.up()
    url = f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}"
    # Searches written as they come (kb.search.log), so that they are in the database before it goes.
    server = serve(
        {
            **site,
            "DATABASE_URL": url,
            "KB_VAR_DIR": str(tmp_path / "var"),
            "KB_SEARCH_LOG_FLUSH_SECONDS": "0",
        }
    )
    try:
        # Written before the fault, each answered: votes from five visitors, searches logged.
        marker = uuid.uuid4().hex[:8]
        for n in range(5):
            status = post_form(
                server.port,
                ARTICLE,
                f"{ARTICLE}feedback/",
                {"helpful": "no", "comment": f"{marker}-{n}"},
            )
            assert status == 303
        for q in QUERIES:
            assert server.get(f"/search/?q={quote(q)}")[0] == 200
        votes = set(
            Feedback.objects.filter(comment__startswith=marker).values_list("pk", flat=True)
        )
        searches = set(SearchLog.objects.values_list("pk", flat=True))
        assert len(votes) == 5 and len(searches) >= len(QUERIES)

        fresh = [f"{ARTICLE}?fault={n}" for n in range(100_000)]
        load = Background(
            server.port, fresh, connections=20, seconds=SECONDS, keepalive=False, timeout=30
        )
        time.sleep(SECONDS / 4)
        proxy.down()
        time.sleep(SECONDS / 4)
        status, _, body, seconds = server.get(f"/?{uuid.uuid4().hex}")
        assert status == 503 and "帮助中心暂时无法访问" in body.decode() and seconds < 3
        assert server.get("/readyz")[0] == 503
        proxy.up()
        result = load.join()
        summary = result.summary()
        print(f"PostgreSQL cut under load and restored: {summary}")
        # Only the two answers a reader may get: the page, or the branded 503 while it is away.
        assert set(result.statuses) <= {200, 503} and not result.errors, summary
        assert result.statuses[503] > 0 and result.statuses[200] > 0, summary

        assert wait_for(lambda: server.get(f"/?{uuid.uuid4().hex}")[0] == 200)
        assert [server.get(f"/?{uuid.uuid4().hex}")[0] for _ in range(5)] == [200] * 5
        assert server.get("/readyz")[0] == 200
        assert set(Feedback.objects.filter(pk__in=votes).values_list("pk", flat=True)) == votes
        assert (
            set(SearchLog.objects.filter(pk__in=searches).values_list("pk", flat=True)) == searches
        )
    finally:
        server.stop()
        proxy.down()


class RedisServer:
    """A Redis of the test's own (never the shared one), without persistence."""

    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(lambda: self._answers(), 10), "redis-server did not start"

    def _answers(self):
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_redis_lost_under_load_pages_keep_answering_200(site, serve):
    redis_server = RedisServer(free_port())
    redis_server.start()
    try:
        server = serve({**site, "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0"})
        assert server.get("/")[0] == 200 and server.get("/")[1]["X-Page-Cache"] == "hit"
        load = Background(
            server.port, mixed_paths(server), connections=CONNECTIONS, seconds=SECONDS, timeout=30
        )
        time.sleep(SECONDS / 4)
        redis_server.stop()
        time.sleep(SECONDS / 4)
        # Pages do not need Redis, so the balancer keeps the server: readiness reports it only.
        status, _, body, _ = server.get("/readyz")
        assert status == 200 and b'"cache": "unavailable"' in body
        status, _, body, _ = server.get(ARTICLE)
        assert status == 200 and "花呗" in body.decode()
        # Without the shared content version a process keeps a page in memory no longer than
        # KB_CONTENT_VERSION_CHECK_SECONDS (1 s), so an edit still shows: then it renders anew.
        probe = "/?probe=redis-down"
        assert server.get(probe)[1]["X-Page-Cache"] == "miss"
        time.sleep(1.5)
        assert server.get(probe)[1]["X-Page-Cache"] == "miss"
        redis_server.start()
        result = load.join()
        summary = result.summary()
        print(f"Redis stopped under load and started again: {summary}")
        assert result.failures() == 0, summary
        assert wait_for(lambda: server.get("/")[1]["X-Page-Cache"] == "hit")
    finally:
        redis_server.stop()
