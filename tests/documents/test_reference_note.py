"""Reference notes: the real seed and the edge cases of issue 3."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from kgpub.diagnostics import DiagnosticLog
from kgpub.emit.publications import publication_iri, publication_quads
from kgpub.iris import IriMinter
from kgpub.sources.reference_note import is_reference_note, read_reference_note

from .conftest import BASE, context, note_from, note_from_text, store_of

KGO = "https://w3id.org/kgpub/ontology/"


def test_seed_reference_note_fields(reference_seed):
    note = note_from(reference_seed)
    assert is_reference_note(note)
    log = DiagnosticLog()
    pub = read_reference_note(note, log)
    assert not log.errors
    assert pub.pmid == "11154276"
    assert pub.doi == "10.1128/MCB.21.3.893-901.2001"
    assert pub.authors == ["Kim AH", "Khursigara G", "Sun X", "Franke TF", "Chao MV"]
    assert pub.journal == "Mol Cell Biol"
    assert pub.year == "2001"
    assert pub.title == "Akt phosphorylates and negatively regulates apoptosis signal-regulating kinase 1."
    assert (pub.volume, pub.issue, pub.pages) == ("21", "3", "893-901")
    assert pub.pmcid == "PMC86680"
    assert pub.abstract.startswith("The Akt family of serine/threonine-directed kinases")
    assert pub.abstract.endswith("family of stress-activated kinases.")
    assert "Author information" not in pub.abstract and "PMID" not in pub.abstract


def test_seed_reference_note_quads(reference_seed):
    note = note_from(reference_seed)
    ctx = context(note)
    pub = read_reference_note(note, ctx.log)
    store = store_of(publication_quads(pub, ctx))
    subject = NamedNode(BASE + "publication/pubmed/11154276")
    assert publication_iri(pub, IriMinter(BASE)) == subject
    rows = store.query(
        f"""PREFIX kgo: <{KGO}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?m WHERE {{ GRAPH ?g {{ <{subject.value}> skos:exactMatch ?m }} }} ORDER BY ?m"""
    )
    assert [r["m"].value for r in rows] == [
        "http://europepmc.org/articles/PMC86680",
        "https://doi.org/10.1128/MCB.21.3.893-901.2001",
        "https://pubmed.ncbi.nlm.nih.gov/11154276",
    ]
    authors = store.query(
        f"""PREFIX kgo: <{KGO}>
        SELECT ?rank ?name WHERE {{ GRAPH ?g {{ <{subject.value}> kgo:hasAuthorship ?a .
          ?a kgo:authorRank ?rank ; kgo:authorName ?name }} }} ORDER BY ?rank"""
    )
    assert [(int(r["rank"].value), r["name"].value) for r in authors] == [
        (1, "Kim AH"), (2, "Khursigara G"), (3, "Sun X"), (4, "Franke TF"), (5, "Chao MV"),
    ]
    one = lambda p: [r["o"] for r in store.query(f"SELECT ?o WHERE {{ GRAPH ?g {{ <{subject.value}> <{p}> ?o }} }}")]
    assert one(KGO + "journal") == [Literal("Mol Cell Biol")]
    assert one(KGO + "year") == [Literal("2001", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))]
    types = {t.value for t in one("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")}
    assert types == {KGO + "Publication", "http://purl.org/spar/fabio/JournalArticle"}
    assert one("http://www.w3.org/ns/prov#wasDerivedFrom") == [ctx.note_iri]


def _ref(tmp_path, front: str, body: str = "Body.\n"):
    return note_from_text(tmp_path, "ref.md", f"---\n{front}---\n{body}")


def test_only_pmid(tmp_path):
    note = _ref(tmp_path, 'reference_id: "PMID:123"\ntitle: A paper\nyear: 1999\n')
    pub = read_reference_note(note, DiagnosticLog())
    assert (pub.pmid, pub.doi, pub.year) == ("123", None, "1999")
    assert publication_iri(pub, IriMinter(BASE)).value == BASE + "publication/pubmed/123"


def test_only_doi_gives_doi_iri(tmp_path):
    note = _ref(tmp_path, "doi: https://doi.org/10.1000/XYZ.42\ntitle: Only a DOI\n")
    assert is_reference_note(note)
    pub = read_reference_note(note, DiagnosticLog())
    assert (pub.pmid, pub.doi, pub.year) == (None, "10.1000/XYZ.42", None)
    assert publication_iri(pub, IriMinter(BASE)).value == BASE + "publication/doi/10.1000%2Fxyz.42"


def test_authors_as_string_and_missing_year(tmp_path):
    note = _ref(tmp_path, 'reference_id: "PMID:5"\ntitle: T\nauthors: "Kim AH, Chao MV, Sun X"\n')
    pub = read_reference_note(note, DiagnosticLog())
    assert pub.authors == ["Kim AH", "Chao MV", "Sun X"]
    assert pub.year is None


def test_html_entities_in_abstract(tmp_path):
    body = "# T\n\n## Content\n\nInsulin &amp; IGF-1 act via PI3K &rarr; Akt (&alpha; isoform) &lt;5%.\n"
    note = _ref(tmp_path, 'reference_id: "PMID:5"\ntitle: T\n', body)
    pub = read_reference_note(note, DiagnosticLog())
    assert pub.abstract == "Insulin & IGF-1 act via PI3K → Akt (α isoform) <5%."


def test_malformed_pmid_is_reported_and_other_fields_kept(tmp_path):
    front = 'title: Kept title\nreference_id: "PMID:12ab34"\njournal: Cell\nyear: 2017\ndoi: 10.1016/j.cell.2017.04.001\n'
    note = _ref(tmp_path, front)
    log = DiagnosticLog()
    pub = read_reference_note(note, log)
    assert [str(d) for d in log.errors] == [
        "ref.md:3: error: malformed pubmed identifier: 'pubmed:12ab34': local id '12ab34' does not match the pubmed pattern ^\\d+$"
    ]
    assert (pub.pmid, pub.title, pub.journal, pub.year, pub.doi) == (None, "Kept title", "Cell", "2017", "10.1016/j.cell.2017.04.001")
    assert publication_iri(pub, IriMinter(BASE)).value.startswith(BASE + "publication/doi/")


def test_supports_claims(tmp_path):
    front = 'reference_id: "PMID:7"\ntitle: T\nsupports:\n- {subject: PTEN, predicate: INHIBITS, object: AKT1}\n- {subject: X}\n'
    note = _ref(tmp_path, front)
    log = DiagnosticLog()
    pub = read_reference_note(note, log)
    assert [(c.subject, c.predicate, c.object, c.location.line) for c in pub.supports] == [("PTEN", "INHIBITS", "AKT1", 4)]
    assert [d.line for d in log.errors] == [4]


def test_entity_note_is_not_a_reference(entity_seed, article_seed):
    assert not is_reference_note(note_from(entity_seed))
    assert not is_reference_note(note_from(article_seed))
