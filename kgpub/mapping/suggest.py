"""Suggested classes and properties for a garden's unmapped note types and relation keys.

Candidates are the kgpub ontology's classes and object properties (their ``rdfs:label``)
and the Biolink model's classes and predicates (the schema YAML bundled with the PyPI
package ``biolink-model``, read offline; a predicate's RO/SO mappings are shown with it).
They are ranked by label similarity (:func:`rapidfuzz.fuzz.token_sort_ratio` of the
normalised labels): ``INDICATED_FOR`` -> "indicated for".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml
from pyoxigraph import NamedNode
from rapidfuzz import fuzz, process

from ..ontology import load_ontology_triples
from ..vocab import BIOLINK, KGO, OWL, RDF, RDFS

#: Mappings of a Biolink predicate shown with a suggestion (RO and SO terms).
ALIGNED_PREFIXES = ("RO:", "SO:")


@dataclass(frozen=True)
class Candidate:
    curie: str  # kgo:Drug, biolink:treats
    label: str
    source: str  # "kgpub ontology" or "Biolink model 4.x"
    mappings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: float  # 0-100


def words(name: str) -> str:
    """``INDICATED_FOR`` / ``effect/phenotype`` / ``SmallMolecule`` -> ``indicated for`` / ``effect phenotype`` / ``small molecule``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return " ".join(re.split(r"[^A-Za-z0-9]+", name)).strip().lower()


def suggest(name: str, candidates: list[Candidate], limit: int = 3) -> list[Suggestion]:
    """The ``limit`` candidates whose label is most like ``name``, best first (ties: kgpub first, then CURIE)."""
    labels = [words(c.label) for c in candidates]
    hits = process.extract(words(name), labels, scorer=fuzz.token_sort_ratio, limit=limit * 4)
    ranked = sorted(hits, key=lambda h: (-h[1], candidates[h[2]].source != "kgpub ontology", candidates[h[2]].curie))
    return [Suggestion(candidates[i], round(score, 1)) for _, score, i in ranked[:limit]]


@cache
def class_candidates() -> list[Candidate]:
    return _kgo_terms(OWL.Class) + _biolink()[0]


@cache
def property_candidates() -> list[Candidate]:
    return _kgo_terms(OWL.ObjectProperty) + _biolink()[1]


def _kgo_terms(kind: NamedNode) -> list[Candidate]:
    triples = load_ontology_triples()
    typed = {t.subject for t in triples if t.predicate == RDF.type and t.object == kind and isinstance(t.subject, NamedNode)}
    labels: dict[str, str] = {}
    for t in triples:
        if t.predicate == RDFS.label and t.subject in typed and t.subject.value.startswith(str(KGO)):
            labels.setdefault(t.subject.value, t.object.value)
    return [Candidate("kgo:" + iri[len(str(KGO)):], label, "kgpub ontology") for iri, label in sorted(labels.items())]


@cache
def _biolink() -> tuple[list[Candidate], list[Candidate]]:
    schema = yaml.load((files("biolink_model") / "schema" / "biolink_model.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    source = f"Biolink model {schema.get('version', '')}".strip()
    classes = [
        Candidate("biolink:" + "".join(w[:1].upper() + w[1:] for w in name.split()), name, source)
        for name, spec in schema["classes"].items()
        if " " in name or name.islower()  # the schema also lists a few CamelCase aliases
    ]
    slots = schema["slots"]
    predicates = []
    for name, spec in slots.items():
        if not _is_predicate(name, slots):
            continue
        spec = spec or {}
        mappings = tuple(m for key in ("exact_mappings", "narrow_mappings", "broad_mappings") for m in spec.get(key) or () if m.startswith(ALIGNED_PREFIXES))
        predicates.append(Candidate("biolink:" + name.replace(" ", "_"), name, source, mappings))
    return classes, predicates


def _is_predicate(name: str, slots: dict) -> bool:
    """A Biolink slot under ``related to`` (the predicates)."""
    seen = set()
    while name and name not in seen:
        if name == "related to":
            return True
        seen.add(name)
        name = (slots.get(name) or {}).get("is_a")
    return False


def biolink_iri(curie: str) -> NamedNode:
    return BIOLINK[curie.split(":", 1)[1]]
