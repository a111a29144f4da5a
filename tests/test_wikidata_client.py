"""The Wikidata client behaves well towards the public endpoint, and fails loudly when it must.

A small HTTP server on loopback plays the endpoint's bad days: 429 with Retry-After, 500
and 503, an answer too slow to wait for, and an HTTP 200 whose body is not results (WDQS
sends an HTML notice to clients without a proper User-Agent). Each path of the server is
one scenario; the server records every request it gets (time, User-Agent, how many were
in flight), so the tests check what the client really sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from coalition_kg.wikidata import WikidataClient, WikidataError, retry_after

RESULTS = json.dumps({"head": {"vars": ["x"]},
                      "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}).encode()
QUERY = "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1"


class Endpoint(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()

    def url(self, scenario: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{scenario}"

    def seen(self, scenario: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == "/" + scenario]


class Handler(BaseHTTPRequestHandler):
    server: Endpoint

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            self.server.in_flight += 1
            self.server.max_in_flight = max(self.server.max_in_flight, self.server.in_flight)
            self.server.requests.append({"path": self.path, "time": time.monotonic(),
                                         "agent": self.headers.get("User-Agent", "")})
            count = len(self.server.seen(self.path.lstrip("/")))
        try:
            self.answer(self.path.lstrip("/"), count)
        finally:
            with self.server.lock:
                self.server.in_flight -= 1

    def reply(self, status: int, body: bytes = b"", content_type: str = "application/sparql-results+json",
              headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def answer(self, scenario: str, count: int) -> None:
        if scenario == "ok":
            self.reply(200, RESULTS)
        elif scenario == "busy-once":
            self.reply(429, b"Too many requests", "text/plain", {"Retry-After": "1"}) if count == 1 else self.reply(200, RESULTS)
        elif scenario == "busy-always":
            self.reply(429, b"Too many requests", "text/plain", {"Retry-After": "1"})
        elif scenario == "busy-without-retry-after":
            self.reply(429, b"Too many requests", "text/plain") if count == 1 else self.reply(200, RESULTS)
        elif scenario == "busy-for-an-hour":
            self.reply(429, b"Too many requests", "text/plain", {"Retry-After": "3600"})
        elif scenario == "error-once":
            self.reply(500, b"java.lang.IllegalStateException", "text/plain") if count == 1 else self.reply(200, RESULTS)
        elif scenario == "unavailable":
            self.reply(503, b"Service Unavailable", "text/plain")
        elif scenario == "bad-query":
            self.reply(400, b"Lexical error at line 1", "text/plain")
        elif scenario == "slow":
            time.sleep(2)
            self.reply(200, RESULTS)
        elif scenario == "a-little-slow":
            time.sleep(0.2)
            self.reply(200, RESULTS)
        elif scenario == "html-notice":
            self.reply(200, b"<html><body>Please set a user-agent and respect our robot policy</body></html>",
                       "text/html")
        elif scenario == "truncated":
            self.reply(200, b'{"head":{"vars":["x"]},"results":{"bindings":[ java.util.concurrent.TimeoutException')
        elif scenario == "json-without-results":
            self.reply(200, b'{"error": "query timeout"}', "application/json")
        else:
            self.reply(404, b"no such scenario", "text/plain")


@pytest.fixture
def endpoint():
    server = Endpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def client(url: str, **options) -> WikidataClient:
    """A client with short waits, so the scenarios run in seconds."""
    return WikidataClient(url, **{"timeout": 5, "retries": 2, "backoff": 0.05, **options})


def test_a_good_answer_gives_the_rows(endpoint):
    assert client(endpoint.url("ok")).select(QUERY) == [{"x": {"type": "literal", "value": "1"}}]


def test_the_user_agent_names_the_project_its_version_contact_url_and_the_user_s_contact(endpoint):
    client(endpoint.url("ok"), contact="mailto:analyst@example.org").select(QUERY)
    agent = endpoint.seen("ok")[0]["agent"]
    assert agent.startswith("coalition-kg/0.1.0 (https://w3id.org/coalition-kg/; mailto:analyst@example.org)")
    assert "SPARQLWrapper/" in agent


def test_a_429_is_retried_after_the_seconds_retry_after_asks(endpoint):
    assert client(endpoint.url("busy-once")).select(QUERY)
    first, second = endpoint.seen("busy-once")
    assert second["time"] - first["time"] >= 1.0


def test_a_429_without_retry_after_waits_the_client_s_busy_wait(endpoint):
    assert client(endpoint.url("busy-without-retry-after"), busy_wait=0.5).select(QUERY)
    first, second = endpoint.seen("busy-without-retry-after")
    assert second["time"] - first["time"] >= 0.5


def test_a_server_error_is_retried_with_backoff(endpoint):
    assert client(endpoint.url("error-once")).select(QUERY)
    assert len(endpoint.seen("error-once")) == 2


@pytest.mark.parametrize("scenario, options, message, requests", [
    ("busy-always", {}, r"failed 3 times; last: 429 Too Many Requests \(Retry-After: 1\)", 3),
    ("busy-for-an-hour", {"max_wait": 60}, r"asks to wait 3600 s \(more than 60 s\)", 1),
    ("unavailable", {}, r"failed 3 times; last: HTTP 503", 3),
    ("bad-query", {}, r"refused the query|HTTP 400", 1),
    ("slow", {"timeout": 0.3, "retries": 1}, r"no answer within 0.3 s", 2),
], ids=["429-retries-are-bounded", "retry-after-too-long-stops-at-once", "5xx-retries-are-bounded",
        "bad-query-is-not-retried", "slow-answer-times-out"])
def test_a_request_that_keeps_failing_is_an_error_that_says_why(endpoint, scenario, options, message, requests):
    with pytest.raises(WikidataError, match=message):
        client(endpoint.url(scenario), **options).select(QUERY)
    assert len(endpoint.seen(scenario)) == requests


@pytest.mark.parametrize("scenario", ["html-notice", "truncated", "json-without-results"])
def test_an_http_200_whose_body_is_not_results_is_an_error_not_an_empty_answer(endpoint, scenario, tmp_path):
    with pytest.raises(WikidataError, match=r"not SPARQL JSON results|not SELECT results"):
        client(endpoint.url(scenario), cache_dir=tmp_path).select(QUERY)
    assert list(tmp_path.iterdir()) == [], "a bad answer must not be cached"


def test_answers_are_cached_on_disk_so_asking_again_sends_nothing(endpoint, tmp_path):
    first = client(endpoint.url("ok"), cache_dir=tmp_path).select(QUERY)
    again = client(endpoint.url("ok"), cache_dir=tmp_path).select(QUERY)
    assert first == again
    assert len(endpoint.seen("ok")) == 1
    assert len(list(tmp_path.glob("*.json"))) == 1
    client(endpoint.url("ok"), cache_dir=tmp_path).select(QUERY + " # another query")
    assert len(endpoint.seen("ok")) == 2


def test_the_cache_is_keyed_by_endpoint_too(endpoint, tmp_path):
    client(endpoint.url("ok"), cache_dir=tmp_path).select(QUERY)
    with pytest.raises(WikidataError):
        client(endpoint.url("unavailable"), cache_dir=tmp_path, retries=0).select(QUERY)


def test_requests_go_one_at_a_time_even_from_several_threads(endpoint):
    threads = [threading.Thread(target=client(endpoint.url("a-little-slow")).select, args=(QUERY,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(endpoint.seen("a-little-slow")) == 4
    assert endpoint.max_in_flight == 1


def test_an_unreachable_endpoint_is_a_clear_error():
    with pytest.raises(WikidataError, match=r"cannot reach http://127.0.0.1:9/"):
        client("http://127.0.0.1:9/sparql", retries=0).select(QUERY)


def test_retry_after_is_read_in_seconds_or_as_an_http_date():
    assert retry_after("120") == 120
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after("soon") is None and retry_after(None) is None
