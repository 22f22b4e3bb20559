"""The SPARQL 1.1 Protocol server of ``kgpub serve``.

Worker *processes* (:mod:`.serve_worker`) share one listening socket; each runs an
HTTP/1.1 (keep-alive, asyncio, see :mod:`.http1`) front end that enforces kgpub's
policies (read-only unless ``allow_update`` and a bearer token, no ``SERVICE``
unless allowed, CORS, content negotiation, service description, :class:`SparqlApp`)
and runs the queries on the on-disk pyoxigraph store itself.  A query that
outlives its timeout gets a 503 and its process exits and is replaced by
:class:`SparqlServer`, so no worker ever hangs; the serialised result is capped at
``max_result_bytes``.
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import io
import logging
import os
import re
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

from ..errors import ConfigError
from .http1 import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

RESULT_FORMATS = {  # name -> media type, for SELECT / ASK
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {  # name -> media type, for CONSTRUCT / DESCRIBE / service description
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
                  "srj": "json", "srx": "xml", "application/json": "json", "text/plain": "ntriples"}
_ALIAS_MEDIA = {"application/json": "json", "text/plain": "ntriples", "application/xml": "xml"}


@dataclass
class ServerConfig:
    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_result_bytes: int = 64 << 20
    workers: int = 2
    allow_update: bool = False
    update_token: str | None = None
    allow_service: bool = False
    cors: bool = True
    graphs: tuple[tuple[str, int], ...] = ()  # (graph IRI, triples) for the service description

    def __post_init__(self) -> None:
        if self.allow_update and not self.update_token:
            raise ConfigError("--allow-update needs a token: set KGPUB_UPDATE_TOKEN")
        if self.timeout <= 0 or self.max_result_bytes <= 0 or self.workers < 1:
            raise ConfigError("timeout, result cap and workers must be positive")


# -- content negotiation --------------------------------------------------------------------------

def negotiate(accept: str | None, fmt: str | None, kind: str) -> tuple[str, str] | None:
    """(format name, media type) for a result of ``kind`` ("results" or "graph"), or None (406)."""
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    if fmt:
        name = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if name in table:
            return name, table[name]
        by_media = {v: k for k, v in table.items()}
        return (by_media[fmt], fmt) if fmt in by_media else None
    ranges = []
    for i, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranges.append((-q, i, fields[0].lower()))
    for _, _, media in sorted(ranges):
        if media in ("*/*", "application/*", "text/*"):
            name = next(n for n, m in table.items() if media == "*/*" or m.startswith(media[:-1]))
            return name, table[name]
        name = _ALIAS_MEDIA.get(media) or next((n for n, m in table.items() if m == media), None)
        if name in table:
            return name, table[name]
    return None


_NOISE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def uses_service(query: str) -> bool:
    """Whether the query has a SERVICE clause (strings, IRIs and comments are ignored)."""
    return bool(_SERVICE.search(_NOISE.sub(" ", query)))


# -- workers ----------------------------------------------------------------------------------------

class _CappedWriter(io.RawIOBase):
    def __init__(self, cap: int):
        self.buffer = bytearray()
        self.cap = cap

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) > self.cap:
            raise OSError("kgpub-result-cap")
        return len(data)


def _execute(store, request: dict) -> tuple[int, str, bytes]:
    from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

    if request["op"] == "update":
        store.update(request["text"])
        return 204, "text/plain", b""
    options: dict = {}
    if request["default_graphs"]:
        options["default_graph"] = [NamedNode(g) for g in request["default_graphs"]]
    else:
        options["use_default_graph_as_union"] = True
    if request["named_graphs"]:
        options["named_graphs"] = [NamedNode(g) for g in request["named_graphs"]]
    result = store.query(request["text"], **options)
    kind = "results" if isinstance(result, (QuerySolutions, QueryBoolean)) else "graph"
    chosen = negotiate(request["accept"], request["format"], kind)
    if chosen is None:
        offered = ", ".join((RESULT_FORMATS if kind == "results" else GRAPH_FORMATS).values())
        return 406, "text/plain", f"cannot give this {kind} as {request['format'] or request['accept']}; offered: {offered}".encode()
    name, media = chosen
    out = _CappedWriter(request["cap"])
    if kind == "results":
        result.serialize(out, {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML,
                               "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}[name])
    else:
        result.serialize(out, {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES,
                               "jsonld": RdfFormat.JSON_LD, "rdfxml": RdfFormat.RDF_XML}[name])
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return 200, media + charset, bytes(out.buffer)


def execute_reply(store, request: dict) -> tuple[int, str, bytes]:
    """(status, content type, body) of one query or update on ``store``; never raises."""
    try:
        return _execute(store, request)
    except SyntaxError as error:
        return 400, "text/plain", f"malformed {request['op']}: {error}".encode()
    except OSError as error:
        if "kgpub-result-cap" in str(error):
            return 422, "text/plain", (f"the result is larger than the cap of {request['cap']} bytes; "
                                       "add a LIMIT or ask for less").encode()
        return 500, "text/plain", f"store error: {error}".encode()
    except Exception as error:  # a bug must not kill the worker silently
        return 500, "text/plain", f"internal error: {type(error).__name__}: {error}".encode()


# -- HTTP -----------------------------------------------------------------------------------------

def service_description(config: ServerConfig, endpoint: str) -> str:
    """SPARQL Service Description + VoID of the served dataset, as Turtle."""
    total = sum(n for _, n in config.graphs)
    named = "".join(f"    sd:namedGraph [ sd:name <{g}> ; sd:graph [ a sd:Graph ; void:triples {n} ] ] ;\n"
                    for g, n in config.graphs)
    langs = "sd:SPARQL11Query" + (" , sd:SPARQL11Update" if config.allow_update else "")
    formats = " , ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in
                         ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                          "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage {langs} ;
  sd:feature sd:UnionDefaultGraph , sd:BasicFederatedQuery ;
  sd:resultFormat {formats} ;
  sd:defaultDataset <{endpoint}#dataset> .
<{endpoint}#dataset> a sd:Dataset , void:Dataset ;
  void:sparqlEndpoint <{endpoint}> ;
  void:triples {total} ;
  sd:defaultGraph [ a sd:Graph ; void:triples {total} ] ;
{named}  void:graphCount {len(config.graphs)} .
""".replace("sd:UnionDefaultGraph , sd:BasicFederatedQuery", "sd:UnionDefaultGraph"
            + (" , sd:BasicFederatedQuery" if config.allow_service else ""))


