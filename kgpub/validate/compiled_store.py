"""Run compiled SHACL checks on a pyoxigraph store: in memory for a build, on disk for bulk N-Triples.

``validate_store(store)`` runs one SPARQL query per (shape, constraint) of
:mod:`kgpub.validate.compiled` over the union of the store's graphs, which
must hold the data and the ontology's class hierarchy.  Results stream; at
most ``cap`` results are kept per (shape, constraint) while all are
counted (:class:`CappedReport` says what was left out).  Results are traced to
note file and line like :func:`kgpub.validate.shacl.validate` (report.Provenance),
from the provenance triples of the kept results' nodes only.

``validate_ntriples_files(files)`` bulk-loads gzip or plain N-Triples shards
into a temporary on-disk store, adds the class hierarchy, validates, and
deletes the store.
"""

from __future__ import annotations

import gzip
import re
import shutil
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from ..vocab import KGO, OWL, PROV
from ..errors import UnsupportedShape
from .compiled import CompiledShapes, compile_shapes
from .shapes import class_hierarchy, default_shapes, load_primekg_shapes
from .report import Provenance, ValidationReport, ValidationResult, result_order
from .sparql_constraints import WRAPPED_XSD, XSD_NS, Query, render

DEFAULT_CAP = 1000
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@dataclass
class CappedReport(ValidationReport):
    """A report whose ``results`` keep at most ``cap`` per (shape, component); ``totals`` counts them all."""

    totals: Counter = field(default_factory=Counter)  # (shape key, component, severity) -> results found
    cap: int | None = None

    def counts(self) -> Counter:
        out: Counter = Counter()
        for (_shape, _component, severity), n in self.totals.items():
            out[severity] += n
        return out

    @property
    def omitted(self) -> int:
        return sum(self.totals.values()) - len(self.results)

    def summary(self, *, per_message: int | None = None) -> str:
        text = super().summary(per_message=per_message)
        if not self.omitted:
            return text
        head, _, rest = text.partition("\n")
        note = (f"SHACL: {self.omitted} more result(s) not listed: at most {self.cap} are kept per shape and "
                f"constraint component (counts above include them)")
        return "\n".join(x for x in (head, note, rest) if x)


@lru_cache(maxsize=8)
def _compiled_for(shapes_id: int, shapes) -> CompiledShapes:  # shapes passed for the cache to keep it alive
    return compile_shapes(shapes)


def compiled(shapes) -> CompiledShapes:
    """Compile ``shapes`` once per graph object (raises UnsupportedShape)."""
    return _compiled_for(id(shapes), shapes)


def require_compiled(program: CompiledShapes) -> None:
    """Raise UnsupportedShape when a shape did not compile (for callers with no other engine)."""
    if program.unsupported:
        shape, reason = sorted(program.unsupported.items())[0]
        raise UnsupportedShape(f"{reason} ({len(program.unsupported)} shape(s) do not compile)", shape=shape)


def validate_store(store: Store, *, shapes=None, cap: int | None = None, union: bool = True, workers: int = 1) -> ValidationReport:
    """Validate the union of ``store``'s graphs (data + class hierarchy) with the compiled shapes.

    ``shapes``: rdflib Graph (default every ``shapes/*.ttl``) or :class:`CompiledShapes`.
    ``cap``: keep at most this many results per (shape, constraint), counting
    all (``None`` keeps every result).  ``union=False``: the store holds everything in its
    default graph (as :func:`load_store` makes it), which queries read faster than the union.
    ``workers``: checks run at a time, in threads (the results are the same for any number).
    """
    program = shapes if isinstance(shapes, CompiledShapes) else compiled(shapes if shapes is not None else default_shapes())
    closure = _class_closure(store, program.classes(), union)
    queries = [render(check, lambda c: closure[c]) for check in program.checks]
    if workers > 1:  # pyoxigraph evaluates a query without the GIL: the checks run side by side
        with ThreadPoolExecutor(max_workers=workers) as pool:
            found = list(pool.map(lambda query: _results(store, query, cap, union), queries))
    else:
        found = [_results(store, query, cap, union) for query in queries]
    kept = [bucket for bucket, _count in found]  # per check: its (focus, value) results, each once
    totals: Counter = Counter()
    for check, (_bucket, count) in zip(program.checks, found):
        totals[(check.shape_key, check.constraint.component, check.severity)] += count
    raws = [_raw(c, f, v, rpath) for c, bucket in zip(program.checks, kept) for f, v, _d, rpath in bucket]
    foci = {item[0] for bucket in kept for item in bucket}
    provenance = Provenance(_provenance_triples(store, foci))
    results = sorted((_attribute(r, provenance) for r in raws), key=result_order)
    if cap is None:
        return ValidationReport(results)
    return CappedReport(results, totals=totals, cap=cap)


