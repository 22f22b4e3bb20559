"""What the OWL tools of the conformance stage read: the ontology, a garden build and a PrimeKG sample,
merged into one N-Triples document (so OWL API sees the declarations with the data)."""

from __future__ import annotations

import glob
import gzip
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse, serialize


def merged(out: Path, files: list[Path]) -> Path:
    """One N-Triples document of the files, so OWL API sees the declarations with the data."""
    triples: list[Triple] = []
    for f in files:
        data = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
        fmt = RdfFormat.N_TRIPLES if ".nt" in f.suffixes else RdfFormat.TURTLE
        triples.extend(Triple(q.subject, q.predicate, q.object) for q in parse(data, format=fmt))
    out.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES))
    return out


def primekg_parts(dist: Path) -> list[Path]:
    """The data files of a PrimeKG import: its N-Triples parts and its void.ttl."""
    return [*map(Path, sorted(glob.glob(str(dist / "part-*.nt.gz")))), dist / "void.ttl"]
