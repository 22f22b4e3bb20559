"""Writes a DIST in the layout of docs/design.md (kg.nq + manifest.json) with realistic content.

Used by the store tests until (and besides) real `kgpub build` output, and by the benchmarks.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from kgpub.iris import IriMinter
from kgpub.publish.manifest import GraphDigest, GraphEntry, Manifest
from kgpub.vocab import DCTERMS, FOAF, KGO, OWL, PAV, PROV, RDF, RDFS, SKOS, VOID, XSD

GENES = [("akt1", "AKT1", "207"), ("pten", "PTEN", "5728"), ("mtor", "MTOR", "2475"),
         ("gsk3b", "GSK3B", "2932"), ("foxo1", "FOXO1", "2308"), ("foxo3", "FOXO3", "2309"),
         ("bad", "BAD", "572"), ("nos3", "NOS3", "4846"), ("ins", "INS", "3630"), ("igf1", "IGF1", "3479")]
RELATIONS = [KGO.inhibits, KGO.activates, KGO.participatesIn]


def note_quads(minter: IriMinter, slug: str, label: str, ncbi: str, *, others: list[str], edition: int = 0):
    permalink = f"/garden/dev_admin/gene/{slug}/"
    g = minter.note(permalink)
    entity = minter.entity(permalink)
    q = lambda s, p, o: Quad(s, p, o, g)  # noqa: E731
    yield q(g, RDF.type, KGO.Note)
    yield q(g, KGO.sourcePath, Literal(f"gene/{slug}.md"))
    yield q(g, KGO.permalink, Literal(permalink))
    yield q(g, FOAF.primaryTopic, entity)
    yield q(entity, RDF.type, KGO.Gene)
    yield q(entity, RDFS.label, Literal(label))
    yield q(entity, SKOS.altLabel, Literal(f"{label} gene (edition {edition})", language="en"))
    yield q(entity, SKOS.exactMatch, NamedNode(f"https://www.ncbi.nlm.nih.gov/gene/{ncbi}"))
    yield q(entity, DCTERMS.identifier, Literal(f"NCBIGene:{ncbi}"))
    yield q(entity, PROV.wasDerivedFrom, g)
    for i, other in enumerate(others):
        target = minter.entity(f"/garden/dev_admin/gene/{other}/")
        prop = RELATIONS[i % len(RELATIONS)]
        yield q(entity, prop, target)
        axiom = BlankNode("e" + hashlib.sha256(f"{g}{entity}{prop}{target}".encode()).hexdigest()[:20])
        yield q(axiom, RDF.type, OWL.Axiom)
        yield q(axiom, OWL.annotatedSource, entity)
        yield q(axiom, OWL.annotatedProperty, prop)
        yield q(axiom, OWL.annotatedTarget, target)
        yield q(axiom, RDFS.comment, Literal(f"{label} acts on {other} \"quoted\" ; with <markup> & unicode \u00e9"))
        yield q(axiom, KGO.relationKey, Literal("INHIBITED_BY" if i % 2 else "ACTIVATES"))
        yield q(axiom, PROV.wasDerivedFrom, g)
        yield q(axiom, KGO.sourceLine, Literal(str(40 + i), datatype=XSD.integer))


def write_dist(out: Path, *, base: str = "https://example.org/kg/", notes: int = 8, edition: int = 0,
               changed: tuple[str, ...] = (), extra_ntriples: int = 0, edges: bool = True) -> Manifest:
    """Write ``out/kg.nq`` and ``out/manifest.json``: ``notes`` note graphs (the first of GENES),
    an ontology graph, a metadata graph; notes named in ``changed`` get ``edition + 1`` content.
    ``extra_ntriples`` > 0 adds a bulk graph as a gzip N-Triples file (like PrimeKG shards);
    ``edges=False`` leaves out the edges and their axioms (no blank node anywhere)."""
    out.mkdir(parents=True, exist_ok=True)
    minter = IriMinter(base)
    quads: list[Quad] = []
    genes = GENES[:notes]
    slugs = [s for s, _, _ in genes]
    for idx, (slug, label, ncbi) in enumerate(genes):
        others = [slugs[(idx + k) % len(slugs)] for k in (1, 2)] if len(slugs) > 2 and edges else []
        quads.extend(note_quads(minter, slug, label, ncbi, others=others,
                                edition=edition + (1 if slug in changed else 0)))
    onto = minter.graph("ontology")
    for cls in ("Gene", "Protein", "Pathway", "Note"):
        quads.append(Quad(KGO[cls], RDF.type, OWL.Class, onto))
        quads.append(Quad(KGO[cls], RDFS.label, Literal(cls.lower(), language="en"), onto))
    for prop in RELATIONS:
        quads.append(Quad(prop, RDF.type, OWL.ObjectProperty, onto))
    meta = minter.graph("metadata")
    dataset = minter.dataset()
    quads += [Quad(dataset, RDF.type, VOID.Dataset, meta),
              Quad(dataset, DCTERMS["title"], Literal("kgpub test garden"), meta),
              Quad(dataset, PAV.createdWith, Literal("kgpub 0.1.0"), meta),
              Quad(dataset, VOID.triples, Literal(str(len(quads)), datatype=XSD.integer), meta)]
    quads = sorted(set(quads), key=str)
    (out / "kg.nq").write_bytes(serialize(quads, format=RdfFormat.N_QUADS))
    digests: dict[str, GraphDigest] = {}
    roles: dict[str, str] = {}
    for quad in quads:
        digests.setdefault(quad.graph_name.value, GraphDigest()).add(quad)
    for iri in digests:
        roles[iri] = "ontology" if iri == onto.value else "metadata" if iri == meta.value else "note"
    entries = [GraphEntry(iri, d.count, d.hexdigest(), ["kg.nq"], role=roles[iri]) for iri, d in digests.items()]
    if extra_ntriples:
        entries.append(write_bulk_graph(out, minter.graph("primekg").value, extra_ntriples))
    manifest = Manifest(base, "0.1.0", entries)
    manifest.write(out)
    return manifest


def write_bulk_graph(out: Path, graph: str, n: int, name: str = "primekg.nt.gz") -> GraphEntry:
    """A PrimeKG-like graph of ``n`` triples, gzip N-Triples, streamed."""
    d = GraphDigest()
    rels = ["protein_protein", "drug_protein", "disease_phenotype_positive", "indication"]
    with gzip.open(out / name, "wt", encoding="utf-8", compresslevel=1) as f:
        i = 0
        while d.count < n:
            s = f"<https://www.ncbi.nlm.nih.gov/gene/{i % 20000}>"
            if i % 3 == 0:
                line = f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "gene {i % 20000} node {i}" .'
            else:
                line = (f"{s} <https://w3id.org/kgpub/ontology/primekg/{rels[i % 4]}> "
                        f"<http://purl.obolibrary.org/obo/MONDO_{i:07d}> .")
            f.write(line + "\n")
            d.add_line(line)
            i += 1
    return GraphEntry(graph, d.count, d.hexdigest(), [name], format="application/n-triples", role="primekg")
