"""The seed article: detection, title, date, sections, table, reference lists, citations, mentions."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode

from kgpub.diagnostics import DiagnosticLog
from kgpub.emit.documents import article_quads
from kgpub.model.documents import PartialDate
from kgpub.sources.article import citation_numbers, looks_like_article, parse_date, read_article
from kgpub.sources.citations import parse_reference_entry
from kgpub.model.notes import Location

from .conftest import BASE, context, note_from, note_from_text, store_of

KGO = "https://w3id.org/kgpub/ontology/"
PREFIXES = f"PREFIX kgo: <{KGO}> PREFIX cito: <http://purl.org/spar/cito/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
WORK = BASE + "note/001_d495e92092856a28"


@pytest.fixture(scope="module")
def seed(article_seed):
    note = note_from(article_seed)
    ctx = context(note)
    article = read_article(note, ctx.log)
    return note, ctx, article, store_of(article_quads(article, ctx))


def select(store, query):
    return [tuple(t.value for t in row) for row in store.query(PREFIXES + query, use_default_graph_as_union=True)]


def test_detected_by_shape_and_front_matter_wins(seed, entity_seed, reference_seed, tmp_path):
    note = seed[0]
    assert looks_like_article(note)
    assert not looks_like_article(note_from(entity_seed))
    assert not looks_like_article(note_from(reference_seed))
    typed = note_from_text(tmp_path, "x.md", "---\ntype: gene\ntitle: X\n---\n" + note.body)
    assert not looks_like_article(typed)


def test_title_author_date_abstract(seed):
    _, _, article, store = seed
    assert article.title == "Akt1 versus Akt2: A Dichotomy in Cellular Metabolism and Glucose Uptake"
    assert article.authors == ["BenchChem Technical Support Team"]
    assert article.date == PartialDate(2026, 1)
    assert article.abstract.startswith("The serine/threonine kinase Akt, or Protein Kinase B (PKB)")
    assert select(store, "SELECT ?d WHERE { ?w <https://w3id.org/kgpub/ontology/issued> ?d }") == [("2026-01",)]
    row = list(store.query(PREFIXES + "SELECT ?d WHERE { ?w <https://w3id.org/kgpub/ontology/issued> ?d }", use_default_graph_as_union=True))[0]
    assert row["d"] == Literal("2026-01", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth"))
    assert ("http://schema.org/Article",) in select(store, f"SELECT ?t WHERE {{ <{WORK}> a ?t }}")


def test_sections_in_order(seed):
    _, _, article, store = seed
    headings = [s.heading for s in article.sections]
    assert headings[:3] == ["Abstract", "Introduction: The Akt Kinase Family - More Than Just Homologs", "Akt1: The Architect of Cellular Growth and Proliferation"]
    assert headings[-3:] == ["Conclusion", "References", "Sources"]
    assert "Contact" not in headings and "BenchChem" not in headings
    got = select(store, "SELECT ?pos ?h WHERE { ?w kgo:hasSection ?s . ?s kgo:position ?pos ; rdfs:label ?h } ORDER BY xsd:integer(?pos)".replace("xsd:integer", "<http://www.w3.org/2001/XMLSchema#integer>"))
    assert [h for _, h in got] == headings


def test_comparison_table(seed):
    _, _, article, store = seed
    table = article.tables[0]
    assert table.columns == ["Feature", "Akt1 (PKB α)", "Akt2 (PKB β)"]
    assert [r.feature for r in table.rows] == [
        "Primary Function", "Knockout Mouse Phenotype", "Predominant Tissues",
        "Key Metabolic Substrate", "Key Growth Substrate", "Role in Cancer",
    ]
    compared = select(store, "SELECT DISTINCT ?e WHERE { ?row a kgo:TableRow ; kgo:comparesEntity ?e }")
    assert sorted(compared) == [("https://www.ncbi.nlm.nih.gov/gene/207",), ("https://www.ncbi.nlm.nih.gov/gene/208",)]
    # the pipe row and its citations [\[1\]](#)[\[10\]](#) -> Sources 1 (Gonzalez & McGraw 2009)
    cancer = select(store, """SELECT ?v ?t WHERE { ?row kgo:feature "Role in Cancer" ; kgo:hasCell ?c .
        ?c kgo:column "Akt2 (PKB β)" ; kgo:value ?v ; cito:cites ?p . ?p kgo:title ?t }""")
    assert sorted(cancer) == [("Often promotes invasion and metastasis", "The Akt kinases: isoform specificity in metabolism and cancer"),
                              ("Often promotes invasion and metastasis", "aacrjournals.org")]


def test_reference_lists_deduplicated(seed):
    _, _, article, store = seed
    cited = select(store, f"SELECT DISTINCT ?p WHERE {{ <{WORK}> cito:cites ?p }}")
    assert len(cited) >= 40
    for title in ("Severe diabetes, age-dependent loss of adipose tissue, and mild growth deficiency in mice lacking Akt2/PKB β",
                  "The Akt kinases: isoform specificity in metabolism and cancer"):
        assert len(select(store, f'SELECT DISTINCT ?p WHERE {{ ?p a kgo:Publication ; kgo:title "{title}" }}')) == 1
    garofalo = select(store, """SELECT ?y ?n WHERE { ?p kgo:title ?t ; kgo:year ?y ; kgo:hasAuthorship ?a . ?a kgo:authorName ?n
        FILTER(STRSTARTS(?t, "Severe diabetes")) }""")
    assert garofalo == [("2003", "Garofalo, R. S.")]
    hosts = select(store, 'SELECT ?h WHERE { ?p kgo:title "Akt: A Potential Drug Target for Metabolic Syndrome" ; kgo:urlHost ?h }')
    assert hosts == [("frontiersin.org",)]


def test_citation_markers_attach_to_paragraphs(seed):
    _, _, article, store = seed
    intro = article.sections[1]
    assert intro.paragraphs[0].citations == [1, 2]
    assert intro.citations == [1, 2, 3, 4, 5, 6, 7]
    assert citation_numbers("x.[\\[10\\]](#)[\\[11\\]](#) y^{[3][7]} z[1][2]") == [10, 11, 3, 7, 1, 2]
    cites = select(store, """SELECT DISTINCT ?n WHERE { ?s rdfs:label "Introduction: The Akt Kinase Family - More Than Just Homologs" ;
        kgo:hasParagraph ?p . ?p kgo:citesEntry ?e . ?e kgo:citationNumber ?n }""")
    assert sorted(int(n) for (n,) in cites) == [1, 2, 3, 4, 5, 6, 7]


EXPECTED = {
    "https://www.ncbi.nlm.nih.gov/gene/207": "Akt1",        # AKT1 (first row of the table)
    "https://www.ncbi.nlm.nih.gov/gene/208": "Akt2",       # AKT2 (genes by NCBI Gene, as PrimeKG)
    "https://www.ncbi.nlm.nih.gov/gene/6517": "GLUT4",     # SLC2A4
    "https://www.ncbi.nlm.nih.gov/gene/9882": "AS160",     # TBC1D4
    "http://purl.obolibrary.org/obo/GO_0031931": "mTORC1",  # TORC1 complex, not the MTOR gene
}
#: family names are ambiguous: never a mention of one member
FORBIDDEN = {"https://www.ncbi.nlm.nih.gov/gene/2308": "FOXO", "https://www.ncbi.nlm.nih.gov/gene/2932": "GSK3"}


def test_expected_and_forbidden_mentions(seed):
    _, _, _, store = seed
    rows = select(store, f"SELECT ?e ?t WHERE {{ <{WORK}> kgo:hasMention ?m . ?m kgo:mentionedEntity ?e ; kgo:matchedText ?t }}")
    texts: dict[str, set[str]] = {}
    for entity, text in rows:
        texts.setdefault(entity, set()).add(text)
    for entity, text in EXPECTED.items():
        assert text in texts.get(entity, set()), entity
    for entity, text in FORBIDDEN.items():
        assert text not in texts.get(entity, set()), entity
    assert not any(e.startswith("https://identifiers.org/hgnc:") for e in texts)  # one scheme per gene
    akt1 = {"https://www.ncbi.nlm.nih.gov/gene/207", "https://identifiers.org/hgnc:391"}
    for entity in akt1:
        assert not any("2" in t or "β" in t for t in texts.get(entity, set()))
    # nothing that is not in the article: no PTEN, no NOS3
    assert "https://www.ncbi.nlm.nih.gov/gene/5728" not in texts
    assert "https://www.ncbi.nlm.nih.gov/gene/4846" not in texts
    count = select(store, f"""SELECT ?c WHERE {{ ?m kgo:mentionedEntity <https://www.ncbi.nlm.nih.gov/gene/9882> ; kgo:mentionCount ?c }}""")
    assert count == [("2",)]


def test_vancouver_entry():
    pub = parse_reference_entry("Manning BD, Toker A. AKT/PKB Signaling: Navigating the Network. Cell. 2017;169(3):381-405.", Location("x.md", 3))
    assert (pub.authors, pub.title, pub.journal, pub.year, pub.volume, pub.issue, pub.pages) == (
        ["Manning BD", "Toker A"], "AKT/PKB Signaling: Navigating the Network", "Cell", "2017", "169", "3", "381-405")


def test_apa_and_numbered_entries():
    pub = parse_reference_entry("Gonzalez, E., & McGraw, T. E. (2009). The Akt kinases: isoform specificity in metabolism and cancer. Cell Cycle. [Link]", Location("a", 1))
    assert (pub.authors, pub.year, pub.journal) == (["Gonzalez, E.", "McGraw, T. E."], "2009", "Cell Cycle")
    web = parse_reference_entry("Akt1 and Akt2: differentiating the aktion - PubMed [pubmed.ncbi.nlm.nih.gov]", Location("a", 2))
    assert (web.title, web.url_host) == ("Akt1 and Akt2: differentiating the aktion", "pubmed.ncbi.nlm.nih.gov")
    ids = parse_reference_entry("Kim AH, Chao MV. Title here. Mol Cell Biol. 2001;21(3):893-901. doi: 10.1128/MCB.21.3.893-901.2001. PMID: 11154276.", Location("a", 3))
    assert (ids.pmid, ids.doi) == ("11154276", "10.1128/MCB.21.3.893-901.2001")


def test_dates():
    assert parse_date("January 2026") == PartialDate(2026, 1)
    assert parse_date("2025-02-30") is None
    assert parse_date("3 March 2024") == PartialDate(2024, 3, 3)


def test_hostile_article_still_valid_rdf(tmp_path):
    body = 'Title <with> "quotes" \\ and 😀\n\nAuthor: A \\"B\\" <c>. Date: soon\n\nAbstract\n\nText [1] with \x0b control.\n\nReferences\n\n- X, Y. (2020). T "q" <>. J. [Link]\n'
    note = note_from_text(tmp_path, "h.txt", body)
    log = DiagnosticLog()
    article = read_article(note, log)
    ctx = context(note, log)
    quads = list(article_quads(article, ctx))
    from pyoxigraph import Dataset, RdfFormat, parse, serialize
    data = serialize(quads, format=RdfFormat.N_QUADS)
    assert len(list(parse(data, format=RdfFormat.N_QUADS))) == len(set(quads))
    assert any("cannot read date" in d.message for d in log.warnings)
