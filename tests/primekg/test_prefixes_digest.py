"""PrimeKG prefixes resolved one by one (and cached) equal those of the full bioregistry converter."""

from __future__ import annotations

from kgpub.identifiers import Identifiers
from kgpub.importers.primekg_mapping import PrimekgMapping
from kgpub.importers.primekg_prefixes import resolve_prefixes
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


def test_digest_child_and_thread_fallback_agree(monkeypatch):
    import io
    import subprocess

    from kgpub.importers import primekg_digest
    from kgpub.publish.manifest import GraphDigest

    lines = [f'<https://example.org/n/{i}> <https://example.org/p> "é {i}" .' for i in range(5000)]
    block = ("\n".join(lines) + "\n").encode("utf-8")
    expected = GraphDigest()
    for line in lines:
        expected.add_line(line)
    child = primekg_digest.DigestProcess()
    child.feed(block[:7000].rsplit(b"\n", 1)[0] + b"\n")
    child.feed(block[len(block[:7000].rsplit(b"\n", 1)[0]) + 1:])
    assert child.result() == (5000, int(expected.hexdigest(), 16))

    def no_spawn(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(subprocess, "Popen", no_spawn)
    thread = primekg_digest.DigestProcess()
    thread.feed(block)
    assert thread.result() == (5000, int(expected.hexdigest(), 16))
    assert primekg_digest.digest_stream(io.BytesIO(block.rstrip(b"\n"))) == (5000, int(expected.hexdigest(), 16))
