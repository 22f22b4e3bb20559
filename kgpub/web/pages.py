"""The pages of a build: everything the pages app and the static export render, over a QueryBackend.

:class:`Pages` answers "the description of this IRI in this format" and "the HTML of this
page"; :mod:`kgpub.web.app` puts it behind HTTP routes, :mod:`kgpub.web.export` writes it to
files.  Templates are Jinja2 with autoescaping on, so every label and value is escaped.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import quote, urlencode

import jinja2
import pyoxigraph as ox

from ..serve.backend import LocalBackend, QueryFailed
from ..vocab import KGO, ONTOLOGY_IRI, PREFIXES
from . import display, sparql
from .examples import EXAMPLES_PATH, Example, examples_graph, load_examples
from .formats import FORMATS, HTML, RDF_FORMATS, Format
from .locations import Locations
from .search import LabelIndex, fold
from .views import Facts, Link, ResourceView, ViewBuilder, edge_rows

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC_PATH = "/-/static/"
DOWNLOAD_PATH = "/-/download/"
SEARCH_PATH = "/-/search"
SEARCH_INDEX_PATH = "/-/search/prefix/"  #: the static site's label files (:meth:`Pages.search_files`)
SEARCH_PREFIX = 2  #: characters of a folded label (search.fold) that name its file
QUERY_PATH = "/sparql"
VALIDATION_PATH = "/-/validation"
_OWL = "http://www.w3.org/2002/07/owl#"
_ONTOLOGY_TERMS = ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty")
_COUNTS = "urn:kgpub:counts"  #: the subject of the counts in the page query's answer (``page.rq``)
_COUNT_NAMES = ("instances", "uses", "graph")


T = TypeVar("T")


class Kept(Generic[T]):
    """A value computed from the store, valid for one generation of it (``QueryBackend.generation``)."""

    def __init__(self) -> None:
        self._value: T | None = None
        self._of = -1

    def get(self, generation: int) -> T | None:
        return self._value if self._of == generation else None

    def set(self, generation: int, value: T) -> T:
        self._value, self._of = value, generation
        return value


@dataclass(frozen=True)
class PagesSettings:
    """What the pages need to know besides the store."""

    base_iri: str  #: the build's base IRI (``manifest.json`` ``base_iri``)
    public_url: str | None = None  #: where the base IRI is served, when not at its own path
    site_url: str | None = None  #: the garden's own site; else the dataset's foaf:homepage / dcat:landingPage
    dist: Path | None = None  #: the build folder: its dumps are offered, its SHACL report shown
    endpoint: str | None = "/sparql"  #: the SPARQL endpoint the query page sends queries to; None: no query page
    timeout: float = 10.0
    page_size: int = 100
    examples_dir: Path | None = None  #: default: the package's ``queries/``
    static: bool = False  #: pages for the static export: no server-side search, files in place of ``?format=``


@dataclass
class Download:
    name: str
    href: str
    path: Path
    size: int
    what: str


@dataclass
class Overview:
    """The landing page's data, computed once."""

    title: str
    description: str | None
    license: Link | None
    facts: list[tuple[str, str]]
    classes: list[tuple[Link, int]]
    sources: list[tuple[Link, list[tuple[str, str]]]] = field(default_factory=list)
    site_url: str | None = None