def _results(store: Store, query: Query, cap: int | None, union: bool) -> tuple[dict[tuple, None], int]:
    """The distinct result rows of one check (at most ``cap`` kept) and how many were found."""
    bucket: dict[tuple, None] = {}
    count = 0
    for item in _rows(store, query, union):
        if item in bucket:
            continue
        if cap is None or len(bucket) < cap:
            bucket[item] = None
        count += 1  # counted whether kept or not (duplicates beyond the cap may be counted twice)
    return bucket, count


def _rows(store: Store, query: Query, union: bool = True) -> Iterator[tuple]:
    """(focus, value, distinct, result path) per result row; the last three may be None."""
    solutions = store.query(query.sparql, use_default_graph_as_union=union)
    try:
        for sol in solutions:
            focus = sol["focus"]
            value = sol["value"] if query.has_value else None
            if query.keep is not None and not query.keep(value):
                continue
            yield (focus, value, sol["distinct"] if query.distinct else None,
                   sol["rpath"] if query.result_path else None)
    finally:
        del solutions  # on the thread that made it, even when a traceback keeps this frame (pyoxigraph's are unsendable)


def _raw(check, focus, value, rpath=None) -> tuple:
    """A result as shacl._Raw: (severity, focus, path, value, message, shape, component), terms as N-Triples."""
    focus_nt = str(unwrap(focus))
    value_nt = str(unwrap(value)) if value is not None else None
    if check.messages:
        message = check.messages[0]
    else:
        message = check.generic_message.replace("{focus}", _display(focus)).replace(
            "{value}", _display(value) if value is not None else "").replace("{inner}", "[...]")
    path = check.path.result_path() if check.path else (str(rpath) if rpath is not None else None)
    return (check.severity, focus_nt, path, value_nt, message, check.shape, check.constraint.component)


def _display(term) -> str:
    return term.value if isinstance(term, NamedNode) else str(term)


def _attribute(raw: tuple, provenance: Provenance) -> ValidationResult:
    severity, focus, path, value, message, shape, component = raw
    source_path, source_line = provenance.locate(focus, path, value)
    return ValidationResult(source_path, source_line, severity, focus, path, value, message, shape, component)


def _class_closure(store: Store, classes: Iterable[str], union: bool = True) -> dict[str, list[str]]:
    """Each class with the classes below it through rdfs:subClassOf* in the store (N-Triples forms)."""
    out = {}
    for cls in sorted(classes):
        rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c {_SUBCLASS}* {cls} }}", use_default_graph_as_union=union)
        found = sorted({str(r["c"]) for r in rows} | {cls})
        out[cls] = found
    return out


def _provenance_triples(store: Store, foci: Iterable) -> list[Triple]:
    """The triples report.Provenance needs to locate results about ``foci`` (store terms), by index lookups."""
    own = (PROV.wasDerivedFrom, KGO.sourcePath, KGO.sourceLine)
    axiom_parts = (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget, PROV.wasDerivedFrom, KGO.sourceLine)
    out: set[Triple] = set()

    def take(s, p) -> list:
        found = [Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(s, p, None)]
        out.update(found)
        return found

    def notes_of(node) -> None:
        for t in take(node, PROV.wasDerivedFrom):
            if not isinstance(t.object, Literal):
                take(t.object, KGO.sourcePath)

    for f in foci:
        if isinstance(f, Literal):
            continue
        for p in own:
            take(f, p)
        notes_of(f)
        axioms = {q.subject for p in (OWL.annotatedSource, OWL.annotatedTarget) for q in store.quads_for_pattern(None, p, f)}
        for a in axioms:
            for p in axiom_parts:
                take(a, p)
            notes_of(a)
    return [Triple(t.subject, t.predicate, unwrap(t.object)) for t in out]


# pyoxigraph stores XSD numeric, boolean and date literals in canonical form ("01"^^xsd:positiveInteger
# comes back as "1"^^xsd:integer), which would change sh:datatype results and reported values.
# Literals of XSD datatypes other than xsd:string are therefore stored under a wrapped datatype
# IRI (WRAPPED_XSD + local name) that keeps their lexical form and datatype; see sparql_constraints.
_WRAP_FROM = b'"^^<' + XSD_NS.encode()
_WRAP_TO = b'"^^<' + WRAPPED_XSD.encode()


