"""The grounder: a name and the class it must have -> :class:`Result` (typed groundings).

Order of evidence, first that yields anything wins:

1. curated rows (SSSOM lexicons: the bundled ``mappings/entities.sssom.tsv`` and the garden's), by
   plain then loose key, whose category is compatible with the class: used as written;
2. lexicon labels/symbols by plain key, then synonyms by plain key, then labels by loose key, then
   synonyms by loose key (:mod:`kgpub.grounding.normalise`).

Only entries with an identifier of a scheme the class accepts (``mappings/primary_schemes.tsv``)
count.  One entity matched: its identifiers of the accepted schemes are ``skos:exactMatch``, the
primary scheme first.  Several entities (an alias two genes share, a name that is a gene and a
hormone for an untyped link): ambiguous, every candidate ``skos:relatedMatch``, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from pyoxigraph import NamedNode

from ..identifiers import Identifiers
from ..mapping.terms import OntologyTerms
from .index import IndexedEntry, LexiconIndex
from .model import SEMAPV, SKOS_EXACT, SKOS_RELATED, Grounding, LexiconEntry, Result
from .normalise import loose_key, plain_key
from .schemes import Schemes

_CONFIDENCE = (1.0, 0.9, 0.85, 0.75)  # per tier of :mod:`kgpub.grounding.index`


@dataclass
class Grounder:
    schemes: Schemes
    ids: Identifiers
    terms: OntologyTerms
    indexes: list[LexiconIndex] = field(default_factory=list)
    _iris: dict[str, str] = field(default_factory=dict)  # CURIE -> IRI, expanded once
    _results: dict[tuple[str, str], Result] = field(default_factory=dict)  # (name, class) -> its result: a garden repeats its names

    @property
    def size(self) -> int:
        """Entries in all lexicons."""
        return sum(len(index) for index in self.indexes)

    def add(self, entries: Iterable[LexiconEntry]) -> None:
        self.add_index(LexiconIndex.build(entries))

    def add_index(self, index: LexiconIndex) -> None:
        self.indexes.append(index)
        self._results.clear()

    def ground(self, text: str, cls: str) -> Result:
        """The groundings of ``text`` for class ``cls`` (computed once per name and class; a :class:`Result` is immutable)."""
        key = (text, cls)
        result = self._results.get(key)
        if result is None:
            result = self._results[key] = self._ground(text, cls)
        return result

    def _ground(self, text: str, cls: str) -> Result:
        plain, loose = plain_key(text), loose_key(text)  # each key computed once
        curated = self._ground_curated(text, cls, (plain, loose))
        if curated is not None:
            return curated
        for tier, key in enumerate((plain, plain, loose, loose)):
            by_entity: dict[str, list[Grounding]] = {}
            members: dict[str, set[str]] = {}  # entity -> every identifier of the entries that matched it
            for index in self.indexes:
                for entry, matched in index.hits(tier, key):
                    found = self._groundings(text, entry, matched, cls, tier)
                    if not found:
                        continue
                    # entries sharing an identifier are one entity (a DrugBank drug and its ChEBI id; HGNC and PrimeKG genes)
                    entity = next((k for k, known in members.items() if known.intersection(entry.ids)), found[0].curie)
                    group = by_entity.setdefault(entity, [])
                    group += [g for g in found if g not in group]
                    members.setdefault(entity, set()).update(entry.ids)
            if not by_entity:
                continue
            # a hit in the queried class's own primary scheme outranks one in a related class's, which outranks the rest
            for primary_of in (lambda g: cls, lambda g: g.cls):
                primary = {k: v for k, v in by_entity.items() if any(self.schemes.is_primary(g.curie, primary_of(g)) for g in v)}
                if primary:
                    by_entity = primary
                    break
            if len(by_entity) == 1:
                (groundings,) = by_entity.values()
                ordered = sorted(_dedupe(groundings), key=lambda g: not self.schemes.is_primary(g.curie, cls))  # stable
                return Result(text, cls, tuple(ordered))
            candidates = [_related(g[0]) for g in by_entity.values()]
            return Result(text, cls, tuple(sorted(candidates, key=lambda g: g.curie)), ambiguous=True)
        return Result(text, cls, ())

    def _groundings(self, text: str, entry: IndexedEntry, matched: str, cls: str, tier: int) -> list[Grounding]:
        """The entry's identifiers of one accepted class (the first that fits), primary scheme first."""
        chosen = None
        out: list[tuple[bool, int, Grounding]] = []
        for position, curie in enumerate(entry.ids):
            scheme = self.schemes.classify(curie, entry.namespace, cls, chosen)
            if scheme is None:
                continue
            if chosen is None:
                chosen = scheme.cls
            if scheme.cls != chosen:
                continue
            g = Grounding(text, curie, self._iri(curie), entry.label, SKOS_EXACT, SEMAPV + "LexicalMatching",
                          _CONFIDENCE[tier], matched, entry.source, scheme.cls)
            out.append((not scheme.primary, position, g))
        return [g for _, _, g in sorted(out, key=lambda t: (t[0], t[1]))]

    def label_of(self, curie: str) -> str | None:
        """The label of the first lexicon entry that has ``curie`` among its identifiers."""
        return next((label for index in self.indexes if (label := index.label_of(curie)) is not None), None)

    def _iri(self, curie: str) -> str:
        iri = self._iris.get(curie)
        if iri is None:
            iri = self._iris[curie] = self.ids.expand(curie)
        return iri

    def _ground_curated(self, text: str, cls: str, keys: tuple[str, str]) -> Result | None:
        curated = [index for index in self.indexes if index.curated]
        if not curated:
            return None
        for key in keys:
            rows = [r for index in curated for r in index.curated_hits(key)]
            rows = [r for r in rows if r.category is None or cls == r.category or self.terms.compatible(NamedNode(r.category), NamedNode(cls))]
            if rows:
                groundings = [Grounding(text, r.ids[0], self._iri(r.ids[0]), r.label, r.predicate or SKOS_RELATED,
                                        r.justification or SEMAPV + "ManualMappingCuration", r.confidence if r.confidence is not None else 1.0,
                                        r.match, r.source, r.category or cls) for r in rows]
                return Result(text, cls, tuple(_dedupe(groundings)))
        return None


def _related(g: Grounding) -> Grounding:
    return Grounding(g.text, g.curie, g.iri, g.label, SKOS_RELATED, g.justification, round(g.confidence / 2, 3), g.match_string, g.lexicon, g.cls)


def _dedupe(groundings: list[Grounding]) -> list[Grounding]:
    seen: set[tuple[str, str]] = set()
    out = []
    for g in groundings:
        if (g.predicate, g.curie) not in seen:
            seen.add((g.predicate, g.curie))
            out.append(g)
    return out
