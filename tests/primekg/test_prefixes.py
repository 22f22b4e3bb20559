"""PrimeKG prefixes resolved one by one (and cached) equal those of the full bioregistry converter."""

from __future__ import annotations

from kgpub.identifiers import Identifiers
from kgpub.importers.primekg.mapping import PrimekgMapping
from kgpub.importers.primekg.prefixes import resolve_prefixes
from kgpub.paths import mappings_dir


def test_lookup_equals_converter(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = PrimekgMapping.load()
    assert list((tmp_path / "kgpub").glob("primekg-prefixes-*.json"))
    cached = PrimekgMapping.load()
    full = PrimekgMapping.load(identifiers=Identifiers.default())
    assert fresh == cached == full
    gene = next(k for k in full.kinds if k.source == "NCBI")
    assert (gene.prefix, gene.uri_prefix) == ("ncbigene", "https://www.ncbi.nlm.nih.gov/gene/")
    mesh = next(k for k in full.kinds if k.source == "CTD")
    assert mesh.uri_prefix == "http://id.nlm.nih.gov/mesh/"  # mappings/prefixes.tsv overrides bioregistry


def test_unknown_prefix_left_out_and_damaged_cache_rebuilt(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    got = resolve_prefixes(["NCBIGene", "no_such_prefix_xyz"], mappings_dir() / "prefixes.tsv")
    assert set(got) == {"NCBIGene"} and got["NCBIGene"].prefix == "ncbigene"
    for cache in (tmp_path / "kgpub").glob("*.json"):
        cache.write_text("{not json")
    again = resolve_prefixes(["NCBIGene", "no_such_prefix_xyz"], mappings_dir() / "prefixes.tsv")
    assert again == got