_WRAPPED: dict[str, NamedNode] = {}  # XSD datatype IRI -> its wrapped IRI, made once per datatype


def wrap(term):
    if isinstance(term, Literal):
        datatype = term.datatype.value
        if datatype.startswith(XSD_NS) and datatype != XSD_NS + "string":
            wrapped = _WRAPPED.get(datatype)
            if wrapped is None:
                wrapped = _WRAPPED.setdefault(datatype, NamedNode(WRAPPED_XSD + datatype[len(XSD_NS):]))
            return Literal(term.value, datatype=wrapped)
    return term


def unwrap(term):
    if isinstance(term, Literal) and term.datatype.value.startswith(WRAPPED_XSD):
        return Literal(term.value, datatype=NamedNode(XSD_NS + term.datatype.value[len(WRAPPED_XSD):]))
    return term


class _WrappingReader:
    """A binary reader of N-Triples that rewrites XSD datatypes (not xsd:string) to wrapped ones, line-aligned."""

    def __init__(self, raw, chunk: int = 1 << 23):
        self.raw, self.chunk, self.rest, self.buffer = raw, chunk, b"", b""

    def _fill(self) -> bool:
        data = self.raw.read(self.chunk)
        if not data:
            if self.rest:
                self.buffer += self._convert(self.rest)
                self.rest = b""
            return False
        data = self.rest + data
        cut = data.rfind(b"\n") + 1
        self.rest = data[cut:]
        self.buffer += self._convert(data[:cut])
        return True

    @staticmethod
    def _convert(data: bytes) -> bytes:
        return data.replace(_WRAP_FROM, _WRAP_TO).replace(_WRAP_TO + b"string>", _WRAP_FROM + b"string>")

    def read(self, n: int = -1) -> bytes:
        while (n < 0 or len(self.buffer) < n) and self._fill():
            pass
        if n < 0:
            n = len(self.buffer)
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def readable(self) -> bool:
        return True


#: Triples serialised at a time by load_store.
_LOAD_CHUNK = 50_000
#: The object of an N-Triples line that is a literal of an XSD datatype other than xsd:string (the
#: line's end: inside a literal a line break is escaped, so no literal's text can end a line).
_XSD_OBJECT = re.compile(rb'"\^\^<' + re.escape(XSD_NS.encode()) + rb"(?!string>)([^>]*)> \.$", re.MULTILINE)


def load_store(triples: Iterable[Triple], hierarchy: Iterable[Triple]) -> Store:
    """An in-memory store holding ``triples`` (XSD literals wrapped) and the class hierarchy in its default graph.

    The triples go through pyoxigraph's N-Triples writer and parser (blank node ids kept), the
    wrapping done on the bytes: no Python code runs per triple.
    """
    store = Store()
    every = [*triples, *hierarchy]
    for start in range(0, len(every), _LOAD_CHUNK):  # bytes of a chunk at a time in memory
        data = serialize(every[start: start + _LOAD_CHUNK], format=RdfFormat.N_TRIPLES)
        data = _XSD_OBJECT.sub(b'"^^<' + WRAPPED_XSD.encode() + rb"\1> .", data)
        store.bulk_extend(parse(data, format=RdfFormat.N_TRIPLES, lenient=True))
    return store


def validate_ntriples_files(files: list[Path], *, shapes=None, ontology: Iterable[Triple] | None = None,
                            workdir: Path | None = None, cap: int = DEFAULT_CAP) -> ValidationReport:
    """Validate gzip/plain N-Triples shards in bounded memory through a temporary on-disk store.

    ``shapes``: rdflib Graph (default ``shapes/primekg.ttl``); ``ontology``: triples whose
    rdfs:subClassOf hierarchy is added (default ``ontology/*.ttl``); ``workdir``: where the
    temporary store goes (default the system temp dir).  Raises UnsupportedShape when a
    shape is outside the compiled subset.
    """
    program = compiled(shapes if shapes is not None else load_primekg_shapes())
    require_compiled(program)
    tmp = Path(tempfile.mkdtemp(prefix="kgpub-store-", dir=workdir))
    try:
        store = Store(str(tmp / "store"))
        for f in files:
            f = Path(f)
            opener = gzip.open if f.suffix == ".gz" else open
            with opener(f, "rb") as handle:
                store.bulk_load(_WrappingReader(handle), format=RdfFormat.N_TRIPLES, lenient=True)
        store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in class_hierarchy(ontology))
        store.flush()
        report = validate_store(store, shapes=program, cap=cap, union=False)
        del store
        return report
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
