"""The seed entity note, built with the other two seeds: the content the issue asks for."""

from __future__ import annotations

from buildkit import B, ask, load_store

AKT1 = f"<{B}garden/dev_admin/gene/akt1>"
NOTE = f"<{B}note/garden/dev_admin/gene/akt1>"


def test_seed_build_reads_all_three(seed_dist):
    result, dist = seed_dist
    assert result.notes_published == 3, [str(d) for d in result.log]
    assert not result.log.errors, [str(d) for d in result.log.errors]
    violations = [r for r in result.report.results if r.severity == "Violation" and r.source_path == "000_990ecd136182c50b.txt"]
    assert violations == []
    for name in ("kg.ttl", "kg.nq", "ontology.ttl", "ontology.owl", "validation.ttl", "manifest.json"):
        assert (dist / name).stat().st_size > 0


def test_akt1_gene_aligned_from_mapping_table(seed_dist):
    store = load_store(seed_dist[1])
    assert ask(store, f"ASK {{ {AKT1} a kgo:Gene ; rdfs:label 'AKT1' ; "
                      "skos:exactMatch <https://www.ncbi.nlm.nih.gov/gene/207>, <https://identifiers.org/hgnc:391> }")


def test_encodes_protein_and_pathways(seed_dist):
    store = load_store(seed_dist[1])
    assert ask(store, f"ASK {{ {AKT1} kgo:encodes ?p . ?p a kgo:Protein , kgo:UnresolvedEntity ; rdfs:label 'AKT1 Protein' ; "
                      "skos:exactMatch <http://purl.uniprot.org/uniprot/P31749> }")
    for go in ("GO_0008286", "GO_0031929"):
        assert ask(store, f"ASK {{ {AKT1} kgo:participatesIn ?p . ?p a kgo:Pathway ; skos:exactMatch <http://purl.obolibrary.org/obo/{go}> }}")


def test_inhibited_by_is_swapped_with_note_text_on_axiom(seed_dist):
    store = load_store(seed_dist[1])
    assert ask(store, f"""ASK {{ ?pten rdfs:label 'PTEN' ; kgo:inhibits {AKT1} .
        ?ax a owl:Axiom ; owl:annotatedSource ?pten ; owl:annotatedProperty kgo:inhibits ; owl:annotatedTarget {AKT1} ;
            rdfs:comment 'Tumor suppressor that antagonizes PI3K' ; kgo:relationKey 'INHIBITED_BY' ;
            kgo:sourceLine 64 ; prov:wasDerivedFrom {NOTE} }}""")
    assert not ask(store, f"ASK {{ {AKT1} kgo:inhibits ?x . ?x rdfs:label 'PTEN' }}")
    assert not ask(store, "ASK { ?s kgo:inhibitedBy|kgo:activatedBy ?o }")


def test_activated_by_insulin_swapped(seed_dist):
    store = load_store(seed_dist[1])
    assert ask(store, f"ASK {{ ?i rdfs:label 'Insulin' ; kgo:activates {AKT1} }}")
    assert ask(store, f"ASK {{ {AKT1} kgo:activates ?m . ?m rdfs:label 'mTOR' }}")


def test_proteus_syndrome_condition(seed_dist):
    store = load_store(seed_dist[1])
    assert ask(store, f"ASK {{ {AKT1} kgo:associatedWithCondition ?c . ?c a kgo:Condition ; rdfs:label 'Proteus Syndrome' ; "
                      "skos:exactMatch <http://purl.obolibrary.org/obo/MONDO_0008318> }")


def test_unresolved_targets_typed_and_reported_as_warnings(seed_dist):
    result, dist = seed_dist
    store = load_store(dist)
    assert ask(store, f"ASK {{ <{B}unresolved/pi3k> a kgo:UnresolvedEntity , kgo:Entity ; rdfs:label 'PI3K' }}")
    warnings = {(r.focus_node, r.source_path, r.source_line) for r in result.report.results if r.severity == "Warning"}
    assert (f"<{B}unresolved/pi3k>", "000_990ecd136182c50b.txt", 61) in warnings
    assert (f"<{B}unresolved/proteus-syndrome>", "000_990ecd136182c50b.txt", 72) in warnings
    assert "Warning" in (dist / "validation.ttl").read_text(encoding="utf-8")


def test_references_list_linked_from_entity(seed_dist):
    store = load_store(seed_dist[1])
    assert ask(store, f"ASK {{ {AKT1} kgo:hasReference ?p . ?p a kgo:Publication ; kgo:year ?y ; kgo:journal 'Cell' }}")
    rows = list(store.query(f"PREFIX kgo: <https://w3id.org/kgpub/ontology/> SELECT ?p WHERE {{ {AKT1} kgo:hasReference ?p }}", use_default_graph_as_union=True))
    assert len(rows) == 3


def test_provenance_to_file_and_permalink(seed_dist):
    store = load_store(seed_dist[1])
    # every entity and every edge axiom of the note is traceable to the file path and permalink
    assert ask(store, f"""ASK {{ GRAPH {NOTE} {{ {NOTE} a kgo:Note ; kgo:sourcePath '000_990ecd136182c50b.txt' ;
        kgo:permalink '/garden/dev_admin/gene/akt1/' ; foaf:primaryTopic {AKT1} }} }}""")
    assert not ask(store, f"ASK {{ GRAPH {NOTE} {{ ?e a kgo:Entity . FILTER NOT EXISTS {{ ?e prov:wasDerivedFrom {NOTE} }} }} }}")
    assert not ask(store, """ASK { ?ax a owl:Axiom . FILTER NOT EXISTS { ?ax prov:wasDerivedFrom ?n . ?n kgo:sourcePath ?path ; kgo:permalink ?link } }""")
    rows = list(store.query(
        "PREFIX kgo: <https://w3id.org/kgpub/ontology/> PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "SELECT (COUNT(?ax) AS ?n) WHERE { ?ax a owl:Axiom ; prov:wasDerivedFrom ?note . ?note kgo:sourcePath '000_990ecd136182c50b.txt' }",
        use_default_graph_as_union=True))
    assert int(rows[0]["n"].value) == 16


def test_dataset_description(seed_dist):
    store = load_store(seed_dist[1])
    assert ask(store, f"""ASK {{ GRAPH <{B}graph/metadata> {{ <{B}dataset> a <http://rdfs.org/ns/void#Dataset> ;
        <http://purl.org/dc/terms/title> ?t ; <http://purl.org/pav/createdWith> 'kgpub 0.1.0' ;
        <http://rdfs.org/ns/void#triples> ?n . FILTER(?n > 100) }} }}""")


def test_seed_date_times_cut_to_milliseconds(seed_dist):
    """The seed's created/updated ``2026-02-13T14:57:56.812583Z`` is published with 3 fractional digits,
    the most HermiT takes (it refuses the note's 6)."""
    store = load_store(seed_dist[1])
    for prop in ("created", "modified"):
        p, xsd = f"<http://purl.org/dc/terms/{prop}>", "<http://www.w3.org/2001/XMLSchema#dateTime>"
        assert ask(store, f"ASK {{ {NOTE} {p} '2026-02-13T14:57:56.812Z'^^{xsd} }}"), prop
        assert not ask(store, f"ASK {{ {NOTE} {p} ?d FILTER(STR(?d) != '2026-02-13T14:57:56.812Z') }}"), prop
