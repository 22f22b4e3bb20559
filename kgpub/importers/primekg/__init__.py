"""PrimeKG importer: ``kg.csv`` -> aligned, deduplicated N-Triples shards, summary, VoID, manifest.

Stages, one module each, data flowing one way (:mod:`.pipeline` only wires them):

* read: :mod:`.scan` (polars' streaming reader, clean files) or :mod:`.read` (line-checking reader,
  every bad line reported) -> :mod:`.rows` (each row reduced to integers, each node's strings once)
* index: :mod:`.nodes` (node ids -> IRIs and codes in IRI order), with the tables of :mod:`.mapping`
  and :mod:`.prefixes`
* emit: :mod:`.edges` (orientation and dedup on integers)
* write: :mod:`.sink` (sharded gzip N-Triples or Turtle), :mod:`.summary` (``summary.json``, ``void.ttl``),
  :mod:`.names` (``nodes.tsv``, the node names a build ``--with`` grounds by)

:mod:`.reasons` names why rows are dropped; :func:`kgpub.publish.manifest.merge_into` adds an import's graphs to a garden build;
:mod:`.synth` generates PrimeKG-shaped files.
"""

from ...publish.manifest import merge_into
from .pipeline import ImportOptions, ImportResult, Progress, import_primekg

__all__ = ["ImportOptions", "ImportResult", "Progress", "import_primekg", "merge_into"]
