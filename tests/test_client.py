"""kb.client.client_address: the one address every limit keys on, proxies or not."""

import pytest
from django.test import RequestFactory

from kb.client import client_address

factory = RequestFactory()


def request(remote="203.0.113.9", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **headers)


def test_without_trusted_proxies_a_forged_header_is_ignored(settings):
    settings.KB_TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.KB_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended what it really saw.
    forged = request(remote="10.0.0.2", forwarded="198.51.100.1, 192.0.2.44")
    assert client_address(forged) == "192.0.2.44"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings):
    settings.KB_TRUSTED_PROXY_COUNT = 2
    chain = request(remote="10.0.0.2", forwarded="198.51.100.1, 192.0.2.44, 10.0.0.1")
    assert client_address(chain) == "192.0.2.44"


def test_behind_a_proxy_without_the_header_the_peer_is_the_client(settings):
    settings.KB_TRUSTED_PROXY_COUNT = 1
    assert client_address(request(remote="10.0.0.2")) == "10.0.0.2"


@pytest.mark.parametrize("junk", ["not-an-ip", "<script>", "999.1.1.1"])
def test_an_address_that_is_not_one_is_unknown(settings, junk):
    settings.KB_TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded=junk)) == ""
    assert client_address(request(forwarded=f"{junk}, 1.2.3.4")) == "1.2.3.4"


def test_an_empty_header_behind_a_proxy_means_the_peer(settings):
    settings.KB_TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded=" , ")) == "203.0.113.9"


def test_readers_behind_one_proxy_get_separate_feedback_limits(client, settings, imported):
    """Two readers behind the same balancer do not share one vote bucket."""
    from kb.feedback import address_limited

    settings.KB_TRUSTED_PROXY_COUNT = 1
    first = request(remote="10.0.0.2", forwarded="192.0.2.1")
    second = request(remote="10.0.0.2", forwarded="192.0.2.2")
    for _ in range(200):
        address_limited(first, "test-scope", limit=5)
    assert address_limited(first, "test-scope", limit=5)
    assert not address_limited(second, "test-scope", limit=5)
