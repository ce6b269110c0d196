import json
import logging

from django.test import RequestFactory

from kb.logs import JsonFormatter, RequestIdFilter


def test_a_sane_request_id_from_the_balancer_is_kept_and_echoed(client, db):
    response = client.get("/articles/none/", HTTP_X_REQUEST_ID="lb-7c1e.42")
    assert response["X-Request-ID"] == "lb-7c1e.42"


def test_a_request_id_that_could_forge_log_lines_is_replaced(client, db):
    for bad in ("evil\r\nlevel=ERROR", "x" * 65, "名字"):
        response = client.get("/articles/none/", HTTP_X_REQUEST_ID=bad)
        assert response.status_code == 404
        assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()


def test_an_error_is_one_json_line_with_the_request_and_the_traceback():
    request = RequestFactory().get("/articles/x/?q=1")
    request.request_id = "abc123"
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/x",),
            sys.exc_info(),
        )
    record.request = request
    record.status_code = 500
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Internal Server Error: /x" and entry["level"] == "ERROR"
    assert entry["request_id"] == "abc123" and entry["status"] == 500
    assert entry["method"] == "GET" and entry["path"] == "/articles/x/?q=1"
    assert "ValueError: boom" in entry["exception"]
