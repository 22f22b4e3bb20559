"""The label index of the served store: search by label prefix, and the name of every IRI a page links to.

Built once from every label (``labels.rq``: rdfs:label, skos:prefLabel, titles; PrimeKG's 130k
nodes take about a second to index).  A prefix lookup is two bisections and a slice, whatever
the size of the store; a name is a dictionary lookup, so a page names its neighbours without a
join in its query.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from dataclasses import dataclass


def fold(text: str) -> str:
    """The case-insensitive key of a label or a query: NFC of the text upper-cased then lower-cased
    ("Straße", "STRASSE" and "strasse" meet).  Not ``str.casefold``: the static site's script
    (``static/search.js``) must compute the same key in the browser, and JavaScript has no case
    folding; both languages' full upper and lower mappings (Unicode's SpecialCasing) agree."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).upper().lower())


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str


class LabelIndex:
    def __init__(self, rows: list[tuple[str, str, int]]):
        """``rows``: (iri, label, rank); an IRI's name is its label of lowest rank."""
        ordered = sorted((fold(label), label, iri) for iri, label, _ in rows)
        self._keys = [key for key, _, _ in ordered]
        self._hits = [Hit(iri, label) for _, label, iri in ordered]
        names: dict[str, tuple[int, str]] = {}
        for iri, label, rank in rows:
            known = names.get(iri)
            if known is None or (rank, label) < known:
                names[iri] = (rank, label)
        self.names: dict[str, str] = {iri: label for iri, (_, label) in names.items()}

    def __len__(self) -> int:
        return len(self._keys)

    def name(self, iri: str) -> str | None:
        """The label a page shows for ``iri``, or None."""
        return self.names.get(iri)

    def prefix(self, text: str, limit: int = 50) -> tuple[list[Hit], bool]:
        """Resources whose label starts with ``text`` (case-insensitive), in label order,
        at most ``limit``; and whether there were more."""
        key = fold(text.strip())
        if not key:
            return [], False
        start = bisect_left(self._keys, key)
        hits: list[Hit] = []
        for i in range(start, min(start + limit + 1, len(self._keys))):
            if not self._keys[i].startswith(key):
                break
            hits.append(self._hits[i])
        return hits[:limit], len(hits) > limit

    def by_prefix(self, length: int) -> dict[str, list[Hit]]:
        """Every label grouped by its first ``length`` characters (folded by :func:`fold`), in label order:
        the static site's search files."""
        groups: dict[str, list[Hit]] = {}
        for key, hit in zip(self._keys, self._hits):
            if key.strip():
                groups.setdefault(key[:length], []).append(hit)
        return groups
