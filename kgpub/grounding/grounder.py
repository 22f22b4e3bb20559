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

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from pyoxigraph import NamedNode

from ..identifiers import Identifiers
from ..mapping.terms import OntologyTerms
from .model import SEMAPV, SKOS_EXACT, SKOS_RELATED, Grounding, LexiconEntry, Result
from .normalise import loose_key, plain_key
from .schemes import Schemes

_TIERS = (("label", plain_key), ("synonym", plain_key), ("label", loose_key), ("synonym", loose_key))  # the order of _index
_CONFIDENCE = (1.0, 0.9, 0.85, 0.75)


@dataclass
class Grounder:
    schemes: Schemes
    ids: Identifiers
    terms: OntologyTerms
    entries: list[LexiconEntry] = field(default_factory=list)
    _index: tuple[dict[str, list[tuple[int, str]]], ...] = field(default_factory=lambda: tuple({} for _ in _TIERS))
    _curated: dict[str, list[int]] = field(default_factory=dict)
    _answers: dict[tuple[str, str], Result] = field(default_factory=dict)  # ground() is a function of the entries

    def add(self, entries: Iterable[LexiconEntry]) -> None:
        self._answers.clear()
        for entry in entries:
            i = len(self.entries)
            self.entries.append(entry)
            if entry.predicate is not None:  # curated
                for name in entry.names:
                    for key in {plain_key(name.text), loose_key(name.text)}:
                        self._curated.setdefault(key, []).append(i)
                continue
            for name in entry.names:
                plain, loose = plain_key(name.text), loose_key(name.text)  # each key computed once
                base = 0 if name.kind == "label" else 1
                self._index[base].setdefault(plain, []).append((i, name.text))
                self._index[base + 2].setdefault(loose, []).append((i, name.text))

    def ground(self, text: str, cls: str) -> Result:
        """The groundings of ``text`` for ``cls`` (computed once per name and class: a build asks again for every link)."""
        answer = self._answers.get((text, cls))
        if answer is None:
            answer = self._answers[(text, cls)] = self._ground(text, cls)
        return answer

    def _ground(self, text: str, cls: str) -> Result:
        curated = self._ground_curated(text, cls)
        if curated is not None:
            return curated
        accepted = self.schemes.accepted(cls)
        for tier, (_, key_of) in enumerate(_TIERS):
            hits = self._index[tier].get(key_of(text), ())
            by_entity: dict[str, list[Grounding]] = defaultdict(list)
            for i, matched in hits:
                entry = self.entries[i]
                found = self._groundings(text, entry, matched, accepted, tier)
                if found:
                    by_entity[found[0].curie] += [g for g in found if g not in by_entity[found[0].curie]]
            if not by_entity:
                continue
            primary = {k: v for k, v in by_entity.items() if self.schemes.is_primary(v[0].curie, v[0].cls)}
            if primary:  # a hit in the class's own scheme outranks hits in its alternative schemes
                by_entity = primary
            if len(by_entity) == 1:
                (groundings,) = by_entity.values()
                return Result(text, cls, tuple(_dedupe(groundings)))
            candidates = [_related(g[0]) for g in by_entity.values()]
            return Result(text, cls, tuple(sorted(candidates, key=lambda g: g.curie)), ambiguous=True)
        return Result(text, cls, ())

    def _groundings(self, text: str, entry: LexiconEntry, matched: str, accepted, tier: int) -> list[Grounding]:
        """The entry's identifiers of one accepted class (the first that fits), primary scheme first."""
        chosen = None
        out: list[tuple[bool, int, Grounding]] = []
        for position, curie in enumerate(entry.ids):
            scheme = self.schemes.classify(curie, entry.namespace, accepted)
            if scheme is None:
                continue
            if chosen is None:
                chosen = scheme.cls
            if scheme.cls != chosen:
                continue
            g = Grounding(text, curie, self.ids.expand(curie), entry.label, SKOS_EXACT, SEMAPV + "LexicalMatching",
                          _CONFIDENCE[tier], matched, entry.source, scheme.cls)
            out.append((not scheme.primary, position, g))
        return [g for _, _, g in sorted(out, key=lambda t: (t[0], t[1]))]

    def _ground_curated(self, text: str, cls: str) -> Result | None:
        for key in (plain_key(text), loose_key(text)):
            rows = [self.entries[i] for i in self._curated.get(key, ())]
            rows = [r for r in rows if r.category is None or cls == r.category or self.terms.compatible(NamedNode(r.category), NamedNode(cls))]
            if rows:
                groundings = [Grounding(text, r.ids[0], self.ids.expand(r.ids[0]), r.label, r.predicate or SKOS_RELATED,
                                        r.justification or SEMAPV + "ManualMappingCuration", r.confidence if r.confidence is not None else 1.0,
                                        r.names[0].text, r.source, r.category or cls) for r in rows]
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