class SparqlServer:
    """Serve ``config.store`` (already loaded, see :func:`kgpub.publish.store.load_build`).

    This process binds the socket and supervises ``config.workers`` worker processes
    (:mod:`.serve_worker`) that accept on it, each running the HTTP front end and the
    queries itself; a worker whose query outlives the timeout answers 503 and exits, and
    is replaced here.  With ``allow_update`` there is one worker (it holds the store's
    write lock)."""

    def __init__(self, config: ServerConfig):
        self.config = config
        try:
            self.sock = socket.create_server((config.host, config.port), backlog=256)
        except OSError as error:
            raise ConfigError(f"cannot listen on {config.host}:{config.port}: {error}") from error
        self.sock.set_inheritable(True)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{config.host}:{self.port}/sparql"
        self.size = 1 if config.allow_update else config.workers
        self._procs: list[subprocess.Popen] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.replaced = 0

    def _spawn(self) -> subprocess.Popen:
        settings = {**dataclasses.asdict(self.config), "store": str(self.config.store), "port": self.port}
        return subprocess.Popen(
            [sys.executable, "-c", "from kgpub.publish.serve_worker import main; main()", str(self.sock.fileno())],
            pass_fds=(self.sock.fileno(),), stdin=subprocess.PIPE,
            env={**os.environ, "KGPUB_SERVE_CONFIG": json.dumps(settings)})

    def serve_forever(self) -> None:
        """Start the workers and keep ``size`` of them alive until :meth:`close` (or Ctrl-C)."""
        self._procs = [self._spawn() for _ in range(self.size)]
        try:
            while not self._stop.wait(0.05):
                for i, proc in enumerate(self._procs):
                    if proc.poll() is not None:
                        log.info("worker %d exited with %s; replacing it", proc.pid, proc.returncode)
                        self._procs[i] = self._spawn()
                        self.replaced += 1
        finally:
            self._stop_workers()

    def _stop_workers(self) -> None:
        procs, self._procs = self._procs, []
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        for proc in procs:
            proc.wait(timeout=10)
            if proc.stdin is not None:
                proc.stdin.close()

    def start(self) -> "SparqlServer":
        """Serve in a background thread (tests, embedding)."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=20)
        self._stop_workers()
        self.sock.close()

    def __enter__(self) -> "SparqlServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


Runner = Callable[[dict, float, HttpRequest], Awaitable[tuple[int, str, bytes]]]


_TEXT = "text/plain; charset=utf-8"


class SparqlApp:
    """The protocol and the policies: one :class:`HttpRequest` in, one :class:`HttpResponse` out."""

    def __init__(self, config: ServerConfig, run: Runner, port: int):
        self.config, self.run, self.port = config, run, port

    def _reply(self, status: int, ctype: str, body: bytes, extra: dict | None = None) -> HttpResponse:
        headers = {"Access-Control-Allow-Origin": "*"} if self.config.cors else {}
        headers.update(extra or {})
        return HttpResponse(status, ctype, body, headers)

    def _error(self, status: int, message: str, extra: dict | None = None) -> HttpResponse:
        return self._reply(status, _TEXT, (message + "\n").encode(), extra)

    async def handle(self, request: HttpRequest) -> HttpResponse:
        url = urlsplit(request.target)
        params = parse_qs(url.query, keep_blank_values=True)
        method = request.method
        if method == "OPTIONS":
            return self._reply(204, "text/plain", b"", {
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
                "Access-Control-Max-Age": "86400"})
        if method in ("GET", "HEAD"):
            return await self._dispatch(request, url.path, params, None, None)
        if method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                for k, v in parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
                return await self._dispatch(request, url.path, params, None, None)
            if ctype in ("application/sparql-query", "application/sparql-update"):
                return await self._dispatch(request, url.path, params, ctype, request.body.decode("utf-8", "replace"))
            return self._error(415, f"unsupported Content-Type {ctype!r}: use application/sparql-query, "
                                    "application/sparql-update or a form")
        if method in ("PUT", "DELETE", "PATCH"):
            return self._write_refused()
        return self._error(501, f"method {method} is not supported", {"Allow": "GET, HEAD, POST, OPTIONS"})

    def _write_refused(self) -> HttpResponse:
        if not self.config.allow_update:
            return self._error(403, "this endpoint is read-only (start kgpub serve with --allow-update)")
        return self._error(405, "Graph Store writes are not offered; use SPARQL Update", {"Allow": "GET, POST, OPTIONS"})

    async def _dispatch(self, request: HttpRequest, path: str, params: dict, body_type: str | None,
                  body: str | None) -> HttpResponse:
        if path not in ("/sparql", "/sparql/", "/store"):
            return self._error(404, f"no such resource {path}; the SPARQL endpoint is /sparql")
        if path == "/store":
            graph = (params.get("graph") or [None])[0]
            if request.method not in ("GET", "HEAD") or graph is None:
                return self._write_refused() if request.method == "POST" else self._error(400, "?graph=IRI needed")
            return await self._query(request, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph.replace('>', '%3E')}> "
                                        "{ ?s ?p ?o } }", params, default_graph_ok=False)
        queries = params.get("query", [])
        updates = params.get("update", [])
        if body_type == "application/sparql-query":
            queries = [body]
        elif body_type == "application/sparql-update":
            updates = [body]
        if len(queries) + len(updates) > 1:
            return self._error(400, "give exactly one query or update")
        if updates:
            if request.method != "POST":
                return self._error(400, "updates must be sent with POST")
            return await self._update(request, updates[0])
        if not queries:
            return self._describe(request, params)
        return await self._query(request, queries[0], params)

    def _describe(self, request: HttpRequest, params: dict) -> HttpResponse:
        chosen = negotiate(request.headers.get("accept"), (params.get("format") or [None])[0], "graph")
        if chosen is None:
            return self._error(406, "the service description is offered as " + ", ".join(GRAPH_FORMATS.values()))
        from pyoxigraph import RdfFormat, parse, serialize
        host = request.headers.get("host") or f"{self.config.host}:{self.port}"
        turtle = service_description(self.config, f"http://{host}/sparql")
        fmt = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD,
               "rdfxml": RdfFormat.RDF_XML}[chosen[0]]
        body = turtle.encode() if chosen[0] == "turtle" else serialize(parse(turtle, format=RdfFormat.TURTLE), format=fmt)
        return self._reply(200, chosen[1], body)

    async def _query(self, request: HttpRequest, text: str, params: dict, default_graph_ok: bool = True) -> HttpResponse:
        if not self.config.allow_service and uses_service(text):
            return self._error(403, "federated queries (SERVICE) are refused by this endpoint")
        job = {"op": "query", "text": text, "accept": request.headers.get("accept"),
               "format": (params.get("format") or [None])[0],
               "default_graphs": params.get("default-graph-uri", []) if default_graph_ok else [],
               "named_graphs": params.get("named-graph-uri", []), "cap": self.config.max_result_bytes}
        return self._reply(*await self.run(job, self.config.timeout, request))

    async def _update(self, request: HttpRequest, text: str) -> HttpResponse:
        if not self.config.allow_update:
            return self._error(403, "this endpoint is read-only (start kgpub serve with --allow-update)")
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), (self.config.update_token or "").encode()):
            return self._error(401, "updates need 'Authorization: Bearer <token>'",
                               {"WWW-Authenticate": 'Bearer realm="kgpub"'})
        if not self.config.allow_service and uses_service(text):
            return self._error(403, "federated queries (SERVICE) are refused by this endpoint")
        return self._reply(*await self.run({"op": "update", "text": text, "cap": 0}, self.config.timeout, request))


def graph_sizes(store_path: Path) -> tuple[tuple[str, int], ...]:
    """(graph, triples) of every named graph of a store, for the service description."""
    from pyoxigraph import Store

    store = Store.read_only(str(store_path))
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    sizes = tuple((row["g"].value, int(row["n"].value)) for row in rows)
    del store
    return sizes


__all__ = ["ServerConfig", "SparqlServer", "negotiate", "uses_service", "service_description", "graph_sizes"]
