"""Every IRI that is the subject or object of a data triple of a build has an ``rdfs:label`` in that build
(from the note, the lexicon, or the link label): the example gardens and the seeds.

Data triples: those of the note graphs (not the ontology and metadata graphs).  Terms of the W3C
vocabularies (RDF, RDFS, OWL, XSD: ``owl:Axiom`` of the edge annotations) are the language of the
graph, not its data, and are not counted.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from buildkit import OPEN
from kgpub.build import build_garden

ROOT = Path(__file__).resolve().parents[2]
RDFS_LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
W3C = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#",
       "http://www.w3.org/2001/XMLSchema#")


def unlabelled(dist: Path) -> dict[str, tuple[str, str]]:
    """IRIs of data triples without a label in the build -> one triple they appear in."""
    roles = {g["iri"]: g["role"] for g in json.loads((dist / "manifest.json").read_text(encoding="utf-8"))["graphs"]}
    store = pyoxigraph.Store()
    store.load(path=str(dist / "kg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    labelled = {q.subject.value for q in store.quads_for_pattern(None, RDFS_LABEL, None)}
    missing: dict[str, tuple[str, str]] = {}
    data = 0
    for quad in store:
        if roles.get(quad.graph_name.value if isinstance(quad.graph_name, pyoxigraph.NamedNode) else "") in ("ontology", "metadata"):
            continue
        data += 1
        for term in (quad.subject, quad.object):
            if isinstance(term, pyoxigraph.NamedNode) and term.value not in labelled and not term.value.startswith(W3C):
                missing.setdefault(term.value, (quad.subject.value, quad.predicate.value))
    assert data > 100  # the build has data to check
    return missing


@pytest.mark.parametrize("garden", ["garden", "primekg-garden"])
def test_examples(tmp_path: Path, garden: str) -> None:
    build_garden(ROOT / "examples" / garden, tmp_path / "dist")
    assert unlabelled(tmp_path / "dist") == {}


def test_seeds(tmp_path: Path, entity_seed: Path, reference_seed: Path, article_seed: Path) -> None:
    garden = tmp_path / "garden"
    garden.mkdir()
    for seed in (entity_seed, reference_seed, article_seed):
        shutil.copy(seed, garden / seed.name)
    build_garden(garden, tmp_path / "dist", config=OPEN)
    assert unlabelled(tmp_path / "dist") == {}


def test_the_check_can_fail(tmp_path: Path) -> None:
    """A build whose identifier IRI lost its label is caught."""
    dist = tmp_path / "dist"
    build_garden(ROOT / "examples" / "garden", dist)
    nq = dist / "kg.nq"
    lines = [l for l in nq.read_text(encoding="utf-8").splitlines(keepends=True)
             if not l.startswith("<https://www.ncbi.nlm.nih.gov/gene/207> <http://www.w3.org/2000/01/rdf-schema#label>")]
    nq.write_text("".join(lines), encoding="utf-8")
    assert set(unlabelled(dist)) == {"https://www.ncbi.nlm.nih.gov/gene/207"}
