"""Real servers for the tests, the soak and the benchmarks: gunicorn started by deploy/app.sh
with the production settings, spoken to over HTTP on 127.0.0.1, as a load balancer would; and
a TCP proxy that cuts a backing service (PostgreSQL, Redis) off the network and restores it.

Ports come from KB_LIVE_PORTS (default 8201-8299), so that runs sharing a machine can keep to
ranges of their own. Nothing here needs Django settings or pytest: bench/ uses it too.
"""

import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
APP_SH = ROOT / "deploy" / "app.sh"
HOST = "help.example.com"
HTTPS = {"Host": HOST, "X-Forwarded-Proto": "https"}


def free_port():
    low, high = map(int, os.environ.get("KB_LIVE_PORTS", "8201-8299").split("-"))
    for port in random.sample(range(low, high + 1), high + 1 - low):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


def get(port, path, headers=None, timeout=10):
    """(status, headers, body, seconds): one request on a fresh connection."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return response.status, response.headers, body, time.monotonic() - started
    finally:
        connection.close()


def post_form(port, page, action, fields, headers=HTTPS, timeout=10):
    """POST a form as a browser would: GET the form's page, check that it holds a form posting
    to ``action``, then send the fields from our own origin (Origin and Sec-Fetch-Site, as a
    browser sends them; kb.csrf). Returns the status."""
    status, _, body, _ = get(port, page, headers)
    assert status == 200, status
    assert f'action="{action}"'.encode() in body, f"no form posting to {action} on {page}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            action,
            body=urlencode(fields),
            headers={
                **headers,
                "Connection": "close",
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{headers['Host']}",
                "Sec-Fetch-Site": "same-origin",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def production_env(var_dir, static_root, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KB_", "GUNICORN_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "PORT", "WEB_CONCURRENCY"}
    }
    env.update(
        KB_VENV=sys.prefix,
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        KB_VAR_DIR=str(var_dir),
        KB_STATIC_ROOT=str(static_root),
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="4",
    )
    env.update(overrides)
    return env


def app_sh(command, env, *args):
    result = subprocess.run(
        [str(APP_SH), command, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result


def prepare_site(root):
    """A production copy of the site under ``root``: static files collected, SQLite migrated,
    content imported. Returns its environment."""
    env = production_env(Path(root) / "var", Path(root) / "static")
    app_sh("collectstatic", env)
    app_sh("release", env)
    return env


class Server:
    """gunicorn as the image runs it (`deploy/app.sh serve`), its output kept in a file.
    ``ready_seconds``: from launch to the first answer to /healthz (the cold start)."""

    def __init__(self, env, log_path, port=None):
        self.port = port or free_port()
        self.log_path = log_path
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        started = time.monotonic()
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(APP_SH), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = started + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                if get(self.port, "/healthz", timeout=1)[0] == 200:
                    self.ready_seconds = time.monotonic() - started
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"gunicorn did not answer /healthz:\n{self.log()}")

    def get(self, path, headers=HTTPS, **kwargs):
        return get(self.port, path, headers, **kwargs)

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def log_records(self):
        return [json.loads(line) for line in self.log().splitlines() if line.strip()]

    def worker_pids(self):
        # app.sh execs gunicorn: the process we started is the master, its children the workers.
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"


def render_nginx_template(**values):
    """What the official nginx image's entrypoint does: replace ${NAME} for the set variables."""
    return re.sub(
        r"\$\{([A-Z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), NGINX_TEMPLATE.read_text()
    )


class Nginx:
    """nginx with deploy/nginx.conf.template in front of ``app_ports`` (the template's one
    upstream server, and a `server` line more for each other, as its comment says), serving
    ``static_root``; a child process with its own prefix, pid file, logs and temporary files
    under ``workdir``, listening on a port of KB_LIVE_PORTS."""

    def __init__(self, app_ports, static_root, workdir):
        self.port = free_port()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        first, *others = app_ports
        server = render_nginx_template(
            LISTEN_PORT=f"127.0.0.1:{self.port}",
            APP_ADDRESS=f"127.0.0.1:{first}",
            STATIC_ROOT=str(static_root),
        )
        upstream_line = f"server 127.0.0.1:{first} max_fails=0;"
        more = "".join(f"\n    server 127.0.0.1:{port} max_fails=0;" for port in others)
        assert upstream_line in server, "the template's upstream line changed"
        server = server.replace(upstream_line, upstream_line + more)
        (self.workdir / "kb.conf").write_text(server)
        temp = "\n".join(
            f"  {kind}_temp_path {self.workdir}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.workdir / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 2;\npid {self.workdir}/nginx.pid;\n"
            f"error_log {self.workdir}/error.log warn;\nevents {{ worker_connections 1024; }}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n{temp}\n"
            f"  include {self.workdir}/kb.conf;\n}}\n"
        )
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen(
            [binary, "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "stderr.log", "wb"),  # noqa: SIM115 - the child keeps it
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.workdir / "stderr.log").read_text()
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return
            time.sleep(0.05)
        raise AssertionError("nginx did not listen")

    def get(self, path, headers=HTTPS, **kwargs):
        return get(self.port, path, headers, **kwargs)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class TcpProxy:
    """Forwards 127.0.0.1:port to a service (PostgreSQL, Redis); down() cuts every connection
    and refuses new ones, up() accepts again: the service vanishing from the network and coming
    back."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = free_port()
        self.connections = set()
        self.listener = None

    def up(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        self.listener.close()
        for sock in list(self.connections):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.connections.clear()

    def _accept(self, listener):
        while listener.fileno() != -1:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.connections |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
