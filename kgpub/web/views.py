"""What a resource page shows, built from the answer of its page query and the names of its neighbours.

:class:`ViewBuilder` takes the triples of ``page.rq`` (the resource's description, the source
path and permalink of its notes) and the names of every IRI the page links to (the server's label
index), and groups them: label, types, definition, identifiers, literal properties, outgoing and
incoming edges with the note text, evidence and source line of their axioms, and the notes the
resource comes from.  Each :class:`Link` renders itself once (:attr:`Link.html`), escaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from markupsafe import Markup, escape

from . import display
from .locations import Locations

_OWL = "http://www.w3.org/2002/07/owl#"
_SOURCE, _PROPERTY, _TARGET = (ox.NamedNode(_OWL + n) for n in ("annotatedSource", "annotatedProperty", "annotatedTarget"))
_BIOREGISTRY = "https://bioregistry.io/"
#: The roles of the triples a page keeps as facts of their subjects (names, note fields).
_FACTS = frozenset({"label", "source-path", "permalink"})
#: Most edges shown per direction; a page links to the query page for the rest.
EDGE_LIMIT = 200


@dataclass(frozen=True)
class Link:
    iri: str
    href: str
    label: str
    external: bool = False  # a resolver or other site, not a page of this one

    @cached_property
    def html(self) -> Markup:
        """The link as HTML, every part escaped (what the ``link`` macro of the templates shows)."""
        # Joined from escaped parts (markupsafe's C escape), not ``Markup % (...)``, whose escaping
        # helper objects cost more than the rest of the link: a page renders thousands of links.
        if self.external:
            return Markup(f'<a class="ext" href="{escape(self.href)}" rel="external">{escape(self.label)}</a>')
        return Markup(f'<a href="{escape(self.href)}" title="{escape(self.iri)}">{escape(self.label)}</a>')


@dataclass(frozen=True)
class Value:
    text: str
    link: Link | None = None
    datatype: str | None = None
    language: str | None = None
    parts: tuple[tuple[Link, "Value"], ...] = ()  # a blank node's own properties


@dataclass
class Edge:
    predicate: Link
    other: Link
    comments: list[str] = field(default_factory=list)
    evidence: list[Link] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notes: list[Link] = field(default_factory=list)
    key: str | None = None

    def row(self, incoming: bool) -> Markup:
        """The edge's row of an edges table (the ``edges`` macro), every part escaped: the other end
        first for an incoming edge, then the note text and relation key, the evidence, the notes and
        source lines.  Joined here rather than in the template, where a page's hundreds of rows cost
        more than the rest of its rendering."""
        first, second = (self.other, self.predicate) if incoming else (self.predicate, self.other)
        text = "".join([f"<p>{escape(c)}</p>" for c in self.comments])
        if self.key:
            text += f'<span class="key">{escape(self.key)}</span>'
        evidence = "<br>".join([e.html for e in self.evidence])
        source = "".join([n.html for n in self.notes]) + "".join([f" line {line}" for line in self.lines])
        return Markup(f"<tr>\n<td>{first.html}</td><td>{second.html}</td><td>{text}</td>\n"
                      f"<td>{evidence}</td>\n<td>{source}</td>\n</tr>\n")


@dataclass(frozen=True)
class NoteRef:
    note: Link
    source_path: str | None
    permalink: str | None
    garden_page: str | None


@dataclass
class ResourceView:
    iri: str
    label: str
    types: list[Link]
    definitions: list[str]
    identifiers: list[Link]
    properties: list[tuple[Link, list[Value]]]
    outgoing: list[Edge]
    incoming: list[Edge]
    notes: list[NoteRef]
    graph_triples: int = 0  # triples of the graph this IRI names (a note's graph)
    more_outgoing: bool = False
    more_incoming: bool = False

    @property
    def empty(self) -> bool:
        return not (self.types or self.properties or self.outgoing or self.incoming or self.identifiers
                    or self.graph_triples or self.definitions)


class Facts:
    """What a page knows of the IRIs it links to: their names (``names``: the label index), the
    labels in its own description, and the note fields (source path, permalink) of its query."""

    def __init__(self, names: Mapping[str, str] | None = None):
        self.names: Mapping[str, str] = names if names is not None else {}
        self.values: dict[str, dict[str, list[ox.Term]]] = defaultdict(lambda: defaultdict(list))

    def add(self, subject: str, predicate: str, obj: ox.Term) -> None:
        if obj not in self.values[subject][predicate]:
            self.values[subject][predicate].append(obj)

    def first(self, iri: str, predicates: Sequence[str]) -> str | None:
        fields = self.values.get(iri)
        if not fields:
            return None
        for p in predicates:
            for value in fields.get(p, ()):
                return value.value
        return None

    def label(self, iri: str) -> str | None:
        return self.names.get(iri) or self.first(iri, display.predicates("label"))


class ViewBuilder:
    def __init__(self, locations: Locations, facts: Facts, *, site_url: str | None = None):
        self.locations = locations
        self.facts = facts
        self.site_url = site_url
        self._links: dict[str, Link] = {}

    def link(self, iri: str) -> Link:
        """The link to ``iri``'s page, made once per page (a predicate is linked from every edge)."""
        made = self._links.get(iri)
        if made is None:
            made = self._links[iri] = Link(iri, self.locations.href(iri), self.facts.label(iri) or display.curie(iri))
        return made

    def literal(self, term: ox.Literal) -> Value:
        return Value(term.value, datatype=display.datatype_label(term), language=term.language)

    def value(self, term: ox.Term, blanks: dict[ox.BlankNode, list[ox.Triple]], depth: int = 0) -> Value:
        if isinstance(term, ox.Literal):
            return self.literal(term)
        if isinstance(term, ox.BlankNode):
            parts = tuple((self.link(t.predicate.value), self.value(t.object, blanks, depth + 1))
                          for t in sorted(blanks.get(term, ()), key=_order) if depth < 3)
            return Value("", parts=parts)
        link = self.link(term.value)
        return Value(link.label, link=link)

    def note(self, iri: str) -> NoteRef:
        permalink = self.facts.first(iri, [display.predicates("permalink")[0]])
        page = None
        if self.site_url and permalink:
            page = self.site_url.rstrip("/") + "/" + permalink.lstrip("/")
        return NoteRef(self.link(iri), self.facts.first(iri, display.predicates("source-path")), permalink, page)

    def build(self, iri: str, triples: list[ox.Triple]) -> ResourceView:
        this = ox.NamedNode(iri)
        blanks: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
        for t in triples:
            if isinstance(t.subject, ox.BlankNode):
                blanks[t.subject].append(t)
            elif display.role(t.predicate.value) in _FACTS:
                self.facts.add(t.subject.value, t.predicate.value, t.object)
        axioms = _axioms(blanks)
        own = sorted((t for t in triples if t.subject == this), key=_order)
        labels = [t.object.value for t in own if display.role(t.predicate.value) == "label"]
        view = ResourceView(iri, labels[0] if labels else display.curie(iri), [], [], [], [], [], [], [])
        props: dict[str, list[Value]] = defaultdict(list)
        notes: dict[str, None] = {}
        for t in own:
            p, o = t.predicate.value, t.object
            kind = display.role(p)
            if kind == "type" and isinstance(o, ox.NamedNode):
                view.types.append(self.link(o.value))
            elif kind == "definition" and isinstance(o, ox.Literal):
                if o.value not in view.definitions:
                    view.definitions.append(o.value)
            elif kind == "identifier" and isinstance(o, ox.NamedNode):
                view.identifiers.append(Link(o.value, o.value, display.curie(o.value), external=True))
            elif kind == "curie" and isinstance(o, ox.Literal):
                view.identifiers.append(Link(o.value, _BIOREGISTRY + o.value, o.value, external=True))
            elif kind == "provenance" and isinstance(o, ox.NamedNode):
                notes[o.value] = None
            elif isinstance(o, ox.NamedNode):
                view.outgoing.append(self.edge(t, o.value, axioms.get((this, t.predicate, o), [])))
            elif kind != "label" or o.value != view.label:
                props[p].append(self.value(o, blanks))
        view.properties = [(self.link(p), values) for p, values in sorted(props.items(), key=lambda x: self.link(x[0]).label)]
        incoming = [t for t in triples if t.object == this and t.subject != this and isinstance(t.subject, ox.NamedNode)
                    and display.role(t.predicate.value) != "provenance"]
        view.incoming = [self.edge(t, t.subject.value, axioms.get((t.subject, t.predicate, this), []))
                         for t in incoming]
        for edges in (view.outgoing, view.incoming):
            edges.sort(key=lambda e: (e.predicate.label.casefold(), e.other.label.casefold(), e.other.iri))
        view.more_outgoing, view.outgoing = len(view.outgoing) > EDGE_LIMIT, view.outgoing[:EDGE_LIMIT]
        view.more_incoming, view.incoming = len(view.incoming) > EDGE_LIMIT, view.incoming[:EDGE_LIMIT]
        view.notes = [self.note(n) for n in notes]
        return view

    def edge(self, triple: ox.Triple, other: str, annotations: list[list[ox.Triple]]) -> Edge:
        edge = Edge(self.link(triple.predicate.value), self.link(other))
        for axiom in annotations:
            for t in axiom:
                kind = display.role(t.predicate.value)
                if kind == "note-text":
                    edge.comments.append(t.object.value)
                elif kind == "evidence" and isinstance(t.object, ox.NamedNode):
                    edge.evidence.append(self.link(t.object.value))
                elif kind == "source-line":
                    edge.lines.append(int(t.object.value))
                elif kind == "provenance" and isinstance(t.object, ox.NamedNode):
                    edge.notes.append(self.link(t.object.value))
                elif t.predicate.value.endswith("/relationKey"):
                    edge.key = t.object.value
        return edge


def edge_rows(edges: Sequence[Edge], incoming: bool) -> Markup:
    """The rows of an edges table (the ``edges`` macro of the templates), one call per table."""
    return Markup("".join([e.row(incoming) for e in edges]))


def _order(t: ox.Triple) -> tuple[str, str]:
    return t.predicate.value, str(t.object)


def _axioms(blanks: dict[ox.BlankNode, list[ox.Triple]]) -> dict[tuple, list[list[ox.Triple]]]:
    """(source, property, target) -> the annotation triples of each axiom about that edge."""
    out: dict[tuple, list[list[ox.Triple]]] = defaultdict(list)
    for triples in blanks.values():
        parts = {t.predicate: t.object for t in triples if t.predicate in (_SOURCE, _PROPERTY, _TARGET)}
        if len(parts) == 3:
            out[(parts[_SOURCE], parts[_PROPERTY], parts[_TARGET])].append(triples)
    return out
