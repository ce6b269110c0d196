"""gunicorn settings: `gunicorn --config gunicorn.conf.py config.wsgi`. Environment overrides.

gthread workers: each worker process runs GUNICORN_THREADS threads, so a reader waiting on a slow
database does not hold a whole process. `kill -HUP <master>` reloads gracefully: new workers
start, old ones finish the requests they have (up to GUNICORN_GRACEFUL_TIMEOUT) and exit, and
the listening socket never closes, so no request is dropped. A worker whose master is gone
(stopped, or killed) is told at once and lets go of the port (ThreadWorker, post_fork).
"""

import ctypes
import ctypes.util
import multiprocessing
import os
import signal

from gunicorn.workers.gthread import ThreadWorker as GThreadWorker

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")


class ThreadWorker(GThreadWorker):
    """gthread, but a stopping worker lets go of the listening socket at once instead of when
    it exits. The socket is closed once no process holds it: when the master is gone (stopped,
    or killed: see post_fork) new connections are refused at once, and a balancer or nginx
    sends them to another server, instead of waiting in the socket's queue for a worker that
    will never accept them (about 8 s: its requests and kept-alive connections finishing). On a
    reload (HUP) the master and the new workers hold it: nothing changes for readers."""

    def set_accept_enabled(self, enabled):
        super().set_accept_enabled(enabled)
        if not enabled and (not self.alive or not self.is_parent_alive()):
            for listener in self.sockets:
                listener.close()


worker_class = ThreadWorker
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request running longer than this is stuck: the worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Longer than a load balancer's idle timeout would cut connections it still wants to reuse.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (jittered, so not all at once) to bound slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Load the app before forking: workers share the dictionaries' memory and start faster.
preload_app = True
# Heartbeat files in memory: a container's overlay filesystem can stall them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which
# several servers on one machine would share, and which a non-root container cannot create.
# Signals (HUP, TERM) do the job; set GUNICORN_CONTROL_SOCKET to a path to have one.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s "%(a)s"'

# Production logs are JSON lines (kb.logs), the access log included, with the request id.
_settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
_default_format = "json" if _settings_module.endswith(".prod") else "text"
if os.environ.get("KB_LOG_FORMAT", _default_format) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "kb.logs.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }


_PR_SET_PDEATHSIG = 1


def post_fork(server, worker):
    """A worker is told (SIGTERM: finish what it has, stop accepting) the moment its master
    dies, even by SIGKILL (Linux prctl PR_SET_PDEATHSIG): a KILL costs no more than a TERM."""
    libc_name = ctypes.util.find_library("c")
    if libc_name and os.uname().sysname == "Linux":
        libc = ctypes.CDLL(libc_name, use_errno=True)
        # (A master that died before this call is seen by the worker's own check of its parent.)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
