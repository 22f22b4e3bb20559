"""The grounding stage of a build: the lexicons a garden names (plus the bundled SSSOM table) -> a :class:`Grounder`."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Protocol

from ..diagnostics import DiagnosticLog
from ..identifiers import Identifiers
from ..mapping.terms import OntologyTerms
from ..paths import mappings_dir
from ..paths import PRIMEKG_NODES_TSV as NODES_TSV
from .grounder import Grounder
from .cache import cached_index
from .model import LexiconSource
from .schemes import Schemes


class LexiconSpecLike(Protocol):
    """``kgpub.config.LexiconSpec``: a file, its format, optionally the CURIE prefix of its bare ids."""

    path: Path
    format: str
    prefix: str | None


def dist_lexicons(dists: Iterable[Path]) -> list[LexiconSource]:
    """The node names of each ``--with`` folder that has them (``nodes.tsv`` of a PrimeKG import)."""
    return [LexiconSource(Path(d) / NODES_TSV, "primekg-nodes") for d in dists if (Path(d) / NODES_TSV).is_file()]


def load_grounder(specs: Iterable[LexiconSpecLike], ids: Identifiers, terms: OntologyTerms, log: DiagnosticLog) -> Grounder:
    """The bundled ``mappings/entities.sssom.tsv`` (curated) and each configured lexicon, in order."""
    grounder = Grounder(Schemes.load(terms, ids), ids, terms)
    sources = [LexiconSource(mappings_dir() / "entities.sssom.tsv", "sssom", curated=True)]
    sources += [LexiconSource(Path(s.path), s.format, s.prefix, curated=s.format == "sssom") for s in specs]
    for source in sources:
        grounder.add_index(cached_index(source, ids, log))
    return grounder
