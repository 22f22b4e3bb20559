"""manifest.json is written entry by entry for speed; its text is json.dumps(indent=2, sort_keys=True) of the manifest."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from kgpub.publish.manifest import GraphEntry, Manifest

ENTRIES = [
    GraphEntry("https://example.org/kg/note/b", 3, "0" * 64, ["kg.nq"]),
    GraphEntry("https://example.org/kg/note/ä\"q\\", 12, "f" * 64, ["kg.nq"], role="metadata"),
    GraphEntry("https://example.org/kg/graph/primekg", 4_441_910, "a" * 64,
               ["primekg/nodes.nt", "primekg/edges-0.nt"], format="application/n-triples", role="primekg"),
    GraphEntry("https://example.org/kg/graph/empty", 0, "0" * 64, []),
]


@pytest.mark.parametrize("graphs", [ENTRIES, ENTRIES[:1], []], ids=["four", "one", "none"])
def test_the_written_manifest_is_json_dumps_of_it(tmp_path, graphs):
    manifest = Manifest("https://example.org/kg/", "1.2.3", list(graphs))
    text = manifest.write(tmp_path).read_text(encoding="utf-8")
    data = {"base_iri": manifest.base_iri, "kgpub_version": manifest.kgpub_version,
            "graphs": [asdict(g) for g in sorted(graphs, key=lambda g: g.iri)]}
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert Manifest.read(tmp_path) == Manifest(manifest.base_iri, manifest.kgpub_version, sorted(graphs, key=lambda g: g.iri))
