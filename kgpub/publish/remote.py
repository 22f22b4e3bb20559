"""A remote SPARQL 1.1 store: queries through SPARQLWrapper, updates (SPARQL 1.1 Protocol) and
graph uploads (Graph Store Protocol) with requests.

Transient failures (connection errors, timeouts, 5xx) are retried with
exponential backoff; a 4xx stops at once with the server's own message.
Credentials go in request headers only: they never appear in URLs, logs or
error messages.
"""

from __future__ import annotations

import logging
import re
import socket
import time
import urllib.error
from dataclasses import dataclass, field
from typing import Callable, Iterable, TypeVar
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ..errors import ConfigError, EndpointError

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Query parameters of Oxigraph's ``/store`` for fast bulk loads (no transaction, fewer checks).
OXIGRAPH_BULK_PARAMS = {"no_transaction": "", "lenient": ""}
#: Query parameters of N-Quads uploads to Oxigraph's ``/store``: its bulk loader, which writes
#: nothing before its commit at the end of the request and then ingests every file it built in one
#: RocksDB call, so a request is all or nothing (Oxigraph 0.5 ``BulkLoader::without_atomicity``
#: documents the opposite mode; ``oxigraph load --help``: "Files are loaded atomically").  Not
#: ``lenient``: a malformed line fails the whole request instead of being skipped.
OXIGRAPH_QUADS_PARAMS = {"no_transaction": ""}


