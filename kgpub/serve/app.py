"""The ASGI application of ``kgpub serve``: the SPARQL 1.1 Protocol and its policies, on Starlette.

:func:`create_app` routes ``/sparql`` (and ``/sparql/``), ``/store`` (Graph Store Protocol, read
only) and ``/.well-known/void``; every other request goes to the optional ``pages`` ASGI app
(linked-data pages, static assets), else 404.  ``GET /sparql`` without a query from a browser
(``Accept`` ranks text/html first) also goes to ``pages`` when there is one; everyone else gets
the service description.  Routing is by exact path (:class:`_Routes`); requests and responses are
Starlette's.  Queries run in the :class:`~kgpub.serve.backend.QueryBackend`
(normally :class:`~kgpub.serve.pool.PoolBackend`); the app only checks, negotiates and streams.
The HTTP wire (framing, limits, timeouts) belongs to the server (uvicorn, see :mod:`.run`).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from .backend import QueryFailed
from .cache import AnswerCache
from .dataset import graph_iris, with_using
from .description import ServiceDescription, endpoint_url
from .media import GRAPH_FORMATS, negotiate, prefers_html
from .policy import Policy
from .pool import PoolBackend, Reply

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]
_TEXT = "text/plain; charset=utf-8"
_FORM = "application/x-www-form-urlencoded"


@dataclass
class AppSettings:
    """What the protocol layer needs (the pool and the server have their own settings)."""

    public_url: str | None = None  # e.g. https://kg.example.org/sparql; else from the request
    allow_update: bool = False
    update_token: str | None = None
    policy: Policy = field(default_factory=Policy)
    cors: bool = True
    timeout: float = 30.0
    graphs: tuple[tuple[str, int], ...] = ()  # (graph IRI, triples), for the service description
    fallback_host: str = "127.0.0.1"  # host[:port] when the Host header is unusable


def _text(status: int, message: str, headers: dict | None = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status_code=status, media_type=_TEXT, headers=headers)


def _query_params(request: Request) -> dict[str, list[str]]:
    return parse_qs(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)


def _failure(error: QueryFailed) -> Response:
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
    return _text(error.status, str(error), headers)


class SparqlEndpoint:
    """The protocol: GET, both POST forms, dataset parameters, updates with a token, the description."""

    def __init__(self, settings: AppSettings, backend: PoolBackend, pages: ASGIApp | None):
        self.settings, self.backend, self.pages = settings, backend, pages
        self._described: tuple | None = None
        self._description: ServiceDescription | None = None

    @property
    def description(self) -> ServiceDescription:
        """The service description of the graphs in ``settings.graphs`` (replaced on a reload)."""
        if self._description is None or self._described is not self.settings.graphs:
            self._description = ServiceDescription(self.settings.graphs, update=self.settings.allow_update,
                                                   service=self.settings.policy.allow_service)
            self._described = self.settings.graphs
        return self._description

    def endpoint(self, request: Request) -> str:
        path = request.scope["path"] if request.scope["path"] in ("/sparql", "/sparql/") else "/sparql"
        return endpoint_url(self.settings.public_url, request.scope["scheme"], request.headers.get("host"),
                            self.settings.fallback_host, path)

    async def sparql(self, request: Request) -> Response:
        method = request.method
        params = _query_params(request)
        if method == "OPTIONS":
            return Response(status_code=204, headers={
                "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
                "Access-Control-Max-Age": "86400"})
        if method in ("PUT", "DELETE", "PATCH"):
            return self._write_refused()
        body_type, body = None, None
        if method == "POST":
            ctype, _, options = request.headers.get("content-type", "").partition(";")
            ctype = ctype.strip().lower()
            charset = next((o.split("=", 1)[1].strip().strip('"').lower() for o in options.split(";")
                            if o.strip().lower().startswith("charset=")), "utf-8")
            if charset not in ("utf-8", "utf8"):
                return _text(415, f"the body must be UTF-8, not {charset}")
            raw = await request.body()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                return _text(400, f"the body is not UTF-8: {error}")
            if ctype == _FORM:
                for k, v in parse_qs(text, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
            elif ctype in ("application/sparql-query", "application/sparql-update"):
                body_type, body = ctype, text
            else:
                return _text(415, f"unsupported Content-Type {ctype!r}: use application/sparql-query, "
                                  "application/sparql-update or a form")
        queries, updates = params.get("query", []), params.get("update", [])
        if body_type == "application/sparql-query":
            queries = [body]
        elif body_type == "application/sparql-update":
            updates = [body]
        if len(queries) + len(updates) > 1:
            return _text(400, "give exactly one query or update")
        try:
            if updates:
                if method != "POST":
                    return _text(400, "updates must be sent with POST")
                return await self._update(request, updates[0], params)
            if not queries:
                if self.pages is not None and prefers_html(request.headers.get("accept")):
                    return _Forward(self.pages)
                return self._describe(request, params)
            return await self._query(request, queries[0], params)
        except QueryFailed as error:
            return _failure(error)

    def _write_refused(self) -> Response:
        if not self.settings.allow_update:
            return _text(403, "this endpoint is read-only (start kgpub serve with --allow-update)")
        return _text(405, "Graph Store writes are not offered; use SPARQL Update", {"Allow": "GET, POST, OPTIONS"})

    def _describe(self, request: Request, params: dict) -> Response:
        chosen = negotiate(request.headers.get("accept"), (params.get("format") or [None])[0], "graph")
        if chosen is None:
            return _text(406, "the service description is offered as " + ", ".join(GRAPH_FORMATS.values()))
        return Response(self.description.render(self.endpoint(request), chosen[0]), media_type=chosen[1])

    async def void(self, request: Request) -> Response:
        return self._describe(request, _query_params(request))

    async def store(self, request: Request) -> Response:
        params = _query_params(request)
        if request.method not in ("GET", "HEAD"):
            return self._write_refused()
        graphs = params.get("graph")
        if not graphs:
            return _text(400, "?graph=IRI needed")
        try:
            (graph,) = graph_iris(graphs[:1], "graph")
            return await self._query(request, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}",
                                     {"format": params.get("format", [])}, checked=True)
        except QueryFailed as error:
            return _failure(error)

    async def _query(self, request: Request, text: str, params: dict, checked: bool = False) -> Response:
        if not checked:
            self.settings.policy.check_query(text)
        default = graph_iris(params.get("default-graph-uri", []), "default-graph-uri")
        named = graph_iris(params.get("named-graph-uri", []), "named-graph-uri")
        job = {"op": "query", "text": text, "accept": request.headers.get("accept"),
               "format": (params.get("format") or [None])[0], "base_iri": self.endpoint(request),
               "default_graphs": [g.value for g in default], "named_graphs": [g.value for g in named]}
        return self._respond(await self.backend.execute(job, self.settings.timeout))

    async def _update(self, request: Request, text: str, params: dict) -> Response:
        if not self.settings.allow_update:
            return _text(403, "this endpoint is read-only (start kgpub serve with --allow-update)")
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), (self.settings.update_token or "").encode()):
            return _text(401, "updates need 'Authorization: Bearer <token>'", {"WWW-Authenticate": 'Bearer realm="kgpub"'})
        shape = self.settings.policy.check_update(text)
        using = [g.value for g in graph_iris(params.get("using-graph-uri", []), "using-graph-uri")]
        using_named = [g.value for g in graph_iris(params.get("using-named-graph-uri", []), "using-named-graph-uri")]
        if (using or using_named) and shape.has_dataset_clause:
            return _text(400, "the update has WITH or USING clauses and the request using-graph-uri or "
                              "using-named-graph-uri: give the dataset in one place only")
        job = {"op": "update", "text": with_using(text, using, using_named), "base_iri": self.endpoint(request)}
        return self._respond(await self.backend.execute(job, self.settings.timeout))

    @staticmethod
    def _respond(reply: Reply) -> Response:
        if reply.rest is None:
            return Response(reply.head, status_code=reply.status, media_type=reply.media,
                            headers={"Kgpub-Cut": reply.cut} if reply.cut else None)

        async def body():
            yield reply.head
            async for chunk in reply.rest:  # a QueryFailed here (timeout, cap) cuts the stream
                yield chunk
        return StreamingResponse(body(), status_code=reply.status, media_type=reply.media)


class _Forward(Response):
    """A response that hands the request to another ASGI app (the pages)."""

    def __init__(self, app: ASGIApp):
        super().__init__()
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


class _Headers:
    """The outermost layer: Host checks (RFC 9112 section 3.2) and headers every answer carries."""

    def __init__(self, app: ASGIApp, cors: bool):
        self.app = app
        self.extra = [(b"x-content-type-options", b"nosniff")] + ([(b"access-control-allow-origin", b"*")] if cors else [])

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        hosts = [v for k, v in scope["headers"] if k == b"host"]
        if len(hosts) > 1 or (not hosts and scope.get("http_version") == "1.1"):
            problem = "more than one Host header" if hosts else "no Host header"
            response = Response(f"bad request: {problem}\n", status_code=400, media_type=_TEXT,
                                headers={"Connection": "close"})
            return await response(scope, receive, self._send(send))
        await self.app(scope, receive, self._send(send))

    def _send(self, send):
        async def wrapped(message) -> None:
            if message["type"] == "http.response.start":  # each header once: the pages app sets CORS too
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                message = {**message, "headers": headers + [h for h in self.extra if h[0] not in present]}
            await send(message)
        return wrapped


class _Routes:
    """The SPARQL routes by exact path (a dict, not a list of patterns: this runs for every
    request); a method a route does not take is 405 with ``Allow``; other paths go to ``default``."""

    def __init__(self, routes: dict[str, tuple[Callable[[Request], Awaitable[Response]], tuple[str, ...]]],
                 default: ASGIApp):
        self.routes, self.default = routes, default

    async def __call__(self, scope, receive, send) -> None:
        route = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        if route is None:
            return await self.default(scope, receive, send)
        handler, methods = route
        if scope["method"] in methods:
            response = await handler(Request(scope, receive))
        else:
            response = _text(405, "Method Not Allowed", {"Allow": ", ".join(methods)})
        await response(scope, receive, send)


def create_app(settings: AppSettings, backend: PoolBackend, pages: ASGIApp | None = None) -> ASGIApp:
    """The ASGI app: SPARQL routes here, everything else to ``pages`` (or 404)."""
    endpoint = SparqlEndpoint(settings, backend, pages)
    methods = ("GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH")

    async def not_found(scope, receive, send) -> None:
        await _text(404, f"no such resource {scope['path']}; the SPARQL endpoint is /sparql")(scope, receive, send)

    router = _Routes({"/sparql": (endpoint.sparql, methods), "/sparql/": (endpoint.sparql, methods),
                      "/store": (endpoint.store, methods), "/.well-known/void": (endpoint.void, ("GET", "HEAD"))},
                     pages or not_found)
    return _Headers(AnswerCache(router, backend, backend.settings.cache_bytes // 2), settings.cors)


__all__ = ["AppSettings", "SparqlEndpoint", "create_app"]
