"""The SHACL validation report: typed results, each traced to its note file and line.

A result's ``source_path`` / ``source_line`` come from the data's provenance
pattern (docs/design.md): the focus node's ``prov:wasDerivedFrom`` note and
its ``kgo:sourcePath``; for a relation, the ``owl:Axiom`` of the edge
(``kgo:sourceLine``); for an unresolved target, the axiom of the edge that
points at it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from ..diagnostics import Diagnostic, Severity
from ..iris import short_hash
from .paths import parse_text
from .paths import to_triples as path_rdf
from ..vocab import KGO, OWL, PREFIXES, PROV, RDF, SH, XSD

_SEVERITY_WORD = {"Violation": "error", "Warning": "warning", "Info": "info"}


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult.  Terms are N-Triples strings (``<iri>``, ``_:b``, ``"lit"``)."""

    source_path: str | None
    source_line: int | None
    severity: str  # "Violation", "Warning" or "Info"
    focus_node: str
    path: str | None
    value: str | None
    message: str
    shape: str | None  # the source shape: ``<iri>``, or ``_:label`` of a blank node of the shapes graph
    component: str  # the sh:sourceConstraintComponent IRI
    details: tuple["ValidationResult", ...] = ()  # sh:detail: results of nested shapes that caused this one

    def key(self) -> tuple:
        """What identifies a result independently of how validation was run."""
        return (self.focus_node, self.path, self.value, self.component, self.shape, self.severity, self.message)

    def diagnostic(self) -> Diagnostic:
        sev = Severity(_SEVERITY_WORD.get(self.severity, "error"))
        where = self.source_path or _strip(self.focus_node)
        subject = _strip(self.focus_node)
        detail = f" ({_strip(self.value)})" if self.value and self.value != self.focus_node else ""
        return Diagnostic(where, self.source_line, f"{self.message} [{subject}]{detail}", sev, "shacl")


def _strip(term: str | None) -> str:
    if term is None:
        return ""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    return term


@dataclass
class ValidationReport:
    """The outcome of validation.

    ``conforms`` follows SHACL 3.1: false as soon as there is any result, whatever its
    severity.  ``has_violations`` is what exit codes use: warnings and infos alone pass.
    ``fallbacks`` names each shape another engine validated and why (empty when the
    compiled engine ran every shape).
    """

    results: list[ValidationResult] = field(default_factory=list)
    fallbacks: dict[str, str] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not self.results

    @property
    def has_violations(self) -> bool:
        return any(r.severity == "Violation" for r in self.results)

    def counts(self) -> Counter:
        return Counter(r.severity for r in self.results)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    def summary(self, *, per_message: int | None = None) -> str:
        """Human text for stderr: counts by severity, then one ``path:line: severity: message`` line per result.

        With ``per_message``, at most that many lines are shown for each (severity, message) and the rest
        are counted (``... and 1,880 more like this``); ``validation.ttl`` always holds every result.
        """
        c = self.counts()
        head = (
            f"SHACL: {'conforms' if self.conforms else 'does not conform'}: "
            f"{c.get('Violation', 0)} violation(s), {c.get('Warning', 0)} warning(s), {c.get('Info', 0)} info"
        )
        lines = [head]
        shown: dict[tuple[str, str], int] = {}
        for r in sorted(self.results, key=_sort_key):
            key = (r.severity, r.message)
            shown[key] = shown.get(key, 0) + 1
            if per_message is None or shown[key] <= per_message:
                lines.append(str(r.diagnostic()))
        if per_message is not None:
            for (severity, message), n in sorted(shown.items()):
                if n > per_message:
                    lines.append(f"... and {n - per_message:,} more {severity.lower()}(s) like: {message}")
        return "\n".join(lines)

    def to_triples(self) -> list[Triple]:
        """The report as a SHACL report graph plus kgo:sourcePath/kgo:sourceLine on each result."""
        report = BlankNode("report")
        out = [
            Triple(report, RDF.type, SH.ValidationReport),
            Triple(report, SH.conforms, Literal("true" if self.conforms else "false", datatype=XSD.boolean)),
        ]
        seen: dict[str, int] = {}
        for r in sorted(self.results, key=_sort_key):
            out.append(Triple(report, SH.result, _result_triples(r, out, seen)))
        return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

    def to_turtle(self) -> bytes:
        """Deterministic Turtle of :meth:`to_triples`."""
        prefixes = {"sh": str(SH), **PREFIXES}
        return serialize(self.to_triples(), format=RdfFormat.TURTLE, prefixes=prefixes)


