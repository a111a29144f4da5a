"""A polite SPARQL client for the Wikidata Query Service, built on SPARQLWrapper.

The public endpoint throttles per client (IP and User-Agent), answers 429 with
``Retry-After`` when a client asks too much, bans clients that ignore it, refuses generic
User-Agents, and may answer HTTP 200 with a body that is not results at all (an HTML notice
or a Java stack trace). So this client:

- sends a descriptive User-Agent (project name, version, contact URL from the package
  metadata, plus an optional contact of the person running it);
- sends one request at a time (a lock shared by every client in the process);
- gives up on a request after ``timeout`` seconds;
- waits as long as ``Retry-After`` says after a 429 (up to ``max_wait``; a minute when the
  header is missing), and backs off exponentially after a 5xx or a timeout, for at most
  ``retries`` retries;
- treats a 200 whose body is not SPARQL JSON results as an error;
- caches every good response on disk, keyed by a hash of endpoint and query, so asking
  again costs nothing and a refresh can be resumed offline.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import socket
import threading
import time
import urllib.error
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"

# One request at a time, whatever number of clients a process makes (WMF's advice).
_ONE_AT_A_TIME = threading.Lock()


class WikidataError(Exception):
    """The endpoint could not give a valid answer (after the retries allowed)."""


def user_agent(contact: str | None = None) -> str:
    """``coalition-kg/0.1.0 (https://w3id.org/coalition-kg/; mailto:…) SPARQLWrapper/2.0.0``."""
    meta = metadata.metadata("coalition-kg")
    urls = [entry.split(",", 1)[1].strip() for entry in meta.get_all("Project-URL") or []]
    details = "; ".join([*urls[:1], *([contact] if contact else [])])
    return f"coalition-kg/{meta['Version']} ({details}) SPARQLWrapper/{metadata.version('sparqlwrapper')}"


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class WikidataClient:
    """``select(query)`` returns the rows of a SELECT as lists of dicts (SPARQL JSON bindings)."""

    endpoint: str = WIKIDATA_ENDPOINT
    cache_dir: Path | None = None
    timeout: float = 60.0          # WDQS stops a query after 60 s itself
    retries: int = 4
    max_wait: float = 300.0        # a Retry-After longer than this is not waited for
    backoff: float = 2.0           # first wait after a 5xx or a timeout; doubles each time
    busy_wait: float = 60.0        # wait after a 429 that gives no Retry-After
    contact: str | None = None
    sleep: Callable[[float], None] = time.sleep
    requests_sent: int = field(default=0, init=False)

    @property
    def agent(self) -> str:
        return user_agent(self.contact)

    def cache_path(self, query: str) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(f"{self.endpoint}\n{query}".encode("utf-8")).hexdigest()
        return Path(self.cache_dir) / f"{digest}.json"

    def select(self, query: str) -> list[dict]:
        """The result rows of ``query``, from the cache when it was asked before."""
        cached = self.cache_path(query)
        if cached is not None and cached.is_file():
            return parse_results(cached.read_bytes(), f"cached response {cached}")["results"]["bindings"]
        body = self._fetch(query)
        results = parse_results(body, f"the answer of {self.endpoint}")
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".tmp-{os.getpid()}")
            partial.write_bytes(body)
            os.replace(partial, cached)
        return results["results"]["bindings"]

    def _fetch(self, query: str) -> bytes:
        """One request, retried on 429, 5xx and timeouts as the endpoint asks; the raw body."""
        backoff, problem = self.backoff, ""
        for attempt in range(self.retries + 1):
            with _ONE_AT_A_TIME:
                self.requests_sent += 1
                body, delay, problem = self._attempt(query, backoff)
            if body is not None:
                return body
            if attempt < self.retries:
                self.sleep(delay)
            backoff *= 2
        raise WikidataError(f"{self.endpoint} failed {self.retries + 1} times; last: {problem}")

    def _attempt(self, query: str, backoff: float) -> tuple[bytes | None, float, str]:
        """The body of one request, or how long to wait before trying again and why."""
        try:
            return self._request(query), 0.0, ""
        except urllib.error.HTTPError as exc:
            if exc.code == 429:
                asked = retry_after(exc.headers.get("Retry-After"))
                if asked is not None and asked > self.max_wait:
                    raise WikidataError(f"{self.endpoint} answered 429 Too Many Requests and asks to wait "
                                        f"{asked:.0f} s (more than {self.max_wait:.0f} s); try later") from None
                return (None, asked if asked is not None else max(backoff, self.busy_wait),
                        f"429 Too Many Requests (Retry-After: {exc.headers.get('Retry-After')})")
            if exc.code >= 500:
                return None, backoff, f"HTTP {exc.code}"
            raise WikidataError(f"{self.endpoint} answered HTTP {exc.code}: {_text(exc)}") from None
        except EndPointInternalError:  # SPARQLWrapper's own exception for HTTP 500
            return None, backoff, "HTTP 500"
        except (TimeoutError, socket.timeout):
            return None, backoff, f"no answer within {self.timeout:g} s"
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise WikidataError(f"cannot reach {self.endpoint}: {exc.reason}") from None
            return None, backoff, f"no answer within {self.timeout:g} s"
        except SPARQLWrapperException as exc:
            raise WikidataError(f"{self.endpoint} refused the query: {exc}") from None

    def _request(self, query: str) -> bytes:
        wrapper = SPARQLWrapper(self.endpoint, agent=self.agent)
        wrapper.setQuery(query)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.timeout = self.timeout   # setTimeout() rounds down to whole seconds, 0.5 s to none at all
        return wrapper.query().response.read()


def _text(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace")[:200]
    except OSError:
        return exc.reason or ""


def parse_results(body: bytes, what: str) -> dict:
    """SPARQL 1.1 JSON results, or ``WikidataError`` saying why the body is not that.

    WDQS may send HTTP 200 with a notice ("please set a user-agent") or a truncated body
    ending in a Java exception when a query times out: both are errors, never "no rows".
    """
    try:
        results = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        start = body[:120].decode("utf-8", "replace").strip().replace("\n", " ")
        raise WikidataError(f"{what} is not SPARQL JSON results: {start!r}") from None
    if (not isinstance(results, dict) or not isinstance(results.get("results"), dict)
            or not isinstance(results["results"].get("bindings"), list)):
        raise WikidataError(f"{what} is JSON but not SELECT results (no results.bindings)")
    return results
