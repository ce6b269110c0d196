"""The production configuration, served for real: gunicorn started by deploy/app.sh with the
production settings, spoken to over HTTP on 127.0.0.1 (support/live.py), as a load balancer
would.

Faults are real ones: a database port where nothing listens, a TCP proxy in front of PostgreSQL
that is cut and restored, a SIGHUP to the gunicorn master while clients keep asking.
"""

import gzip
import http.client
import json
import os
import re
import signal
import threading
import time
import uuid

import brotli
import pytest

from support.live import HOST, HTTPS, Server, TcpProxy


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    """One production server for the checks that only read."""
    server = Server(site, tmp_path_factory.mktemp("server") / "gunicorn.log")
    yield server
    server.stop()


def test_pages_are_served_over_https_only_with_far_future_static_files(server):
    status, headers, body, _ = server.get("/")
    page = body.decode()
    assert status == 200 and "花呗" in page
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

    stylesheet = re.search(r'href="(/static/kb/site\.[0-9a-f]{12}\.css)"', page).group(1)
    status, headers, body, _ = server.get(stylesheet, {**HTTPS, "Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert (
        "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
    )
    css = gzip.decompress(body)
    # Brotli from the .br file collectstatic wrote, as it is: decoded once, it is the file.
    status, headers, body, _ = server.get(stylesheet, {**HTTPS, "Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == css and b"{" in css
    assert "Accept-Encoding" in headers["Vary"]

    status, headers, _, _ = server.get("/", {"Host": HOST})
    assert status == 301 and headers["Location"] == f"https://{HOST}/"
    # Probes come over plain HTTP, by IP: no redirect, no host check.
    assert server.get("/healthz", {"Host": "10.0.0.7:8000"})[0] == 200
    assert server.get("/readyz", {"Host": "10.0.0.7:8000"})[0] == 200


def test_a_page_over_gunicorn_comes_brotli_compressed_to_a_browser(server):
    _, _, plain, _ = server.get("/", {**HTTPS, "Accept-Encoding": "identity"})
    for _ in ("miss or hit", "hit"):
        status, headers, body, _ = server.get("/", {**HTTPS, "Accept-Encoding": "gzip, br"})
        assert status == 200 and headers["Content-Encoding"] == "br"
        assert brotli.decompress(body) == plain and "花呗" in plain.decode()
        assert int(headers["Content-Length"]) == len(body)


def test_a_cdn_revalidating_a_page_gets_a_304(server):
    _, headers, _, _ = server.get("/")
    assert "s-maxage=60" in headers["Cache-Control"]
    status, _, body, _ = server.get("/", {**HTTPS, "If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""


def test_logs_are_json_lines_with_the_request_id(server):
    status, headers, _, _ = server.get("/", {**HTTPS, "X-Request-ID": "lb-4f2a"})
    assert status == 200 and headers["X-Request-ID"] == "lb-4f2a"
    _, headers, _, _ = server.get("/articles/no-such-article/")
    generated = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    # The access line is written just after the answer: wait for it a little.
    for _ in range(50):
        records = server.log_records()  # every line parses as JSON
        access = [r for r in records if r["logger"] == "gunicorn.access"]
        if any(r.get("request_id") == generated for r in access):
            break
        time.sleep(0.1)
    assert {"request_id": "lb-4f2a", "status": 200, "path": "/", "method": "GET"}.items() <= (
        next(r for r in access if r.get("request_id") == "lb-4f2a").items()
    )
    not_found = next(
        r for r in records if r["logger"] == "django.request" and r.get("request_id") == generated
    )
    assert not_found["level"] == "WARNING" and not_found["status"] == 404
    assert not_found["request_id"] == generated
    assert not_found["path"] == "/articles/no-such-article/"


def test_database_down_gives_the_branded_503_page_within_a_second(site, serve, tmp_path):
    # Port 1: nothing listens, every connection is refused, as when PostgreSQL is down.
    down = {
        **site,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/kb",
        "KB_VAR_DIR": str(tmp_path / "var"),
    }
    server = serve(down)
    for path in ("/", "/articles/huabei-fenqi-wufa-huankuan/", "/api/articles"):
        status, headers, body, _ = server.get(path)
        assert status == 503, (path, body[:300])
        assert headers["Retry-After"] == "30"
        if path == "/api/articles":
            assert json.loads(body) == {"detail": "服务暂时不可用，请稍后重试。"}
        else:
            assert "帮助中心暂时无法访问" in body.decode()
            assert "Traceback" not in body.decode()
    # Timed once the workers have loaded their templates (a cold start is not the outage).
    seconds = sorted(server.get(f"/articles/x-{n}/")[3] for n in range(7))
    assert seconds[3] < 1, seconds
    print(
        f"503 with the database down: median {seconds[3] * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms"
    )
    status, _, body, _ = server.get("/readyz")
    assert status == 503 and json.loads(body)["checks"]["database"] == "unavailable"
    assert server.get("/healthz")[0] == 200
    server.stop()

    error = next(r for r in server.log_records() if r["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["status"] == 503 and error["path"] == "/"
    assert "OperationalError" in error["exception"] and error["request_id"] != "-"


@pytest.mark.skipif(
    not os.environ.get("KB_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (the CI run on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_the_site_recovers_by_itself_when_the_database_returns(site, serve, tmp_path):
    from django.db import connection

    database = connection.settings_dict
    name = database["NAME"]  # the test database, migrated by pytest-django
    proxy = TcpProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    proxy.up()
    url = f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{name}"
    server = serve({**site, "DATABASE_URL": url, "KB_VAR_DIR": str(tmp_path / "var")})
    try:
        # Query strings keep these pages out of the page cache: each one asks the database.
        assert server.get(f"/?{uuid.uuid4().hex}")[0] == 200
        proxy.down()
        status, _, body, seconds = server.get(f"/?{uuid.uuid4().hex}")
        assert status == 503 and "帮助中心暂时无法访问" in body.decode() and seconds < 1
        proxy.up()
        statuses = [server.get(f"/?{uuid.uuid4().hex}")[0] for _ in range(8)]
        assert statuses == [200] * 8
        assert server.get("/readyz")[0] == 200
    finally:
        server.stop()
        proxy.down()


def test_reloading_gunicorn_with_hup_under_load_drops_no_request(site, serve):
    server = serve(site)
    results, lock = [], threading.Lock()
    deadline = time.monotonic() + 6

    def client(n):
        while time.monotonic() < deadline:
            try:
                status = server.get(f"/?client={n % 3}")[0]
            except OSError as error:
                status = repr(error)
            with lock:
                results.append(status)

    clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in clients:
        thread.start()
    time.sleep(1.5)
    server.process.send_signal(signal.SIGHUP)
    time.sleep(2)
    server.process.send_signal(signal.SIGHUP)
    for thread in clients:
        thread.join()
    server.stop()

    failures = [status for status in results if status != 200]
    assert not failures, f"{len(failures)} of {len(results)} failed: {failures[:5]}"
    assert len(results) > 50
    hangups = [r for r in server.log_records() if "Hang up" in r["message"]]
    assert len(hangups) == 2
    print(f"two HUPs under load: {len(results)} requests, none failed")


def _answered_or_refused(port, timeout=0.5):
    """'answered', 'refused', 'reset' (taken into the queue of a socket that then closed: an
    immediate error a proxy retries elsewhere), or 'waiting' (nobody answers within ``timeout``)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/healthz", headers={"Connection": "close"})
        connection.getresponse().read()
        return "answered"
    except ConnectionRefusedError:
        return "refused"
    except (ConnectionResetError, http.client.RemoteDisconnected):
        return "reset"
    except TimeoutError:
        return "waiting"
    finally:
        connection.close()


def test_a_killed_master_costs_no_more_than_a_stopped_one(site, serve):
    """SIGKILL to the master: its workers are told at once (gunicorn.conf.py, post_fork), let go
    of the port while they finish, and a balancer's next connection is refused at once (it
    tries another server) instead of waiting in the socket's queue for seconds."""
    server = serve(site)
    workers = server.worker_pids()
    # A reader's kept-alive connection: a stopping worker keeps it a while, as under load.
    reader = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    reader.request("GET", "/healthz", headers=HTTPS)
    reader.getresponse().read()
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    started = time.monotonic()
    seen = []
    while time.monotonic() - started < 3:
        seen.append((round(time.monotonic() - started, 2), _answered_or_refused(server.port)))
        time.sleep(0.05)
    reader.close()
    assert "waiting" not in {state for _, state in seen}, seen
    # Refused soon (a loaded machine may take a moment to run the probes themselves).
    assert any(state == "refused" for moment, state in seen if moment < 1.5), seen

    def gone(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    deadline = time.monotonic() + 10
    while not all(gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(gone(pid) for pid in workers), "workers outlived their master"


def test_article_views_counted_in_memory_are_written_when_workers_stop(site, serve):
    """Views of cached pages are added up per worker (kb.hits) and written when it exits."""
    import sqlite3
    from pathlib import Path

    database = Path(site["KB_VAR_DIR"]) / "db.sqlite3"

    def views():
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT coalesce(sum(h.views), 0) FROM kb_articlehits h"
                " JOIN kb_article a ON a.id = h.article_id WHERE a.slug = ?",
                ["huabei-fenqi-wufa-huankuan"],
            ).fetchone()
        return row[0]

    before = views()
    server = serve({**site, "KB_VIEW_FLUSH_SECONDS": "3600"})
    for _ in range(6):
        status, headers, _, _ = server.get("/articles/huabei-fenqi-wufa-huankuan/")
        assert status == 200
    assert headers["X-Page-Cache"] == "hit"
    assert views() == before  # in memory so far
    server.stop()
    assert views() == before + 6


def test_searches_counted_in_memory_are_written_when_workers_stop(site, serve):
    """A flood of searches costs each worker additions in memory (kb.search.log), written when
    it exits."""
    import sqlite3
    from pathlib import Path

    database = Path(site["KB_VAR_DIR"]) / "db.sqlite3"

    def searches():
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT coalesce(sum(searches), 0) FROM kb_searchqueryday"
            ).fetchone()
        return row[0]

    before = searches()
    server = serve({**site, "KB_SEARCH_LOG_FLUSH_SECONDS": "3600"})
    for _ in range(6):
        assert server.get("/search/?q=%E8%8A%B1%E5%91%97")[0] == 200
    assert searches() == before  # in memory so far
    server.stop()
    assert searches() == before + 6


def request(port, method, path, headers):
    """(status, headers, body) of one request with any method, on a fresh connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers={"Connection": "close", **headers})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site_url_server(site, tmp_path_factory):
    """A production server told its address (KB_SITE_URL)."""
    env = {**site, "KB_SITE_URL": f"https://{HOST}"}
    server = Server(env, tmp_path_factory.mktemp("site-url") / "gunicorn.log")
    yield server
    server.stop()


def test_a_real_server_writes_its_own_address_whatever_the_host_header(site_url_server):
    odd_host = {**HTTPS, "Host": "HELP.example.com:1337"}
    status, _, body, _ = site_url_server.get("/", odd_host)
    assert status == 200
    assert f'<link rel="canonical" href="https://{HOST}/">' in body.decode()
    assert (
        f"Sitemap: https://{HOST}/sitemap.xml"
        in site_url_server.get("/robots.txt", odd_host)[2].decode()
    )
    # The redirect to HTTPS goes to the site's address, not to the host a client named.
    status, headers, _, _ = site_url_server.get("/search/?q=1", {"Host": "help.example.com."})
    assert status == 301 and headers["Location"] == f"https://{HOST}/search/?q=1"


def test_a_real_server_refuses_trace_and_unknown_methods(site_url_server):
    for method, path in (("TRACE", "/"), ("TRACE", "/healthz"), ("TRACK", "/api/articles")):
        status, headers, body = request(
            site_url_server.port, method, path, {**HTTPS, "X-Secret": "echo-me"}
        )
        assert status == 405, (method, path)
        assert headers["Allow"] == "GET, HEAD, POST, OPTIONS"
        assert b"echo-me" not in body


def test_a_real_server_sends_the_security_headers_on_probes_errors_and_files(site_url_server):
    _, _, page, _ = site_url_server.get("/")
    stylesheet = re.search(r'href="(/static/kb/site\.[0-9a-f]{12}\.css)"', page.decode()).group(1)
    responses = {
        "healthz by ip": site_url_server.get("/healthz", {"Host": "10.0.0.7:8000"}),
        "readyz by ip": site_url_server.get("/readyz", {"Host": "10.0.0.7:8000"}),
        "bad host": site_url_server.get("/", {**HTTPS, "Host": "evil.example"}),
        "not found": site_url_server.get("/articles/no-such-article/"),
        "static file": site_url_server.get(stylesheet),
    }
    for name, (status, headers, *_) in responses.items():
        assert status == {"bad host": 400, "not found": 404}.get(name, 200), name
        assert "camera=()" in headers["Permissions-Policy"], name
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", name
    assert "无法处理这个请求" in responses["bad host"][2].decode()
