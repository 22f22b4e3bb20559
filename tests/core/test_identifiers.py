import pytest

from kgpub.errors import IdentifierError
from kgpub.identifiers import Identifiers
from kgpub.iris import IriMinter, slugify


@pytest.fixture(scope="module")
def ids() -> Identifiers:
    return Identifiers.default()


@pytest.mark.parametrize(
    "curie, default, iri",
    [
        ("NCBIGene:207", None, "https://www.ncbi.nlm.nih.gov/gene/207"),
        ("207", "ncbigene", "https://www.ncbi.nlm.nih.gov/gene/207"),
        ("UniProtKB:P31749", None, "http://purl.uniprot.org/uniprot/P31749"),
        ("GO:0008286", "go", "http://purl.obolibrary.org/obo/GO_0008286"),
        ("hgnc:391", None, "https://identifiers.org/hgnc:391"),
        ("PMID:11154276", None, "https://pubmed.ncbi.nlm.nih.gov/11154276"),
        ("doi:10.1128/MCB.21.3.893-901.2001", None, "https://doi.org/10.1128/MCB.21.3.893-901.2001"),
        ("MONDO:0008318", None, "http://purl.obolibrary.org/obo/MONDO_0008318"),
    ],
)
def test_expand(ids, curie, default, iri):
    assert ids.parse(curie, default_prefix=default).iri == iri


@pytest.mark.parametrize("bad", ["uniprot:not-an-accession", "nosuchprefix:1", "ncbigene:abc", "GO:123", "", "207"])
def test_rejects_bad_identifiers(ids, bad):
    with pytest.raises(IdentifierError):
        ids.parse(bad)


def test_iris_are_valid_whatever_the_input():
    m = IriMinter("https://example.org/kg/")
    assert m.entity("/garden/dev_admin/gene/akt1/").value == "https://example.org/kg/garden/dev_admin/gene/akt1"
    assert m.note("/garden/dev_admin/gene/akt1/").value == "https://example.org/kg/note/garden/dev_admin/gene/akt1"
    weird = m.entity('/a b/<x>"{|}\\^`/😀\n')
    assert all(ch not in weird.value for ch in ' <>"{}|\\^`\n')
    assert slugify("PI3K/AKT Signaling") == "pi3k-akt-signaling"
    assert slugify("😀").startswith("x-")


def test_namespace_attributes_are_terms_even_where_str_has_a_method():
    from kgpub.vocab import DCTERMS, KGO, SCHEMA

    assert DCTERMS.title.value == "http://purl.org/dc/terms/title"
    assert SCHEMA.format.value == "http://schema.org/format"
    assert KGO + "Gene" == "https://w3id.org/kgpub/ontology/Gene"


_PROBE = """
import sys
from kgpub.identifiers import Identifiers
ids = Identifiers.default()
print(ids.expand("NCBIGene:207"), ids.expand("go:GO:0008286"), ids.standardize_prefix("UniProtKB"),
      ids.compress("http://purl.uniprot.org/uniprot/P31749"), "bioregistry" in sys.modules)
"""


def _probe(env) -> list[str]:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.split()


def test_the_prefix_records_are_cached_so_a_second_process_does_not_import_bioregistry(tmp_path):
    import os

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("KGPUB_NO_CACHE", None)
    answers = ["https://www.ncbi.nlm.nih.gov/gene/207", "http://purl.obolibrary.org/obo/GO_0008286", "uniprot",
               "uniprot:P31749"]
    assert _probe(env) == answers + ["True"]  # first: from bioregistry, then written
    (cached,) = (tmp_path / "kgpub").glob("identifiers-*.marshal")
    assert _probe(env) == answers + ["False"]  # second: from the cache alone
    cached.write_bytes(b"\x00damaged")
    assert _probe(env) == answers + ["True"]  # a damaged cache is rebuilt
    assert _probe({**env, "KGPUB_NO_CACHE": "1"}) == answers + ["True"]
