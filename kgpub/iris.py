"""Minting IRIs for the garden's resources under a base IRI.

IRIs depend only on stable keys (a note's permalink, a label, an identifier),
never on file paths or build order, so a note renamed on disk keeps its IRI
while its permalink stays.  Every path segment is percent-encoded, so no input
character can make an invalid IRI.

Layout under the base IRI ``B``:

================================  ============================================
``B{permalink path}``             the entity a note is about (``B garden/u/gene/akt1``)
``B note/{permalink path}``       the note itself; also the IRI of its named graph
``B unresolved/{slug}``           a link target that resolves to no published note
``B publication/{scheme}/{key}``  a publication (``pubmed/11154276``, ``doi/...``, ``ref/{hash}``)
``B graph/{name}``                other named graphs (``ontology``, ``metadata``, ``primekg/...``)
``B dataset``                     the dataset description (VoID/DCAT)
================================  ============================================
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import NamedNode

from .errors import ConfigError

DEFAULT_BASE_IRI = "https://example.org/kg/"

_SAFE = "-._~!$&'()*+,;=:@"  # RFC 3987 ipchar minus '/', percent-encoded otherwise


def slugify(text: str, *, max_length: int = 80) -> str:
    """A lowercase ASCII slug: ``"PI3K/AKT Signaling"`` -> ``"pi3k-akt-signaling"``.

    Falls back to a short hash when nothing ASCII is left (``"😀"`` -> ``"x-…"``).
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    if not slug:
        slug = "x-" + short_hash(text)
    return slug


def short_hash(*parts: str, length: int = 16) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:length]


@lru_cache(maxsize=1 << 17)  # a pure function of a permalink: the same ones are minted build after build
def encode_path(path: str) -> str:
    """Percent-encode each ``/``-separated segment of ``path``; drop empty and dot segments."""
    segments = [s for s in path.split("/") if s not in ("", ".", "..")]
    return "/".join(quote(s, safe=_SAFE) for s in segments)


_BASE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`/]+[^\s<>\"{}|\\^`]*[/#]$")


def check_base_iri(base: str) -> str:
    """``base`` if it is an absolute http(s) IRI ending in ``/`` or ``#``; else :class:`ConfigError`."""
    if not _BASE_IRI.match(base):
        raise ConfigError(f"base IRI must be an absolute http(s) IRI ending in '/' or '#': {base!r}")
    return base


class IriMinter:
    """Mints the dataset's IRIs under ``base`` (which must end with ``/`` or ``#``)."""

    def __init__(self, base: str = DEFAULT_BASE_IRI):
        self.base = check_base_iri(base)

    def _node(self, path: str) -> NamedNode:
        return NamedNode(self.base + path)

    def entity(self, permalink: str) -> NamedNode:
        """The entity a note describes, from its permalink (``/garden/u/gene/akt1/``)."""
        path = encode_path(permalink)
        if not path:
            raise ConfigError(f"empty permalink {permalink!r}")
        return self._node(path)

    def note(self, permalink: str) -> NamedNode:
        """The note (source document) with this permalink; also its named graph."""
        return self._node("note/" + encode_path(permalink))

    def unresolved(self, label: str) -> NamedNode:
        return self._node("unresolved/" + slugify(label))

    def publication(self, scheme: str, key: str) -> NamedNode:
        """``scheme`` is ``pubmed``, ``doi`` or ``ref`` (a hash of title and year)."""
        return self._node(f"publication/{encode_path(scheme)}/{quote(key, safe='-._~')}")

    def graph(self, name: str) -> NamedNode:
        return self._node("graph/" + encode_path(name))

    def dataset(self) -> NamedNode:
        return self._node("dataset")

    def under(self, path: str) -> NamedNode:
        """Any other resource at ``B{path}`` (segments encoded)."""
        return self._node(encode_path(path))