@dataclass(frozen=True)
class Credentials:
    """User and password for basic or digest auth; ``repr`` hides the password."""

    user: str
    password: str = field(repr=False)
    scheme: str = "basic"  # basic | digest

    def __post_init__(self) -> None:
        if self.scheme not in ("basic", "digest"):
            raise ConfigError(f"unknown auth scheme {self.scheme!r}: use basic or digest")

    def requests_auth(self) -> AuthBase:
        return HTTPDigestAuth(self.user, self.password) if self.scheme == "digest" else HTTPBasicAuth(self.user, self.password)


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of transient failures: ``attempts`` tries, sleeping ``base * 2**n`` (capped) between."""

    attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 5.0
    timeout: float = 60.0  # seconds per request

    def delays(self):
        for n in range(self.attempts - 1):
            yield min(self.max_delay, self.base_delay * (2 ** n))


def _short(text: str | bytes, limit: int = 500) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit] + "..."


def _endpoint_label(url: str) -> str:
    """The URL without any user-info part, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class RemoteStore:
    """A SPARQL 1.1 store: ``endpoint`` for queries, ``update_endpoint`` for updates,
    ``gsp_endpoint`` for the Graph Store Protocol (``?graph=IRI``).

    ``bulk_params`` are extra query parameters of graph uploads (``OXIGRAPH_BULK_PARAMS``
    for the Oxigraph server); :meth:`detect` fills them from the server's ``Server`` header.
    ``quads_params`` set (a dict, possibly empty) says that a POST of N-Quads to ``gsp_endpoint``
    without ``?graph`` adds them to the dataset in one atomic request (Oxigraph's ``/store``, with
    ``OXIGRAPH_QUADS_PARAMS``): push then uploads the graphs the store does not hold yet that way.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        credentials: Credentials | None = None,
        retry: RetryPolicy = RetryPolicy(),
        bulk_params: dict[str, str] | None = None,
        quads_params: dict[str, str] | None = None,
        insert_data_blank_nodes: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ):
        for url in (endpoint, update_endpoint, gsp_endpoint):
            if url is not None and urlsplit(url).scheme not in ("http", "https"):
                raise ConfigError(f"not an http(s) URL: {_endpoint_label(url)!r}")
            if url is not None and urlsplit(url).password:
                raise ConfigError("put credentials in --user and KGPUB_PASSWORD, not in the URL")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.gsp_endpoint = gsp_endpoint
        self.credentials = credentials
        self.retry = retry
        self.bulk_params = dict(bulk_params or {})
        self.quads_params = dict(quads_params) if quads_params is not None else None
        self.insert_data_blank_nodes = insert_data_blank_nodes
        self.name = _endpoint_label(endpoint)
        self._sleep = sleep
        self._session = requests.Session()
        self._realms: dict[str, str] = {}

    # -- helpers ---------------------------------------------------------------------------------

    def _with_retries(self, what: str, call: Callable[[], T], *, retry: bool = True) -> T:
        delays = list(self.retry.delays()) if retry else []
        for attempt in range(len(delays) + 1):
            try:
                return call()
            except EndpointError as error:
                if not error.retryable or attempt == len(delays):
                    raise
                log.warning("%s: %s; retrying in %.1f s", what, error, delays[attempt])
                self._sleep(delays[attempt])
        raise AssertionError("unreachable")

    def _wrapper(self, url: str) -> SPARQLWrapper:
        sw = SPARQLWrapper(url, agent="kgpub")
        sw.setTimeout(int(self.retry.timeout))
        sw.setMethod(POST)
        if self.credentials is not None:
            if self.credentials.scheme == "digest":
                sw.setHTTPAuth(DIGEST)
                sw.setCredentials(self.credentials.user, self.credentials.password, realm=self._digest_realm(url))
            else:
                sw.setHTTPAuth(BASIC)
                sw.setCredentials(self.credentials.user, self.credentials.password)
        return sw

    def _digest_realm(self, url: str) -> str:
        """Digest auth in urllib needs the realm: ask the server once (an unauthenticated probe)."""
        if url not in self._realms:
            try:
                response = self._session.get(url, timeout=self.retry.timeout)
            except requests.RequestException as error:
                raise EndpointError(f"{_endpoint_label(url)}: {type(error).__name__}", retryable=True) from None
            match = re.search(r'realm="([^"]*)"', response.headers.get("WWW-Authenticate", ""))
            self._realms[url] = match.group(1) if match else "SPARQL"
        return self._realms[url]

    def _sparqlwrapper_call(self, url: str, sw: SPARQLWrapper):
        label = _endpoint_label(url)
        try:
            return sw.query()
        except SPARQLWrapperException as error:
            status = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404,
                      "URITooLong": 414, "EndPointInternalError": 500}.get(type(error).__name__)
            message = _short(getattr(error, "response", None) or str(error))
            raise EndpointError(f"{label}: HTTP {status}: {message}", status=status,
                                retryable=status is not None and status >= 500) from None
        except urllib.error.HTTPError as error:
            body = _short(error.read() or b"")
            raise EndpointError(f"{label}: HTTP {error.code}: {body or error.reason}", status=error.code,
                                retryable=error.code >= 500 or error.code == 429) from None
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise EndpointError(f"{label}: connection failed: {type(reason).__name__}: {_short(str(reason), 200)}",
                                retryable=True) from None

    # -- GraphStore ------------------------------------------------------------------------------

    def select(self, query: str) -> list[dict[str, str]]:
        def run() -> list[dict[str, str]]:
            sw = self._wrapper(self.endpoint)
            sw.setQuery(query)
            sw.setReturnFormat(JSON)
            response = self._sparqlwrapper_call(self.endpoint, sw)
            try:
                data = response.convert()
                return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]
            except (ValueError, KeyError, TypeError) as error:
                raise EndpointError(f"{self.name}: unreadable SELECT results: {error}", retryable=True) from None
        return self._with_retries(f"query {self.name}", run)

    def ask(self, query: str) -> bool:
        def run() -> bool:
            sw = self._wrapper(self.endpoint)
            sw.setQuery(query)
            sw.setReturnFormat(JSON)
            response = self._sparqlwrapper_call(self.endpoint, sw)
            try:
                return bool(response.convert()["boolean"])
            except (ValueError, KeyError, TypeError) as error:
                raise EndpointError(f"{self.name}: unreadable ASK result: {error}", retryable=True) from None
        return self._with_retries(f"query {self.name}", run)

    def update(self, update: str, *, retry: bool = True) -> None:
        """Run an update (SPARQL 1.1 Protocol: POST ``application/sparql-update``); ``retry=False``
        for updates that must not run twice.  Sent with requests rather than SPARQLWrapper, whose
        query-type detection runs regular expressions over the whole text (40 s for the 62 MB of
        updates of a 10,000-note garden)."""
        label = _endpoint_label(self.update_endpoint)
        self._with_retries(f"update {label}", lambda: self._post(
            self.update_endpoint, update.encode("utf-8"), "application/sparql-update", "update"), retry=retry)

    @property
    def atomic_quads_upload(self) -> bool:
        return self.gsp_endpoint is not None and self.quads_params is not None

    def add_ntriples(self, graph: str, data: bytes) -> None:
        """POST N-Triples to the graph (Graph Store Protocol); not retried (see push's graph-level retry)."""
        if self.gsp_endpoint is None:
            raise ConfigError(f"{self.name}: no Graph Store Protocol endpoint (--gsp-endpoint)")
        self._post(_with_params(self.gsp_endpoint, {"graph": graph, **self.bulk_params}), data,
                   "application/n-triples", f"upload to {graph}")

    def add_nquads(self, data: Iterable[bytes]) -> None:
        """POST N-Quads to the dataset (Graph Store Protocol, no ``?graph``), streamed (chunked) unless
        digest auth must send the body twice; not retried (push looks at the records first)."""
        if self.gsp_endpoint is None or self.quads_params is None:
            raise ConfigError(f"{self.name}: no atomic N-Quads upload (--gsp-endpoint and --quads-upload)")
        body: bytes | Iterable[bytes] = iter(data)  # requests streams an iterator, chunked
        if isinstance(data, (list, tuple)) or (self.credentials is not None and self.credentials.scheme == "digest"):
            body = b"".join(data)
        self._post(_with_params(self.gsp_endpoint, self.quads_params), body, "application/n-quads",
                   "N-Quads upload")

    def read_ntriples(self, graph: str) -> bytes:
        """GET the graph as N-Triples (Graph Store Protocol); a 404 is an empty graph."""
        if self.gsp_endpoint is None:
            raise ConfigError(f"{self.name}: no Graph Store Protocol endpoint (--gsp-endpoint)")
        url = _with_params(self.gsp_endpoint, {"graph": graph})

        def run() -> bytes:
            try:
                response = self._session.get(url, headers={"Accept": "application/n-triples"},
                                             auth=self.credentials.requests_auth() if self.credentials else None,
                                             timeout=self.retry.timeout)
            except requests.RequestException as error:
                raise EndpointError(f"{self.name}: reading {graph} failed: connection failed: "
                                    f"{type(error).__name__}", retryable=True) from None
            if response.status_code == 404:
                return b""
            if response.status_code >= 300 or "n-triples" not in response.headers.get("Content-Type", ""):
                code = response.status_code
                raise EndpointError(f"{self.name}: reading {graph}: HTTP {code} "
                                    f"{response.headers.get('Content-Type', '')}: {_short(response.text)}",
                                    status=code, retryable=code >= 500 or code == 429)
            return response.content
        return self._with_retries(f"read {graph}", run)

    def named_graphs(self) -> set[str]:
        return {row["g"] for row in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }") if "g" in row}

    def _post(self, url: str, data: bytes | Iterable[bytes], content_type: str, what: str) -> None:
        """POST ``data``; connection failures and 5xx/429 are retryable errors, other non-2xx are not."""
        label = _endpoint_label(url)
        try:
            response = self._session.post(
                url, data=data, headers={"Content-Type": content_type},
                auth=self.credentials.requests_auth() if self.credentials else None,
                timeout=self.retry.timeout,
            )
        except requests.RequestException as error:
            raise EndpointError(f"{label}: {what} failed: connection failed: {type(error).__name__}",
                                retryable=True) from None
        if response.status_code >= 300:
            code = response.status_code
            raise EndpointError(f"{label}: {what}: HTTP {code}: {_short(response.text)}", status=code,
                                retryable=code >= 500 or code == 429)

    def detect(self) -> "RemoteStore":
        """Use Oxigraph's bulk-load options when the server says it is Oxigraph; no blank nodes in
        ``INSERT DATA`` when it says it is Virtuoso."""
        def run() -> str:
            try:
                response = self._session.get(self.endpoint, params={"query": "ASK {}"},
                                             headers={"Accept": "application/sparql-results+json"},
                                             timeout=self.retry.timeout)
            except requests.RequestException as error:
                raise EndpointError(f"{self.name}: connection failed: {type(error).__name__}", retryable=True) from None
            if response.status_code >= 500:
                raise EndpointError(f"{self.name}: HTTP {response.status_code}", status=response.status_code,
                                    retryable=True)
            return response.headers.get("Server", "")
        server = self._with_retries(f"probe {self.name}", run)
        if server.lower().startswith("oxigraph"):
            self.bulk_params = {**OXIGRAPH_BULK_PARAMS, **self.bulk_params}
            if self.gsp_endpoint is not None:
                self.quads_params = {**OXIGRAPH_QUADS_PARAMS, **(self.quads_params or {})}
        if server.lower().startswith("virtuoso"):
            self.insert_data_blank_nodes = False
        return self

    def close(self) -> None:
        self._session.close()


def _with_params(url: str, params: dict[str, str]) -> str:
    """``url?k=v&flag``: valueless parameters (Oxigraph's ``no_transaction``) as bare names."""
    if not params:
        return url
    query = "&".join(f"{k}={requests.utils.quote(v, safe='')}" if v else k for k, v in params.items())
    return f"{url}?{query}"


def oxigraph_server(base_url: str, **options) -> RemoteStore:
    """A :class:`RemoteStore` for an Oxigraph server at ``base_url`` (``http://127.0.0.1:7878``)."""
    base = base_url.rstrip("/")
    return RemoteStore(f"{base}/query", update_endpoint=f"{base}/update", gsp_endpoint=f"{base}/store",
                       bulk_params=dict(OXIGRAPH_BULK_PARAMS), quads_params=dict(OXIGRAPH_QUADS_PARAMS), **options)


def virtuoso_server(base_url: str, credentials: Credentials | None = None, **options) -> RemoteStore:
    """A :class:`RemoteStore` for Virtuoso: ``/sparql`` to read, ``/sparql-auth`` and
    ``/sparql-graph-crud-auth`` to write (with credentials), else the open endpoints."""
    base = base_url.rstrip("/")
    if credentials is not None:
        return RemoteStore(f"{base}/sparql", update_endpoint=f"{base}/sparql-auth",
                           gsp_endpoint=f"{base}/sparql-graph-crud-auth", credentials=credentials,
                           insert_data_blank_nodes=False, **options)
    return RemoteStore(f"{base}/sparql", gsp_endpoint=f"{base}/sparql-graph-crud", insert_data_blank_nodes=False,
                       **options)
