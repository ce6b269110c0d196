"""Hostile input: whatever a reader, a bot or an API client sends, the answer is never a 5xx.

Property-based (hypothesis) on the search function, the search page, suggestions, the API's
parameters, the troubleshooter's steps and feedback votes; schemathesis against the API's own
OpenAPI schema (every answer must also match the schema). Examples are bounded so that
`make test` stays quick; HYPOTHESIS_PROFILE=thorough asks for more.
"""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.search.engine import search, suggest

settings.register_profile(
    "quick",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

SLUG = "huabei-fenqi-wufa-huankuan"

# Text as it arrives: any Unicode (NUL, controls, emoji, CJK in both scripts), the search
# engines' own syntax, and query strings far longer than any question.
hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from("\"*^:()-+~ANDORNEAR{}[]\\'%_ 花呗還款"), max_size=60),
    st.sampled_from(["", " ", "\x00", "NEAR(a b)", '"', "*", "a" * 5000, "花" * 1000, "%", "\\"]),
)
# Parameters as strings: numbers, huge numbers, negatives, words.
hostile_number = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=20),
)


def no_server_error(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    return response


@pytest.mark.django_db
@given(text=hostile_text)
def test_search_function_takes_any_text(imported, text):
    page = search(text, log=True)
    assert page.count >= 0
    assert all(r.url.startswith("/") for r in page.results)
    assert isinstance(suggest(text), list)


@pytest.mark.django_db
@given(q=hostile_text, page=hostile_number)
@example(q="花呗", page="²")  # a digit to str.isdigit(), not to int(): once a 500
def test_search_page_answers_any_query(client, imported, q, page):
    response = no_server_error(client.get("/search/", {"q": q, "page": page}))
    assert response.status_code == 200


@pytest.mark.django_db
@given(q=hostile_text, page=hostile_number, per_page=hostile_number)
def test_api_search_answers_any_parameters_with_json(client, imported, q, page, per_page):
    response = no_server_error(
        client.get("/api/search", {"q": q, "page": page, "per_page": per_page})
    )
    assert response.status_code in (200, 400)
    body = response.json()
    assert "results" in body if response.status_code == 200 else isinstance(body["detail"], str)


@pytest.mark.django_db
@given(q=hostile_text)
def test_suggestions_answer_any_prefix(client, imported, q):
    response = no_server_error(client.get("/api/suggest", {"q": q}))
    assert response.status_code == 200 and isinstance(response.json()["suggestions"], list)


@pytest.mark.django_db
@given(
    slug=st.one_of(st.just(SLUG), st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True)),
    position=st.integers(min_value=0, max_value=10**20),
    step=st.sampled_from(["", "yes/", "none/"]),
)
def test_troubleshooter_steps_answer_any_position(client, imported, slug, position, step):
    if step == "none/":
        path = f"/articles/{slug}/troubleshoot/none/"
    else:
        path = f"/articles/{slug}/troubleshoot/{position}/{step}"
    response = no_server_error(client.get(path))
    assert response.status_code in (200, 301, 404)


@pytest.mark.django_db
@given(
    helpful=st.one_of(st.sampled_from(["yes", "no"]), st.text(max_size=10)),
    cause=st.one_of(st.none(), hostile_number),
    comment=st.one_of(st.none(), st.text(max_size=400)),
    json=st.booleans(),
)
def test_feedback_votes_refuse_bad_input_without_an_error(
    client, imported, helpful, cause, comment, json
):
    data = {"helpful": helpful}
    if cause is not None:
        data["cause"] = cause
    if comment is not None:
        data["comment"] = comment
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    response = no_server_error(client.post(f"/articles/{SLUG}/feedback/", data, **headers))
    # Saved, refused as invalid, or too many from this visitor: never an error.
    assert response.status_code in (200, 303, 400, 429)


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def test_connection_kept_across_requests():
    """The WSGI handler closes the database connection around each request, and with it the
    test's transaction (on PostgreSQL); Django's own test client unhooks it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40)
def test_api_answers_match_its_openapi_schema(imported, test_connection_kept_across_requests, case):
    # Every default check: no 5xx, status codes, content types and bodies as the schema says.
    # Uncompressed: schemathesis's WSGI client would not decode gzip (tests/test_compression.py).
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
