"""The file-wide seen-set of edge keys: prior orientation bits come back, new keys are inserted sorted."""

from __future__ import annotations

import numpy as np

from kgpub.importers.primekg import SeenEdges


def test_merge_sorted_reports_prior_bits_and_keeps_order():
    seen = SeenEdges()
    first = seen.merge_sorted(np.array([5, 9, 20], dtype=np.uint64), np.array([1, 2, 1], dtype=np.uint8))
    assert first.tolist() == [0, 0, 0]
    prior = seen.merge_sorted(np.array([1, 9, 20, 30], dtype=np.uint64), np.array([2, 1, 1, 1], dtype=np.uint8))
    assert prior.tolist() == [0, 2, 1, 0]
    assert seen.keys.tolist() == [1, 5, 9, 20, 30]
    assert seen.bits.tolist() == [2, 1, 3, 1, 1]
    again = seen.merge_sorted(np.array([0, 9, 2**64 - 1], dtype=np.uint64), np.array([1, 1, 2], dtype=np.uint8))
    assert again.tolist() == [0, 3, 0]
    assert seen.keys.tolist() == [0, 1, 5, 9, 20, 30, 2**64 - 1]


def test_merge_rows_prior_bits_and_first_rows():
    seen = SeenEdges()
    seen.merge_sorted(np.array([7], dtype=np.uint64), np.array([1], dtype=np.uint8))
    keys = np.array([9, 7, 9, 3, 7, 9], dtype=np.uint64)
    bits = np.array([1, 2, 2, 1, 1, 1], dtype=np.uint8)
    prior, first = seen.merge_rows(keys, bits)
    assert prior.tolist() == [0, 1, 0, 0, 1, 0]
    assert first.tolist() == [True, True, False, True, False, False]
    assert seen.keys.tolist() == [3, 7, 9] and seen.bits.tolist() == [1, 3, 3]
    empty_prior, empty_first = seen.merge_rows(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint8))
    assert empty_prior.size == 0 and empty_first.size == 0
