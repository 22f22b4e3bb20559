"""The static export (``kgpub site DIST --out SITE``): the pages of :mod:`kgpub.web.pages` as files.

The same :class:`~kgpub.web.pages.Pages` and templates as the pages app render every page; only
the links to other formats and to further pages of a class list differ (:class:`FileLinks`:
files, where the server answers ``?format=`` and ``?page=``).  A resource whose page is at PATH
(:class:`~kgpub.web.locations.Locations`) gets ``PATH/index.html`` and ``PATH.ttl``, ``PATH.nt``,
``PATH.jsonld``, ``PATH.rdf``; static servers answer PATH with its ``index.html``, and the host
rules written beside them (:mod:`kgpub.web.hosts`) choose the file by ``Accept`` and ``?format=``.
The site also holds the landing, examples, validation and (with an endpoint) query pages, the
dumps under ``/-/download/``, the assets, and one schema.org JSON-LD snippet per note under
``/-/schema/`` (:mod:`kgpub.web.schemaorg`).  An IRI whose path cannot be a file name is
reported and skipped.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import jinja2
import pyoxigraph as ox

from ..serve.backend import LocalBackend, QueryFailed
from ..vocab import ONTOLOGY_IRI
from .app import STATIC, content_security_policy
from .examples import EXAMPLES_PATH
from .formats import HTML, RDF_FORMATS, Format
from .locations import Locations
from .pages import (DOWNLOAD_PATH, QUERY_PATH, SEARCH_INDEX_PATH, SEARCH_PATH, VALIDATION_PATH, PageLinks, Pages,
                    PagesSettings, serialise)
from .schemaorg import note_snippets

HOSTS = Path(__file__).resolve().parent / "hosts"
SCHEMA_PATH = "/-/schema/"
#: host rules: template in ``hosts/`` -> file in the site
HOST_FILES = {"htaccess.j2": ".htaccess", "nginx-http.conf.j2": "-/host/nginx-http.conf",
              "nginx-server.conf.j2": "-/host/nginx-server.conf", "netlify-headers.j2": "_headers",
              "netlify-redirects.j2": "_redirects"}
_BATCH = 8  # resources rendered at once: their queries share a few threads, and a query's timeout counts its wait


class FileLinks(PageLinks):
    """Links of the static export: ``PATH.ttl`` for a format, ``PATH/page-N`` for a page of a list."""

    def format(self, iri: str, fmt: Format) -> str:
        href = self.locations.href(iri)
        return href if fmt is HTML else href.rstrip("/") + fmt.extension

    def page(self, iri: str, n: int) -> str:
        href = self.locations.href(iri)
        return href if n == 1 else f"{href.rstrip('/')}/page-{n}"


@dataclass(frozen=True)
class SiteSettings:
    base_iri: str
    dist: Path
    out: Path
    endpoint: str | None = None  #: a SPARQL endpoint for the query page (a URL); None: no query page
    public_url: str | None = None  #: where the site is published (default: the base IRI's origin)
    site_url: str | None = None  #: the garden's own site (links from resource pages, mainEntityOfPage)
    page_size: int = 100
    timeout: float = 120.0  #: per query; a resource whose query fails is reported and skipped


@dataclass
class SiteReport:
    resources: int = 0
    pages: int = 0
    files: int = 0
    snippets: int = 0
    problems: list[str] = field(default_factory=list)


class SiteWriter:
    def __init__(self, store: ox.Store, settings: SiteSettings):
        self.store = store
        self.settings = settings
        self.out = settings.out
        self.pages = Pages(LocalBackend(store), PagesSettings(
            settings.base_iri, public_url=settings.public_url, site_url=settings.site_url, dist=settings.dist,
            endpoint=settings.endpoint, page_size=settings.page_size, timeout=settings.timeout, static=True))
        self.locations: Locations = self.pages.locations
        self.links = FileLinks(self.locations)
        self.report = SiteReport()

    # -- files -----------------------------------------------------------------------------

    def folder(self, href: str) -> Path | None:
        """The folder of the site a local path names, or None (reported) when it cannot be one."""
        parts = unquote(href).strip("/").split("/") if href.strip("/") else []
        if any(p in ("", ".", "..") or "\x00" in p for p in parts):
            self.report.problems.append(f"{href}: not a path of files; skipped")
            return None
        return self.out.joinpath(*parts)

    def write(self, path: Path, data: str | bytes) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as error:
            self.report.problems.append(f"{path.relative_to(self.out)}: cannot write: {error.strerror}; skipped")
            return False
        self.report.files += 1
        return True

    def write_page(self, href: str, html: str) -> None:
        folder = self.folder(href)
        if folder is not None and self.write(folder / "index.html", html):
            self.report.pages += 1

    # -- resources -------------------------------------------------------------------------

    def iris(self) -> list[str]:
        """Every IRI the store holds (subjects, predicates, objects, graph names) plus the ontology's."""
        seen: set[str] = {ONTOLOGY_IRI}
        for quad in self.store:
            for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
                if isinstance(term, ox.NamedNode):
                    seen.add(term.value)
        return sorted(seen)

    async def resource(self, iri: str) -> None:
        try:
            await self._resource(iri)
        except QueryFailed as failure:
            self.report.problems.append(f"{self.locations.href(iri)}: {failure}; skipped")

    async def _resource(self, iri: str) -> None:
        href = self.locations.href(iri)
        folder = self.folder(href)
        if folder is None:
            return
        triples = await self.pages.triples(iri)  # the description, for its files (page.rq has no labels)
        found = await self.pages.resource(iri, 1, href=self.links)
        if found is None:
            return
        body, described = found
        self.report.resources += 1
        self.write_page(href, body)
        if described:
            this = ox.NamedNode(iri)
            ordered = sorted(triples, key=lambda t: t.subject != this)
            stem = folder.parent / folder.name
            for fmt in RDF_FORMATS:
                self.write(stem.with_name(stem.name + fmt.extension), serialise(ordered, fmt))
        instances = (await self.pages.counts(iri))["instances"]
        for n in range(2, -(-instances // self.settings.page_size) + 1):
            page = await self.pages.resource(iri, n, href=self.links)
            if page is not None:
                self.write_page(self.links.page(iri, n), page[0])

    # -- the other pages -------------------------------------------------------------------

    async def fixed_pages(self) -> None:
        pages = self.pages
        self.write(self.out / "index.html", await pages.landing())
        self.write(self.out / "404.html", pages.render("error.html", status=404, message="Nothing is known here."))
        self.write_page(EXAMPLES_PATH, pages.render("examples.html", examples=pages.examples))
        public = self.settings.public_url or _origin(self.settings.base_iri)
        examples = pages.examples_triples(public)
        for fmt in RDF_FORMATS:
            self.write(self.out / (EXAMPLES_PATH.strip("/") + fmt.extension), serialise(examples, fmt))
        if pages.query_path:
            self.write_page(QUERY_PATH, pages.query_page())
        self.write_page(VALIDATION_PATH, await pages.validation_page())
        self.write_page(SEARCH_PATH, pages.search_page())
        search = self.out / SEARCH_INDEX_PATH.strip("/")
        for name, data in (await pages.search_files()).items():
            self.write(search / name, data)
        for file in await pages.validation():
            self.write_page(f"{VALIDATION_PATH}/{file}", await pages.validation_page(file))

    def assets(self) -> None:
        shutil.copytree(STATIC, self.out / "-" / "static", dirs_exist_ok=True)
        for d in self.pages.downloads():
            target = self.folder(d.href)
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(d.path, target)
                self.report.files += 1

    def host_rules(self) -> None:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(HOSTS), autoescape=False,
                                 undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        csp = content_security_policy(self.settings.endpoint or QUERY_PATH)
        formats = [{"name": f.name, "media_type": f.media_type, "extension": f.extension,
                    "accept_regex": accept_regex(f)} for f in RDF_FORMATS]
        for template, name in HOST_FILES.items():
            self.write(self.out / name, env.get_template(template).render(formats=formats, csp=csp))

    async def snippets(self) -> None:
        index = {}
        try:
            snippets = await note_snippets(self.pages.sparql, site_url=await self.pages.site_url())
        except QueryFailed as failure:
            self.report.problems.append(f"{SCHEMA_PATH}: {failure}; no schema.org snippets written")
            snippets = []
        for snippet in snippets:
            href = SCHEMA_PATH + snippet.key + ".jsonld"
            folder = self.folder(href)
            if folder is not None and self.write(folder, json.dumps(snippet.data, indent=2, ensure_ascii=False) + "\n"):
                index[snippet.key] = {"note": snippet.note, "snippet": href}
                self.report.snippets += 1
        self.write(self.out / SCHEMA_PATH.strip("/") / "index.json", json.dumps(index, indent=2, sort_keys=True) + "\n")

    async def run(self) -> SiteReport:
        self.out.mkdir(parents=True, exist_ok=True)
        await self.fixed_pages()
        iris = self.iris()
        for start in range(0, len(iris), _BATCH):
            await asyncio.gather(*(self.resource(i) for i in iris[start:start + _BATCH]))
        self.assets()
        self.host_rules()
        await self.snippets()
        return self.report


def accept_regex(fmt: Format) -> str:
    """The media types of ``fmt`` as a regular expression over ``Accept`` (the XML types a
    browser also sends, ``application/xml`` and ``text/xml``, are left to the page)."""
    types = [m for m in fmt.media_types if m not in ("application/xml", "text/xml")]
    return "(" + "|".join(m.replace(".", r"\.").replace("+", r"\+") for m in types) + ")"


def _origin(iri: str) -> str:
    scheme, _, rest = iri.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/"


def export_site(store: ox.Store, settings: SiteSettings) -> SiteReport:
    """Write the static site of the build in ``store`` to ``settings.out``."""
    return asyncio.run(SiteWriter(store, settings).run())


__all__ = ["export_site", "SiteSettings", "SiteReport", "FileLinks", "DOWNLOAD_PATH"]
