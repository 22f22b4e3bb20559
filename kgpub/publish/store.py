"""Stores kgpub publishes into, behind one small interface, and the embedded store.

:class:`GraphStore` is what :mod:`kgpub.publish.push` needs from a store: SELECT
(values as strings), SPARQL Update, and a fast, non-transactional add of
N-Triples to one graph.  :class:`EmbeddedStore` implements it over a pyoxigraph
store on disk; :class:`kgpub.publish.remote.RemoteStore` over any SPARQL 1.1
endpoint.  Every implementation passes ``tests/stores/test_contract.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Protocol, runtime_checkable

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
)

from ..errors import StoreError
from .load import load_build


@runtime_checkable
class GraphStore(Protocol):
    """A quad store reachable by SPARQL, as push and the contract tests use it."""

    #: Short human name for messages (``"embedded:/path"``, ``"http://host/sparql"``).
    name: str

    #: Whether ``INSERT DATA`` may hold blank nodes (SPARQL 1.1 allows it; Virtuoso refuses it):
    #: push batches graphs with blank nodes only then.
    insert_data_blank_nodes: bool

    #: Whether :meth:`add_nquads` is one atomic request: push then uploads the graphs the store does
    #: not hold yet as N-Quads, with their push-state records, one request per batch.
    atomic_quads_upload: bool

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT; each row maps bound variable names to term values (IRIs, lexical forms)."""
        ...

    def ask(self, query: str) -> bool: ...

    def update(self, update: str, *, retry: bool = True) -> None:
        """Run a SPARQL Update; one request is one transaction where the store offers it.

        ``retry=False``: do not resend it after a failure whose outcome is unknown.
        """
        ...

    def add_ntriples(self, graph: str, data: bytes) -> None:
        """Add N-Triples to ``graph`` as fast as the store allows (not necessarily atomic)."""
        ...

    def add_nquads(self, data: Iterable[bytes]) -> None:
        """Add the N-Quads ``data`` (blocks of whole lines) to the dataset in one request, atomically
        where ``atomic_quads_upload`` says so; not retried (push decides, from the records)."""
        ...

    def named_graphs(self) -> set[str]:
        """The IRIs of the named graphs the store holds."""
        ...

    def read_ntriples(self, graph: str) -> bytes:
        """The triples of ``graph`` as N-Triples (empty when the store does not have it)."""
        ...

    def close(self) -> None: ...


def term_value(term: object) -> str:
    """The string value of a pyoxigraph term (IRI, literal lexical form, blank node id)."""
    if isinstance(term, (NamedNode, BlankNode, Literal)):
        return term.value
    return str(term)


class EmbeddedStore:
    """A pyoxigraph store, persistent at ``path`` (or in memory when ``path`` is None)."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.name = f"embedded:{self.path}" if self.path else "embedded:memory"
        self.insert_data_blank_nodes = True
        self.atomic_quads_upload = True
        try:
            if self.path is None:
                self.store = Store()
            elif read_only:
                self.store = Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = Store(str(self.path))
        except OSError as error:
            raise StoreError(f"{self.name}: cannot open the store: {error}") from error

    def select(self, query: str) -> list[dict[str, str]]:
        result = self._query(query)
        if not isinstance(result, QuerySolutions):
            raise StoreError(f"{self.name}: not a SELECT query")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = term_value(value)
            rows.append(row)
        return rows

    def ask(self, query: str) -> bool:
        result = self._query(query)
        if not isinstance(result, QueryBoolean):
            raise StoreError(f"{self.name}: not an ASK query")
        return bool(result)

    def query(self, query: str, **options):
        """Raw pyoxigraph query (union default graph unless ``default_graph`` is given)."""
        return self._query(query, **options)

    def _query(self, query: str, **options):
        if "default_graph" not in options:
            options.setdefault("use_default_graph_as_union", True)
        try:
            return self.store.query(query, **options)
        except SyntaxError as error:
            raise StoreError(f"{self.name}: malformed query: {error}") from error
        except OSError as error:
            raise StoreError(f"{self.name}: query failed: {error}") from error

    def update(self, update: str, *, retry: bool = True) -> None:
        try:
            self.store.update(update)
        except SyntaxError as error:
            raise StoreError(f"{self.name}: malformed update: {error}") from error
        except OSError as error:
            raise StoreError(f"{self.name}: update failed: {error}") from error

    def add_ntriples(self, graph: str, data: bytes) -> None:
        try:
            self.store.bulk_load(input=data, format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph), lenient=True)
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(f"{self.name}: cannot load into {graph}: {error}") from error

    def add_nquads(self, data: Iterable[bytes]) -> None:
        """One transaction (``Store.load``): all of ``data`` or nothing."""
        try:
            self.store.load(input=b"".join(data), format=RdfFormat.N_QUADS)
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(f"{self.name}: cannot load N-Quads: {error}") from error

    def named_graphs(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, NamedNode)}

    def read_ntriples(self, graph: str) -> bytes:
        try:
            return self.store.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(graph)) or b""
        except (ValueError, OSError) as error:
            raise StoreError(f"{self.name}: cannot read {graph}: {error}") from error

    def __len__(self) -> int:
        return len(self.store)

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()

    def close(self) -> None:
        """Flush and release the on-disk store (other processes may then open it)."""
        store = getattr(self, "store", None)
        if store is not None:
            if self.path is not None:
                try:
                    store.flush()
                except OSError:
                    pass
            del self.store


__all__ = ["GraphStore", "EmbeddedStore", "term_value", "load_build"]