def _result_triples(r: ValidationResult, out: list[Triple], seen: dict[str, int], parent: str = "") -> BlankNode:
    """Append the triples of one result (and its details) to ``out``; identical results stay distinct."""
    base = short_hash(parent, *(str(x) for x in r.key()))
    n = seen.get(base, 0)
    seen[base] = n + 1
    node = BlankNode("r" + (base if n == 0 else short_hash(base, str(n))))
    out.append(Triple(node, RDF.type, SH.ValidationResult))
    out.append(Triple(node, SH.resultSeverity, SH[r.severity]))
    out.append(Triple(node, SH.focusNode, _term(r.focus_node)))
    out.append(Triple(node, SH.resultMessage, Literal(r.message)))
    out.append(Triple(node, SH.sourceConstraintComponent, NamedNode(_strip(r.component))))
    if r.path:
        path_node, path_triples = path_rdf(parse_text(r.path), node.value)
        out.append(Triple(node, SH.resultPath, path_node))
        out.extend(path_triples)
    if r.value:
        out.append(Triple(node, SH.value, _term(r.value)))
    if r.shape:
        out.append(Triple(node, SH.sourceShape, _term(r.shape)))
    if r.source_path:
        out.append(Triple(node, KGO.sourcePath, Literal(r.source_path)))
    if r.source_line:
        out.append(Triple(node, KGO.sourceLine, Literal(str(r.source_line), datatype=XSD.positiveInteger)))
    for d in r.details:
        out.append(Triple(node, SH.detail, _result_triples(d, out, seen, node.value)))
    return node


def result_order(r: ValidationResult) -> tuple:
    """Sort key: by file and line, then the result's own fields (None sorts as empty)."""
    return (r.source_path or "\uffff", r.source_line or 0, r.severity, r.focus_node, r.path or "", r.value or "",
            r.message, r.shape or "", r.component)


_sort_key = result_order


def _term(nt: str):
    """Parse one N-Triples term string back into a pyoxigraph term."""
    from pyoxigraph import parse

    if nt.startswith("<") and nt.endswith(">"):
        return NamedNode(nt[1:-1])
    if nt.startswith("_:"):
        return BlankNode(nt[2:])
    triple = next(iter(parse(f"<urn:x:s> <urn:x:p> {nt} .".encode("utf-8"), format=RdfFormat.N_TRIPLES)))
    return triple.object


class Provenance:
    """Where data came from, indexed from the triples of the provenance pattern."""

    def __init__(self, triples: Iterable[Triple]):
        self.derived: dict[str, set[str]] = {}
        self.paths: dict[str, str] = {}
        self.lines: dict[str, int] = {}
        self.axioms: dict[tuple[str, str, str], list[str]] = {}
        self.axioms_about: dict[str, list[str]] = {}
        parts: dict[str, dict[str, str]] = {}
        for t in triples:
            p = t.predicate
            s = str(t.subject)
            if p == PROV.wasDerivedFrom:
                self.derived.setdefault(s, set()).add(str(t.object))
            elif p == KGO.sourcePath and isinstance(t.object, Literal):
                self.paths[s] = t.object.value
            elif p == KGO.sourceLine and isinstance(t.object, Literal):
                try:
                    self.lines[s] = int(t.object.value)
                except ValueError:
                    pass
            elif p in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget):
                parts.setdefault(s, {})[p.value] = str(t.object)
        for axiom, d in parts.items():
            key = (d.get(OWL.annotatedSource.value), d.get(OWL.annotatedProperty.value), d.get(OWL.annotatedTarget.value))
            if None not in key:
                self.axioms.setdefault(key, []).append(axiom)  # type: ignore[arg-type]
                self.axioms_about.setdefault(key[0], []).append(axiom)  # type: ignore[arg-type]
                self.axioms_about.setdefault(key[2], []).append(axiom)  # type: ignore[arg-type]

    def note_path(self, node: str) -> str | None:
        if node in self.paths:
            return self.paths[node]
        paths = sorted(self.paths[n] for n in self.derived.get(node, ()) if n in self.paths)
        return paths[0] if paths else None

    def locate(self, focus: str, path: str | None, value: str | None) -> tuple[str | None, int | None]:
        """(file, line) of a result about ``focus`` (and the edge ``path``/``value`` if any)."""
        candidates: list[str] = []
        if path and value:
            candidates = self.axioms.get((focus, path, value), [])
        if not candidates and focus in self.lines:  # the focus is an axiom itself
            candidates = [focus]
        if not candidates and not path and focus not in self.paths and focus not in self.lines:
            # a node no note describes itself (an unresolved target): the edges it takes part in
            own = self.derived.get(focus, set())
            candidates = [a for a in self.axioms_about.get(focus, []) if not own or self.derived.get(a, set()) & own]
        located = sorted((self.note_path(a) or "\uffff", self.lines.get(a, 0)) for a in candidates)
        if located and located[0][0] != "\uffff":
            return located[0][0], located[0][1] or None
        return self.note_path(focus), None
