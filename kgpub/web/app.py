"""The pages app: an ASGI (Starlette) app that dereferences IRIs and serves pages for people.

``create_pages_app(backend, settings)`` answers everything the SPARQL routes of ``kgpub serve``
do not: ``/`` (landing), every IRI under the base path (its description by ``Accept`` or
``?format=``: HTML, Turtle, N-Triples, JSON-LD, RDF/XML), ``/ontology`` and its terms, IRIs of
other sites the store knows (``/-/external/...``), ``/-/search``, ``/-/validation``, the dumps
(``/-/download/``), assets (``/-/static/``), ``/.well-known/sparql-examples`` and the query
page (a browser's ``GET /sparql`` without a query).

Negotiated answers are ``200`` with ``Content-Location`` naming the format's own URL, ``Vary:
Accept`` and ``Link: <...>; rel="alternate"`` for every other format (see docs/web.md).
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..serve.backend import QueryBackend, QueryFailed
from .examples import EXAMPLES_PATH
from .formats import FORMATS, HTML, negotiate
from .pages import DOWNLOAD_PATH, SEARCH_PATH, VALIDATION_PATH, PageLinks, Pages, PagesSettings, serialise
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def content_security_policy(endpoint: str) -> str:
    """The CSP of every page: scripts, styles and images from this site only; queries to the endpoint."""
    connect = "'self'" if endpoint.startswith("/") else f"'self' {_origin(endpoint)}"
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src {connect}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


class PagesApp:
    """Route handlers over one :class:`Pages`."""

    def __init__(self, pages: Pages):
        self.pages = pages
        self.links = PageLinks(pages.locations)
        self.security = {"Content-Security-Policy": content_security_policy(pages.settings.endpoint or "/sparql"),
                         "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}

    def html(self, body: str | None, status: int = 200, headers: dict | None = None) -> Response:
        if body is None:
            return self.error(404, "Nothing is known here.")
        return Response(body, status, {**self.security, **(headers or {})}, media_type="text/html; charset=utf-8")

    def error(self, status: int, message: str) -> Response:
        body = self.pages.render("error.html", status=status, message=message)
        return Response(body, status, self.security, media_type="text/html; charset=utf-8")

    async def landing(self, request: Request) -> Response:
        return self.html(await self.pages.landing())

    async def query_page(self, request: Request) -> Response:
        return self.html(self.pages.query_page(request.query_params.get("edit")))

    async def search(self, request: Request) -> Response:
        return self.html(await self.pages.search(request.query_params.get("q", "")))

    async def search_json(self, request: Request) -> Response:
        return JSONResponse(await self.pages.search_json(request.query_params.get("q", "")),
                            headers={"Access-Control-Allow-Origin": "*"})

    async def download(self, request: Request) -> Response:
        name = request.path_params["name"]
        for d in self.pages.downloads():
            if d.name == name:
                return FileResponse(d.path, filename=Path(name).name)
        return self.error(404, f"No file {name} in this build.")

    async def validation(self, request: Request) -> Response:
        return self.html(await self.pages.validation_page(request.path_params.get("file")))

    async def resource_by_query(self, request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        if not iri:
            return self.error(400, "Name an IRI: /-/resource?iri=...")
        return RedirectResponse(self.pages.locations.href(iri), status_code=303)

    async def examples(self, request: Request) -> Response:
        fmt = negotiate(request.headers.get("accept"), request.query_params.get("format"))
        if fmt is None:
            return self.not_acceptable()
        public = self.pages.settings.public_url or str(request.base_url)
        headers = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
        if fmt is HTML:
            return self.html(self.pages.render("examples.html", examples=self.pages.examples), headers=headers)
        body = serialise(self.pages.examples_triples(public), fmt)
        return Response(body, 200, headers, media_type=fmt.media_type)

    def not_acceptable(self) -> Response:
        offered = ", ".join(f.media_type for f in FORMATS)
        return Response(f"Not acceptable; offered: {offered}\n", 406, {"Vary": "Accept"}, media_type="text/plain")

    async def resource(self, request: Request) -> Response:
        raw = request.scope.get("raw_path") or quote(request.url.path).encode()
        iri = self.pages.locations.iri(raw.decode("latin-1").split("?", 1)[0])
        if iri is None:
            return self.error(404, "Nothing is known here.")
        chosen = request.query_params.get("format")
        fmt = negotiate(request.headers.get("accept"), chosen)
        if fmt is None:
            return self.not_acceptable()
        return await self.describe(request, iri, fmt, chosen)

    async def describe(self, request: Request, iri: str, fmt, chosen: str | None) -> Response:
        headers = {"Vary": "Accept", "Access-Control-Allow-Origin": "*",
                   "Link": ", ".join(f'<{self.links.format(iri, f)}>; rel="alternate"; type="{f.media_type}"'
                                     for f in FORMATS if f is not fmt)}
        if not chosen:
            headers["Content-Location"] = self.links.format(iri, fmt) if fmt is not HTML else f"{self.links.format(iri, HTML)}?format=html"
        try:
            if fmt is HTML:
                page = int(request.query_params.get("page", "1")) if request.query_params.get("page", "1").isdigit() else 1
                found = await self.pages.resource(iri, page)
                if found is None:
                    return self.error(404, f"Nothing is known about {iri}.")
                body, described = found
                if not described:
                    headers.pop("Link")
                return self.html(body, headers=headers)
            data = await self.pages.description(iri, fmt)
        except QueryFailed as failure:
            return self.error(failure.status, str(failure))
        if data is None:
            return Response(f"Nothing is known about {iri}.\n", 404, {"Vary": "Accept"}, media_type="text/plain")
        return Response(data, 200, headers, media_type=fmt.media_type)


class PagesAsgi:
    """The pages app: Starlette's routes over :class:`Pages`, and the warm-up ``kgpub serve`` runs once its
    pool is up (the label index that names links and answers search, otherwise built by the first page)."""

    def __init__(self, routes: Starlette, pages: Pages):
        self.routes, self.pages = routes, pages

    async def __call__(self, scope, receive, send) -> None:
        await self.routes(scope, receive, send)

    async def warm(self) -> None:
        await self.pages.labels()


def create_pages_app(backend: QueryBackend, settings: PagesSettings) -> PagesAsgi:
    """The pages app over ``backend`` (every query goes through it)."""
    handlers = PagesApp(Pages(backend, settings))
    routes = [
        Route("/", handlers.landing),
        Route("/sparql", handlers.query_page),
        Route(SEARCH_PATH, handlers.search),
        Route(SEARCH_PATH + ".json", handlers.search_json),
        Route(VALIDATION_PATH, handlers.validation),
        Route(VALIDATION_PATH + "/{file:path}", handlers.validation),
        Route(DOWNLOAD_PATH + "{name:path}", handlers.download),
        Route("/-/resource", handlers.resource_by_query),
        Route(EXAMPLES_PATH, handlers.examples),
        Mount("/-/static", StaticFiles(directory=STATIC), name="static"),
        Route("/{path:path}", handlers.resource),
    ]
    return PagesAsgi(Starlette(routes=routes), handlers.pages)
