"""What the build needs to know about ontology terms: class hierarchy, domains and ranges.

Read from ``ontology/*.ttl`` so that the type of an unresolved link target
follows the relation's declared range (or domain, for inverse keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pyoxigraph
from pyoxigraph import NamedNode

from ..ontology import load_ontology_triples
from ..vocab import KGO, RDFS


@dataclass
class OntologyTerms:
    """Named superclasses, domains and ranges of the ontology's terms."""

    parents: dict[NamedNode, set[NamedNode]] = field(default_factory=dict)
    domains: dict[NamedNode, NamedNode] = field(default_factory=dict)
    ranges: dict[NamedNode, NamedNode] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None, extra: Sequence[Path] = ()) -> "OntologyTerms":
        """The terms of the bundled ontology (or ``folder``) and of ``extra`` files (a garden's
        ``[extend] ontology``), so a garden's own classes and properties type link targets too."""
        terms = cls()
        for triple in load_ontology_triples(Path(folder) if folder else None, extra):
            terms._add(triple)
        return terms

    def _add(self, t: pyoxigraph.Triple) -> None:
        if not isinstance(t.subject, NamedNode) or not isinstance(t.object, NamedNode):
            return
        if t.predicate == RDFS.subClassOf:
            self.parents.setdefault(t.subject, set()).add(t.object)
        elif t.predicate == RDFS.domain:
            self.domains[t.subject] = t.object
        elif t.predicate == RDFS.range:
            self.ranges[t.subject] = t.object

    def ancestors(self, cls: NamedNode) -> set[NamedNode]:
        """``cls`` and all its named superclasses."""
        seen = {cls}
        todo = [cls]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def compatible(self, a: NamedNode, b: NamedNode) -> bool:
        """True when one class is the other or a subclass of it."""
        return a in self.ancestors(b) or b in self.ancestors(a)

    def target_class(self, prop: NamedNode, *, inverse: bool) -> NamedNode:
        """The class a link target of ``prop`` has: its range, or its domain for an inverse key."""
        declared = (self.domains if inverse else self.ranges).get(prop)
        return declared if declared is not None and declared.value.startswith(KGO) else KGO.Entity