class Pages:
    def __init__(self, backend, settings: PagesSettings):
        self.settings = settings
        self.sparql = sparql.Sparql(backend, timeout=settings.timeout)
        self.locations = Locations.for_base(settings.base_iri, settings.public_url)
        # Templates are compiled once: no check of their files per page (auto_reload), and each
        # looked up once (self._templates), not through the loader at every render.
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      auto_reload=False, cache_size=-1)
        self._templates: dict[str, jinja2.Template] = {}
        self.query_path = QUERY_PATH if settings.endpoint else None
        rdf = {f.name: (EXAMPLES_PATH + f.extension if settings.static else f"{EXAMPLES_PATH}?format={f.name}")
               for f in RDF_FORMATS}
        self.env.globals.update(static=STATIC_PATH, search_path=SEARCH_PATH,
                                endpoint=settings.endpoint, query_path=self.query_path, examples_rdf=rdf,
                                examples_path=EXAMPLES_PATH, ontology_path="/ontology",
                                validation_path=VALIDATION_PATH, mount=self.locations.mount,
                                base_iri=settings.base_iri, kgo=str(KGO), edge_rows=edge_rows)
        # computed from the store once, and again after it changed (an update, a reload by --watch)
        self._labels: Kept[LabelIndex] = Kept()
        self._overview: Kept[Overview] = Kept()
        self._datasets: Kept[dict[str, dict[str, list[ox.Term]]]] = Kept()
        self._validation: Kept[dict[str, list[dict]]] = Kept()
        self._lock = asyncio.Lock()

    @property
    def examples(self) -> tuple[Example, ...]:
        """The example queries, read (and parsed) when first asked for, not at the server's start."""
        return load_examples(self.settings.examples_dir)

    # -- descriptions ------------------------------------------------------------------

    def _description_query(self, iri: str) -> str:
        if iri == ONTOLOGY_IRI:
            return sparql.text("ontology").replace(sparql.THIS, sparql.term(iri))
        return sparql.bind("describe", iri)

    async def triples(self, iri: str) -> list[ox.Triple]:
        return await self.sparql.triples(self._description_query(iri))

    async def description(self, iri: str, fmt: Format) -> bytes | None:
        """The description of ``iri`` serialised as ``fmt`` (an RDF format) where the query runs
        (by pyoxigraph, with kgpub's prefixes in Turtle and RDF/XML), never parsed here; None
        when it has none.  The resource's own triples come first (the first branch of the query)."""
        prefixes = PREFIXES if fmt.prefixed else None
        data = await self.sparql.serialised(self._description_query(iri), fmt.media_type, prefixes=prefixes)
        return None if fmt.empty(data) else data

    # -- HTML pages ----------------------------------------------------------------------

    def render(self, template: str, **context) -> str:
        compiled = self._templates.get(template)
        if compiled is None:
            compiled = self._templates[template] = self.env.get_template(template)
        return compiled.render(**context)

    async def site_url(self) -> str | None:
        """The garden's site: the setting, else the build dataset's homepage (not the whole
        overview, whose counts per class take seconds on a PrimeKG-sized store)."""
        if self.settings.site_url:
            return self.settings.site_url
        own = (await self.datasets()).get(self.settings.base_iri + "dataset", {})
        return next((v.value for p in display.predicates("site") for v in own.get(p, ())), None)

    async def datasets(self) -> dict[str, dict[str, list[ox.Term]]]:
        """dataset IRI -> predicate -> values (``dataset.rq``), computed once per generation of the store."""
        generation = self.sparql.backend.generation
        kept = self._datasets.get(generation)
        if kept is not None:
            return kept
        datasets: dict[str, dict[str, list[ox.Term]]] = {}
        for r in await self.sparql.select(sparql.text("dataset")):
            datasets.setdefault(r["dataset"].value, {}).setdefault(r["p"].value, []).append(r["o"])
        return self._datasets.set(generation, datasets)

    async def page_data(self, iri: str) -> tuple[list[ox.Triple], dict[str, int]]:
        """The answer of the page query (``page.rq``; the ontology IRI: its description and
        the counts): the triples the page shows, and its counts."""
        if iri == ONTOLOGY_IRI:
            triples, counts = await asyncio.gather(self.triples(iri), self.counts(iri))
            return triples, counts
        counts = dict.fromkeys(_COUNT_NAMES, 0)
        shown = []
        for t in await self.sparql.triples(sparql.bind("page", iri)):
            if t.subject.value == _COUNTS:
                counts[t.predicate.value.rpartition(":")[2]] = int(t.object.value)
            else:
                shown.append(t)
        return shown, counts

    async def resource_view(self, iri: str, triples: list[ox.Triple]) -> ResourceView:
        facts = Facts((await self.labels()).names)
        return ViewBuilder(self.locations, facts, site_url=await self.site_url()).build(iri, triples)

    async def resource(self, iri: str, page: int = 1, href: "PageLinks | None" = None) -> tuple[str, bool] | None:
        """The HTML page of ``iri`` and whether it has a description in RDF (a class known only by
        its instances has none); None when the store knows nothing of it."""
        links = href or PageLinks(self.locations)
        triples, counts = await self.page_data(iri)
        described = bool(triples) or counts["graph"] > 0
        if not triples and not any(counts.values()):
            return None
        view = await self.resource_view(iri, triples)
        instances: list[Link] = []
        pages = max(1, -(-counts["instances"] // self.settings.page_size))
        page = min(max(1, page), pages)
        if counts["instances"]:
            instances = await self.instances(iri, page)
        kinds = {t.iri for t in view.types}
        term = iri.startswith(str(KGO)) or any(_OWL + k in kinds for k in _ONTOLOGY_TERMS)
        report = []
        if any(t.iri == str(KGO) + "Note" for t in view.types):
            path = next((p.value for t in triples if t.subject.value == iri
                         for p in [t.object] if t.predicate.value == str(KGO) + "sourcePath"), None)
            report = (await self.validation()).get(path, []) if path else []
        return self.render(
            "resource.html", described=described, view=view, counts=counts, instances=instances, page=page, pages=pages,
            term=term, local=self.locations.is_local(iri), links=links, report=report,
            ontology=await self.ontology_terms() if iri == ONTOLOGY_IRI else None,
            formats=[(f, links.format(iri, f)) for f in (FORMATS if described else (HTML,))],
            query_href=f"{self.query_path}?" + urlencode({"edit": _describe_query(iri)}) if self.query_path else None,
            page_href=lambda n: links.page(iri, n),
        ), described

    async def counts(self, iri: str) -> dict[str, int]:
        rows = await self.sparql.select(sparql.bind("counts", iri))
        row = rows[0] if rows else None
        return {k: int(row[k].value) if row is not None and row[k] is not None else 0
                for k in ("instances", "uses", "graph")}

    async def instances(self, iri: str, page: int) -> list[Link]:
        size = self.settings.page_size
        query = sparql.bind("instances", iri) + f"LIMIT {size} OFFSET {(page - 1) * size}\n"
        return [Link(r["s"].value, self.locations.href(r["s"].value),
                     r["label"].value if r["label"] is not None else display.curie(r["s"].value))
                for r in await self.sparql.select(query) if isinstance(r["s"], ox.NamedNode)]

    async def ontology_terms(self) -> dict[str, list[Link]]:
        rows = await self.sparql.select(sparql.text("terms"))
        out: dict[str, list[Link]] = {k: [] for k in _ONTOLOGY_TERMS}
        for r in rows:
            kind = r["kind"].value.rsplit("#", 1)[-1]
            label = r["label"].value if r["label"] is not None else display.curie(r["term"].value)
            out[kind].append(Link(r["term"].value, self.locations.href(r["term"].value), label))
        for links in out.values():
            links.sort(key=lambda l: l.label.casefold())
        return out

    async def overview(self) -> Overview:
        async with self._lock:
            generation = self.sparql.backend.generation
            kept = self._overview.get(generation)
            return kept if kept is not None else self._overview.set(generation, await self._compute_overview())

    async def _compute_overview(self) -> Overview:
        found, class_rows = await asyncio.gather(self.datasets(), self.sparql.select(sparql.text("class_counts")))
        datasets = dict(found)
        own_iri = self.settings.base_iri + "dataset"
        own = datasets.pop(own_iri, {})

        def first(fields, role_name):
            for p in display.predicates(role_name):
                for v in fields.get(p, ()):
                    return v.value
            return None

        def listing(fields):
            skip = {p for r in ("label", "definition", "type", "license") for p in display.predicates(r)}
            return [(display.curie(p), ", ".join(v.value for v in values))
                    for p, values in sorted(fields.items()) if p not in skip]

        license_iri = first(own, "license")
        classes = [(Link(r["class"].value, self.locations.href(r["class"].value),
                         r["label"].value if r["label"] is not None else display.curie(r["class"].value)),
                    int(r["count"].value)) for r in class_rows if isinstance(r["class"], ox.NamedNode)]
        sources = [(Link(iri, self.locations.href(iri), first(f, "label") or display.curie(iri)), listing(f))
                   for iri, f in sorted(datasets.items())]
        return Overview(first(own, "label") or "Knowledge graph", first(own, "definition"),
                        Link(license_iri, license_iri, license_iri, external=True) if license_iri else None,
                        listing(own), classes, sources, first(own, "site"))

    async def landing(self) -> str:
        return self.render("landing.html", overview=await self.overview(), downloads=self.downloads(),
                           examples=self.examples)

    async def labels(self) -> LabelIndex:
        async with self._lock:
            generation = self.sparql.backend.generation
            kept = self._labels.get(generation)
            if kept is not None:
                return kept
            rows = await self.sparql.rows(sparql.text("labels"))  # ?s ?label ?rank
            return self._labels.set(generation, LabelIndex([(s.value, label.value, int(rank.value)) for s, label, rank in rows]))

    async def search(self, text: str) -> str:
        hits, more = (await self.labels()).prefix(text) if text else ([], False)
        links = [Link(h.iri, self.locations.href(h.iri), h.label) for h in hits]
        return self.render("search.html", q=text, hits=links, more=more)

    async def search_files(self) -> dict[str, bytes]:
        """The static site's search: file name (under ``SEARCH_INDEX_PATH``) -> JSON of every label
        whose folded form (:func:`kgpub.web.search.fold`) starts with the same ``SEARCH_PREFIX`` characters, as
        ``[folded, label, href, iri]`` rows in label order (read by ``static/search.js``)."""
        href = self.locations.href
        return {key.encode("utf-8").hex() + ".json":
                json.dumps([[fold(h.label), h.label, href(h.iri), h.iri] for h in hits],
                           ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                for key, hits in (await self.labels()).by_prefix(SEARCH_PREFIX).items()}

    def search_page(self) -> str:
        """The static site's search page (its script reads the files of :meth:`search_files`)."""
        return self.render("search_static.html", index=SEARCH_INDEX_PATH, limit=50)

    async def search_json(self, text: str) -> list[dict]:
        hits, _ = (await self.labels()).prefix(text, limit=20)
        return [{"iri": h.iri, "label": h.label, "href": self.locations.href(h.iri)} for h in hits]

    def query_page(self, edit: str | None = None) -> str:
        return self.render("query.html", examples=self.examples, edit=edit or self.examples[0].query,
                           prefixes=json.dumps(PREFIXES))

    def examples_triples(self, public_base: str) -> list[ox.Triple]:
        base = public_base.rstrip("/") + EXAMPLES_PATH + "/"
        endpoint = self.settings.endpoint
        if endpoint and endpoint.startswith("/"):
            endpoint = public_base.rstrip("/") + endpoint
        return examples_graph(self.examples, base=base, endpoint=endpoint)

    # -- the build's files -----------------------------------------------------------------

    def downloads(self) -> list[Download]:
        dist = self.settings.dist
        if dist is None:
            return []
        names: dict[str, str] = {"kg.ttl": "all data graphs, Turtle", "kg.nq": "every named graph, N-Quads",
                                 "ontology.ttl": "the ontology, Turtle", "ontology.owl": "the ontology, RDF/XML",
                                 "validation.ttl": "the SHACL validation report"}
        manifest = dist / "manifest.json"
        if manifest.is_file():
            for graph in json.loads(manifest.read_text(encoding="utf-8")).get("graphs", []):
                for name in graph.get("files", [graph.get("file")] if graph.get("file") else []):
                    names.setdefault(name, f"graph {graph['iri']}")
        out = []
        for name, what in names.items():
            path = dist / name
            if path.is_file() and dist.resolve() in path.resolve().parents:
                out.append(Download(name, DOWNLOAD_PATH + quote(name), path, path.stat().st_size, what))
        return out

    async def validation(self) -> dict[str, list[dict]]:
        """The build's SHACL results per note file (``DIST/validation.ttl``, read again when the store changed: a
        ``--watch`` reload follows a rebuild, which rewrote it)."""
        generation = self.sparql.backend.generation
        kept = self._validation.get(generation)
        if kept is None:
            report = self.settings.dist / "validation.ttl" if self.settings.dist else None
            grouped: dict[str, list[dict]] = {}
            if report is not None and report.is_file():
                store = ox.Store()
                store.load(path=str(report), format=ox.RdfFormat.TURTLE)
                rows = await sparql.Sparql(LocalBackend(store)).select(sparql.text("validation"))
                for r in rows:
                    file = r["file"].value if r["file"] is not None else ""
                    grouped.setdefault(file, []).append({
                        "line": r["line"].value if r["line"] is not None else None,
                        "severity": r["severity"].value.rsplit("#", 1)[-1],
                        "focus": Link(r["focus"].value, self.locations.href(r["focus"].value), display.curie(r["focus"].value))
                        if isinstance(r["focus"], ox.NamedNode) else None,
                        "path": display.curie(r["path"].value) if isinstance(r["path"], ox.NamedNode) else None,
                        "message": r["message"].value if r["message"] is not None else "",
                        "shape": display.curie(r["shape"].value) if isinstance(r["shape"], ox.NamedNode) else None,
                    })
            kept = self._validation.set(generation, grouped)
        return kept

    async def validation_page(self, file: str | None = None) -> str | None:
        report = await self.validation()
        if file is not None and file not in report:
            return None
        return self.render("validation.html", report=report, file=file,
                           file_href=lambda f: VALIDATION_PATH + "/" + quote(f))


class PageLinks:
    """How pages link to a resource's other formats and to the pages of a class list.

    The server answers ``?format=`` and ``?page=``; the static export has files instead
    (:class:`kgpub.web.export.FileLinks`)."""

    def __init__(self, locations: Locations):
        self.locations = locations

    def format(self, iri: str, fmt: Format) -> str:
        href = self.locations.href(iri)
        return href if fmt is HTML else f"{href}?format={fmt.name}"

    def page(self, iri: str, n: int) -> str:
        href = self.locations.href(iri)
        return href if n == 1 else f"{href}?page={n}"


def serialise(triples: list[ox.Triple], fmt: Format) -> bytes:
    """Triples in ``fmt``; Turtle and RDF/XML with kgpub's prefixes."""
    rdf = ox.RdfFormat.from_media_type(fmt.media_type)
    if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=rdf, prefixes=PREFIXES)
    return ox.serialize(triples, format=rdf)


def _describe_query(iri: str) -> str:
    return ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            f"SELECT ?property ?value ?label WHERE {{\n  {sparql.term(iri)} ?property ?value .\n"
            "  OPTIONAL { ?value rdfs:label ?label }\n}\nLIMIT 500\n")


__all__ = ["Pages", "PagesSettings", "PageLinks", "serialise", "QueryFailed", "RDF_FORMATS"]
