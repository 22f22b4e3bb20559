"""The replace of a graph by its difference: what it deletes and inserts, and when it declines."""

from __future__ import annotations

from kgpub.publish.difference import difference, difference_update, ntriples_lines
from kgpub.publish.push import read_state
from kgpub.publish.store import EmbeddedStore

G = "https://example.org/kg/graph/big"
STATE = "https://example.org/kg/graph/push-state"


def _lines(*triples: str) -> set[bytes]:
    return ntriples_lines(["".join(t + "\n" for t in triples).encode("utf-8")])


def test_update_deletes_what_only_the_old_version_has_and_inserts_the_rest():
    store = EmbeddedStore(None)
    same = [f"<urn:s{i}> <urn:p> <urn:o> ." for i in range(6)]
    old = same + ['<urn:a> <urn:p> "caf\\u00E9 \\"x\\""@fr .', "<urn:a> <urn:p> <urn:b> .", "<urn:c> <urn:p> <urn:d> ."]
    new = same + ["<urn:a> <urn:p> <urn:b> .", "<urn:c> <urn:p> <urn:d> .", '<urn:e> <urn:q> "2"^^<urn:t> .']
    store.update(f"INSERT DATA {{ GRAPH <{G}> {{ {' '.join(old)} }} }}")
    before = ntriples_lines([store.read_ntriples(G)])
    change = difference(before, _lines("# a comment", "", *new))
    assert change is not None and len(change.gone) == 1 and change.added == [new[-1].encode()]
    store.update(difference_update(G, change, STATE, "ab" * 32, 9))
    assert ntriples_lines([store.read_ntriples(G)]) == _lines(*new)
    assert read_state(store, STATE)[G].digest == "ab" * 32 and read_state(store, STATE)[G].triples == 9


def test_declines_blank_nodes_and_large_differences():
    plain = _lines(*(f"<urn:s{i}> <urn:p> <urn:o> ." for i in range(10)))
    assert difference(plain, plain | _lines("_:b <urn:p> <urn:o> .")) is None
    assert difference(plain, _lines(*(f"<urn:t{i}> <urn:p> <urn:o> ." for i in range(10)))) is None
    kept = difference(plain, set(list(plain)[:7]))
    assert kept is not None and kept.size == 3 and kept.added == []
