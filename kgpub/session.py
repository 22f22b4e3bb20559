"""What one process keeps from a build for the next: :class:`BuildSession` (``kgpub build --watch``, ``serve --watch``).

A session is passed to :func:`kgpub.build.build_garden` as ``session=``; a build without one
starts from nothing kept (it still reads the cache in ``DIST/.kgpub-cache``).  It keeps, only for
a next build with the same build key (:func:`kgpub.stages.cache.build_key`):

* the grounder (lexicons loaded, names grounded already), unless loading it logged anything;
* the cache it saved into each output folder (taken while ``build.pickle`` is the file it wrote);
* the index of the garden (:func:`kgpub.stages.index.index_records`) and what it held before any
  link was resolved: reused, rewound, when every record gives the same index facts
  (:func:`kgpub.stages.index.index_facts`), else built again;
* with that index, the inputs of the entity notes that are a function of their file and the index
  alone (:data:`kgpub.stages.cache.PureInputs`): whichever cache a build reads, the same file and
  index give the same inputs.

A build without the index in memory (a new process) builds it again, and takes those inputs from
the cache it read when that cache's index facts are this build's (the cache saves both: a new
index of the same facts is the same index).

Everything kept gives the bytes a build without it gives (the incremental tests compare both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import DiagnosticLog
from .grounding.grounder import Grounder
from .grounding.stage import load_grounder
from .identifiers import Identifiers
from .iris import IriMinter
from .mapping.resolve import IndexMark
from .mapping.tables import MappingTables
from .mapping.terms import OntologyTerms
from .stages.cache import PureInputs
from .stages.cache_store import BuildCache, pack_facts, unpack_facts
from .stages.classify import Classified
from .stages.index import Indexed, reuse_index


@dataclass
class _KeptIndex:
    key: str
    facts: list[tuple]
    indexed: Indexed
    mark: IndexMark
    inputs: PureInputs = field(default_factory=dict)
    packed: bytes = b""  # ``facts`` as the cache keeps them (:func:`pack_facts`; b"": not packed yet)


@dataclass
class IndexPlan:
    """The index of a build, and the entity inputs it may take from the last build (:meth:`BuildSession.reuse_index`, :meth:`BuildSession.new_index`)."""

    indexed: Indexed
    inputs: PureInputs
    reused: bool
    kept: _KeptIndex


class BuildSession:
    """State one process keeps between its builds (see the module docstring); not shared between threads."""

    def __init__(self) -> None:
        self._grounder: tuple[str, Grounder] | None = None
        self._index: _KeptIndex | None = None
        self._saved: dict[str, BuildCache] = {}

    # --- grounder ------------------------------------------------------------

    def grounder(self, key: str, specs: list, ids: Identifiers, terms: OntologyTerms, log: DiagnosticLog) -> Grounder:
        """:func:`load_grounder`, or the last build's grounder for the same build key when loading it reported nothing."""
        if self._grounder is not None and self._grounder[0] == key:
            return self._grounder[1]
        own = DiagnosticLog()
        grounder = load_grounder(specs, ids, terms, own)
        log.extend(own)
        self._grounder = (key, grounder) if not list(own) else None
        return grounder

    # --- cache ---------------------------------------------------------------

    def open_cache(self, out: Path, key: str) -> BuildCache:
        """:meth:`BuildCache.open`, from the cache this session saved last in ``out`` while its files are as written."""
        return BuildCache.open(out, key, kept=self._saved.pop(str(out.resolve()), None))

    def saved(self, out: Path, cache: BuildCache) -> None:
        """``cache`` was just saved into ``out``: keep it for the next build into ``out``."""
        self._saved[str(out.resolve())] = cache

    # --- index ---------------------------------------------------------------

    def reuse_index(self, key: str, facts: list[tuple], classified: Classified, minter: IriMinter, tables: MappingTables,
                    terms: OntologyTerms, grounder: Grounder | None) -> IndexPlan | None:
        """The last build's index, rewound, when its key and index facts are this build's (``facts``, the
        :func:`kgpub.stages.index.index_facts` of ``classified``; else ``None``: build one and
        pass it to :meth:`new_index`), with the entity inputs that are a function of their file and that index.

        The index is kept for the next build only by :meth:`keep_index`, once this build computed its inputs.
        """
        kept, self._index = self._index, None  # resolving links changes it: kept again only by keep_index
        if kept is None or kept.key != key:
            return None
        if kept.facts != facts:
            return None
        indexed = reuse_index(kept.indexed, kept.mark, classified, minter, tables, terms, grounder)
        return IndexPlan(indexed, kept.inputs, True, _KeptIndex(key, facts, indexed, kept.mark, packed=kept.packed))

    def new_index(self, key: str, facts: list[tuple], indexed: Indexed, old: BuildCache) -> IndexPlan:
        """``indexed``, just built by :func:`kgpub.stages.index.index_records` from records whose index facts are
        ``facts``, as this build's index, with the entity inputs of ``old`` (the cache this build read, for ``key``)
        when its index facts are the same."""
        self._index = None
        same = old.key == key and unpack_facts(old.index_facts) == facts
        return IndexPlan(indexed, old.pure_inputs if same else {}, False,
                         _KeptIndex(key, facts, indexed, indexed.garden.mark(), packed=old.index_facts if same else b""))

    def keep_index(self, plan: IndexPlan, inputs: PureInputs, new: BuildCache) -> None:
        """Keep ``plan``'s index for the next build, with the pure entity inputs this build computed; ``new``, the cache
        this build saves, keeps its index facts and those inputs for a build in another process."""
        plan.kept.inputs = inputs
        self._index = plan.kept
        if not plan.kept.packed:
            plan.kept.packed = pack_facts(plan.kept.facts)
        new.index_facts, new.pure_inputs = plan.kept.packed, inputs
