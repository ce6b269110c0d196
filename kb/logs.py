"""Request ids and JSON log lines.

Every request gets an id: the load balancer's ``X-Request-ID`` when it sends a sane one, else a
new one. It is echoed in the response header and added to every log line written while the
request is handled, so one id finds a reader's complaint, the access log line and the traceback.

Only the standard library here: gunicorn imports this module for its own logs before Django is
set up (gunicorn.conf.py).
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_request_id = contextvars.ContextVar("request_id", default="-")


def current_request_id():
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        # A client-chosen id is kept only if it cannot forge log lines or bloat them.
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id`` ("-" outside a request) for the formatters."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


# gunicorn's access log passes its atoms as the record's args: name -> atom.
_ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "referer": "f",
    "user_agent": "a",
    "request_id": "{x-request-id}o",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and context."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry["message"] = "request"
            for name, atom in _ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-", ""):
                    entry[name] = (
                        _number(value) if name in {"status", "bytes", "duration_ms"} else value
                    )
        else:
            entry["message"] = record.getMessage()
            request = getattr(record, "request", None)
            # Django logs 4xx answers after the middleware has returned: ask the request.
            entry["request_id"] = getattr(request, "request_id", None) or (
                getattr(record, "request_id", None) or current_request_id()
            )
            if request is not None and hasattr(request, "method"):
                # django.request and django.server pass the request: say which one failed.
                entry["method"] = request.method
                entry["path"] = request.get_full_path()
            if hasattr(record, "status_code"):
                entry["status"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value
