"""PrimeKG-style identifier fields of a note (``node_id: 1956``, ``node_source: NCBI``, as PrimeKG's
``x_id``/``x_source`` columns) -> a CURIE, by the ``source``, ``prefix`` and ``pad`` columns of
``mappings/primekg_node_types.tsv`` (the table the PrimeKG importer reads: the two agree on every IRI)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import mappings_dir
from .tables import read_tsv

NODE_ID, NODE_SOURCE = "node_id", "node_source"


@dataclass(frozen=True)
class PrimekgSource:
    prefix: str
    pad: int
    grouped: bool  # ids joined by a separator name a group of diseases, not one identifier

    def local(self, node_id: str) -> str:
        text = node_id.strip()
        return text.zfill(self.pad) if self.pad and text.isdigit() else text


@lru_cache(maxsize=4)
def primekg_sources(path: Path | None = None) -> dict[str, PrimekgSource]:
    """PrimeKG ``node_source`` (case folded) -> how its ids become CURIEs."""
    table = path or mappings_dir() / "primekg_node_types.tsv"
    found: dict[str, PrimekgSource] = {}
    for _, row in read_tsv(table, ("source", "prefix", "pad")):
        found.setdefault(row["source"].casefold(), PrimekgSource(row["prefix"], int(row["pad"] or 0), bool(row.get("group_separator"))))
    return found
