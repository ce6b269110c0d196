"""A bounded HTTP load generator for loopback: N concurrent connections asking for a list of
paths in turn, for a fixed time or a fixed number of requests. Pure Python (asyncio), so
`make bench` and `make soak` need nothing installed beyond the lock file.

It speaks just enough HTTP/1.1 for our own server: a GET, a status line, headers, a body of
Content-Length bytes (or chunked). A request counts as failed on any status outside ``ok`` or
any connection error; nothing is retried.
"""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

from support.live import HTTPS


@dataclass
class LoadResult:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, successful requests
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # exception class name -> count
    page_cache: Counter = field(default_factory=Counter)  # X-Page-Cache: hit, miss, (none)
    bytes: int = 0

    @property
    def requests(self):
        return sum(self.statuses.values()) + sum(self.errors.values())

    def failures(self, ok=(200,)):
        bad = sum(count for status, count in self.statuses.items() if status not in ok)
        return bad + sum(self.errors.values())

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p):
        if not self.latencies:
            return None
        values = sorted(self.latencies)
        return values[min(len(values) - 1, int(len(values) * p / 100))]

    def summary(self):
        return {
            "requests": self.requests,
            "failures": self.failures(),
            "requests_per_second": round(self.per_second, 1),
            "p50_ms": round(self.percentile(50), 2) if self.latencies else None,
            "p99_ms": round(self.percentile(99), 2) if self.latencies else None,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": dict(self.errors),
            "page_cache": dict(self.page_cache),
        }


async def _read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            body += await reader.readexactly(size)
            await reader.readexactly(2)
        await reader.readuntil(b"\r\n")
    else:
        body = await reader.read()
    closes = headers.get("connection", "").lower() == "close"
    return status, len(body), closes, headers.get("x-page-cache", "none")


def _request(path, headers, keepalive):
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
    lines.append(f"Connection: {'keep-alive' if keepalive else 'close'}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _client(port, paths, offset, headers, keepalive, stop, result, timeout):
    """One connection's worth of requests: reconnects when the server (or a failure) closes it."""
    n = offset
    writer = None
    while not stop():
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port), timeout
                )
                on_connection = 0
            on_connection += 1
            writer.write(_request(paths[n % len(paths)], headers, keepalive))
            n += 1
            status, size, closes, cached = await asyncio.wait_for(_read_response(reader), timeout)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as error:
            result.errors[type(error).__name__] += 1
            closes = True
        else:
            result.statuses[status] += 1
            result.page_cache[cached] += 1
            result.bytes += size
            if status < 400:
                result.latencies.append((time.perf_counter() - started) * 1000)
        # keepalive: True (as long as the server keeps it), False, or a number of requests
        # after which the connection is replaced, as browsers and balancers do now and then.
        renew = keepalive is not True and on_connection >= keepalive
        if closes or not keepalive or renew:
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _run(port, paths, connections, seconds, requests, headers, keepalive, timeout):
    result = LoadResult()
    started = time.perf_counter()
    if requests is not None:

        def stop():
            return result.requests >= requests
    else:

        def stop():
            return time.perf_counter() - started >= seconds

    await asyncio.gather(
        *(
            # Starting points spread evenly over the list: with a long list of distinct paths
            # (pages not cached yet), no two connections ask for the same one.
            _client(
                port,
                paths,
                i * len(paths) // connections,
                headers,
                keepalive,
                stop,
                result,
                timeout,
            )
            for i in range(connections)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def run_load(
    port,
    paths,
    *,
    connections=10,
    seconds=None,
    requests=None,
    headers=HTTPS,
    keepalive=True,
    timeout=10,
):
    """Ask for ``paths`` (in turn, the connections starting evenly spread over the list) over
    ``connections`` concurrent connections until ``seconds`` have passed or ``requests`` were
    made. ``keepalive``: True, False (a connection per request) or N (a new connection after
    N requests). Returns a LoadResult."""
    assert (seconds is None) != (requests is None), "give seconds or requests"
    return asyncio.run(
        _run(port, list(paths), connections, seconds, requests, headers, keepalive, timeout)
    )
