"""Where each IRI is answered: the URL paths of resource pages, and back from a request to an IRI.

IRIs under the build's base IRI are served at the same path below the *mount* (the path of
``--public-url``, else the base IRI's own path), so a page's links are the IRIs' own paths;
kgo: terms and the ontology IRI are under ``/ontology``; any other IRI the store knows (PrimeKG
nodes are NCBI, UniProt, MONDO... IRIs) has a page under ``/-/external/{scheme}/{rest}``.
The same paths are the files of the static export (``kgpub site``), one per format.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from ..vocab import KGO, ONTOLOGY_IRI

#: Characters of an IRI's rest kept as they are in an external page's path.
_KEEP = "/:@!$&'()*+,;=-._~"
EXTERNAL = "/-/external/"
ONTOLOGY_PATH = "/ontology"


@dataclass(frozen=True)
class Locations:
    """Maps IRIs to the local paths of their pages and request paths back to IRIs."""

    base_iri: str
    mount: str = "/"

    @classmethod
    def for_base(cls, base_iri: str, public_url: str | None = None) -> "Locations":
        path = urlsplit(public_url or base_iri).path or "/"
        return cls(base_iri, path if path.endswith("/") else path + "/")

    def href(self, iri: str) -> str:
        """The local path of ``iri``'s page (an absolute path on this site)."""
        if iri.startswith(self.base_iri):
            return self.mount + iri[len(self.base_iri):]
        if iri == ONTOLOGY_IRI:
            return ONTOLOGY_PATH
        if iri.startswith(str(KGO)) and len(iri) > len(str(KGO)):
            return ONTOLOGY_PATH + "/" + quote(iri[len(str(KGO)):], safe=_KEEP)
        scheme, sep, rest = iri.partition("://")
        if not sep or not scheme.isalpha():
            return EXTERNAL + "urn/" + quote(iri, safe=_KEEP)
        return EXTERNAL + scheme + "/" + quote(rest, safe=_KEEP)

    def iri(self, raw_path: str) -> str | None:
        """The IRI a request path (undecoded, as sent) names, or None when it names none."""
        if raw_path == ONTOLOGY_PATH:
            return ONTOLOGY_IRI
        if raw_path.startswith(ONTOLOGY_PATH + "/"):
            local = unquote(raw_path[len(ONTOLOGY_PATH) + 1:])
            return str(KGO) + local if local else None
        if raw_path.startswith(EXTERNAL):
            scheme, _, rest = raw_path[len(EXTERNAL):].partition("/")
            if not scheme or not rest:
                return None
            return unquote(rest) if scheme == "urn" else f"{scheme}://{unquote(rest)}"
        if raw_path.startswith(self.mount) and len(raw_path) > len(self.mount):
            return self.base_iri + raw_path[len(self.mount):]
        return None

    def is_local(self, iri: str) -> bool:
        """Whether ``iri`` is one this site mints (under the base IRI, or the ontology's)."""
        return iri.startswith(self.base_iri) or iri == ONTOLOGY_IRI or iri.startswith(str(KGO))
