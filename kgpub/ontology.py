"""The kgpub ontology: loading ``ontology/*.ttl``, writing it out, checking it with HermiT.

Every ``*.ttl`` file of the ontology folder is part of the ontology (the core
``kgpub.ttl`` plus the files other parts add).  Loading is pyoxigraph-only;
only the reasoner check goes through owlready2, which runs HermiT with the
machine's Java.

>>> quads = load_ontology_quads()
>>> any(q.subject.value == "https://w3id.org/kgpub/ontology/Gene" for q in quads)
True
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from .errors import ConfigError
from .paths import ontology_dir
from .vocab import PREFIXES

GraphName = NamedNode | DefaultGraph

#: Extra prefixes for the terms the ontology aligns to (vocab.PREFIXES covers the rest).
ONTOLOGY_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "oa": "http://www.w3.org/ns/oa#",
}


def ontology_files(folder: Path | None = None, extra: Sequence[Path] = ()) -> list[Path]:
    """Every ``*.ttl`` file of the ontology folder, sorted by name, then each ``extra`` file
    (or every ``*.ttl`` of an ``extra`` folder): a garden's ``[extend] ontology``."""
    folder = folder or ontology_dir()
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ConfigError(f"{folder}: no ontology files (*.ttl)")
    for item in extra:
        files.extend(sorted(item.glob("*.ttl")) if item.is_dir() else [item])
    return files


def load_ontology_triples(folder: Path | None = None, extra: Sequence[Path] = ()) -> list[Triple]:
    """The ontology as triples, blank nodes relabelled deterministically, sorted."""
    triples: list[Triple] = []
    for path in ontology_files(folder, extra):
        try:
            with path.open("rb") as f:
                triples.extend(parse(f, format=RdfFormat.TURTLE, base_iri=path.as_uri()))
        except SyntaxError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    return canonical_triples(triples)


def load_ontology_quads(graph: GraphName | None = None, folder: Path | None = None, extra: Sequence[Path] = ()) -> list[Quad]:
    """The ontology as quads in ``graph`` (the default graph if ``None``)."""
    g = graph if graph is not None else DefaultGraph()
    return [Quad(t.subject, t.predicate, t.object, g) for t in load_ontology_triples(folder, extra)]


@dataclass(frozen=True)
class OntologyFiles:
    turtle: Path
    rdfxml: Path


def write_ontology(
    out_dir: Path, folder: Path | None = None, extra: Sequence[Path] = (), *, triples: Iterable[Triple] | None = None
) -> OntologyFiles:
    """Write ``ontology.ttl`` (Turtle with prefixes) and ``ontology.owl`` (RDF/XML) into ``out_dir``:
    the ontology files (``folder`` and ``extra``), or ``triples`` when given (a build's ontology graph,
    with the properties it minted).

    Output is byte-identical for identical input.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    triples = load_ontology_triples(folder, extra) if triples is None else canonical_triples(triples)
    files = OntologyFiles(out_dir / "ontology.ttl", out_dir / "ontology.owl")
    files.turtle.write_bytes(serialize(triples, format=RdfFormat.TURTLE, prefixes=ONTOLOGY_PREFIXES))
    files.rdfxml.write_bytes(serialize(triples, format=RdfFormat.RDF_XML, prefixes=ONTOLOGY_PREFIXES))
    return files


def canonical_triples(triples: Iterable[Triple]) -> list[Triple]:
    """Sort triples and give blank nodes labels derived from their content.

    A blank node's label hashes its outgoing triples (recursively, for the
    trees OWL uses: lists, restrictions, axioms), so the same input always
    gives the same labels; structurally identical nodes get a counter suffix.
    """
    triples = list(triples)
    outgoing: dict[str, list[Triple]] = {}
    for t in triples:
        if isinstance(t.subject, BlankNode):
            outgoing.setdefault(t.subject.value, []).append(t)
    signatures: dict[str, str] = {}

    def signature(node: str, seen: frozenset[str]) -> str:
        if node in signatures:
            return signatures[node]
        if node in seen:  # a cycle: fall back on position-free marker
            return "cycle"
        parts = []
        for t in outgoing.get(node, []):
            o = t.object
            o_sig = "_:" + signature(o.value, seen | {node}) if isinstance(o, BlankNode) else str(o)
            parts.append(f"{t.predicate} {o_sig}")
        digest = hashlib.sha256("\n".join(sorted(parts)).encode("utf-8")).hexdigest()[:16]
        signatures[node] = digest
        return digest

    blank_ids = {t.subject.value for t in triples if isinstance(t.subject, BlankNode)}
    blank_ids |= {t.object.value for t in triples if isinstance(t.object, BlankNode)}
    labels: dict[str, str] = {}
    used: dict[str, int] = {}
    for node in sorted(blank_ids, key=lambda n: signature(n, frozenset())):
        sig = signature(node, frozenset())
        count = used.get(sig, 0)
        used[sig] = count + 1
        labels[node] = f"b{sig}" if count == 0 else f"b{sig}x{count}"

    def relabel(term):
        return BlankNode(labels[term.value]) if isinstance(term, BlankNode) else term

    out = {Triple(relabel(t.subject), t.predicate, relabel(t.object)) for t in triples}
    return sorted(out, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


@dataclass
class ReasonerResult:
    """What HermiT says: consistent or not, and the classes equivalent to owl:Nothing."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def check_consistency(
    data: Sequence[Triple | Quad] | None = None,
    *,
    folder: Path | None = None,
    timeout_note: str = "",
) -> ReasonerResult:
    """Run HermiT (through owlready2 and the machine's Java) on the ontology plus ``data``.

    ``data`` is an ABox as pyoxigraph triples or quads (graph names are
    dropped).  Raises :class:`ConfigError` when Java or owlready2 cannot run
    at all; an inconsistent ontology is a result, not an exception.
    """
    import owlready2

    ontology = load_ontology_triples(folder)
    with tempfile.TemporaryDirectory(prefix="kgpub-hermit-") as tmp:
        tmp_path = Path(tmp)
        onto_file = tmp_path / "ontology.nt"
        onto_file.write_bytes(serialize(ontology, format=RdfFormat.N_TRIPLES))
        world = owlready2.World()
        try:
            world.get_ontology(onto_file.as_uri()).load(format="ntriples")
            if data:
                data_file = tmp_path / "data.nt"
                triples = [Triple(q.subject, q.predicate, q.object) for q in data]
                data_file.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES))
                world.get_ontology(data_file.as_uri()).load(format="ntriples")
        except Exception as exc:  # owlready2 raises plain exceptions on parse errors
            raise ConfigError(f"owlready2 could not load the ontology: {exc}") from exc
        try:
            with _quiet():
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasonerResult(False, [], str(exc).strip().splitlines()[-1] if str(exc).strip() else "inconsistent")
        except FileNotFoundError as exc:
            raise ConfigError(f"cannot run Java for HermiT: {exc}") from exc
        except owlready2.OwlReadyJavaError as exc:
            raise ConfigError(f"HermiT failed: {exc}") from exc
        unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        return ReasonerResult(True, unsat, "consistent" if not unsat else f"{len(unsat)} unsatisfiable classes")


class _quiet:
    """Silence owlready2's progress output on stderr/stdout while the reasoner runs."""

    def __enter__(self):
        import contextlib

        self._stack = contextlib.ExitStack()
        self._stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        self._stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
        return self

    def __exit__(self, *exc):
        self._stack.close()
        return False
