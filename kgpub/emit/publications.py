"""Publications -> quads (docs/design.md, *Publications*).

One work is one IRI wherever it is cited: ``B publication/pubmed/{pmid}``,
else ``B publication/doi/{doi, lower case}``, else ``B publication/ref/{hash}``
of its normalised title and year.  Authors are ``kgo:Authorship`` blank nodes with a
rank (OWL 2 DL safe, no RDF lists); field terms are those of ``ontology/kgpub.ttl``.
"""

from __future__ import annotations

from typing import Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from ..errors import IdentifierError
from ..iris import IriMinter, short_hash
from ..mapping.publication_ids import PublicationIds
from ..model.documents import Publication
from ..sources.citations import normalise_title
from ..vocab import DCTERMS, FABIO, KGO, RDF, RDFS, SKOS, XSD
from .context import EmitContext


def publication_key(pub: Publication) -> tuple[str, str]:
    """``(scheme, key)`` naming the publication: the first identifier scheme that mints IRIs, else a hash."""
    for scheme in PublicationIds.default().schemes:
        if not scheme.mints_iri:
            continue
        value = getattr(pub, scheme.field, None)
        if value:
            return scheme.prefix, str(value).strip().lower()
    title = normalise_title(pub.title or pub.raw or "")
    return "ref", short_hash(title, pub.year or "")


def publication_iri(pub: Publication, minter: IriMinter) -> NamedNode:
    scheme, key = publication_key(pub)
    return minter.publication(scheme, key)


def authorship_node(work: NamedNode, rank: int, name: str) -> BlankNode:
    """The authorship blank node of (work, rank, name): deterministic, and two
    spellings of one author never merge into one node."""
    return BlankNode("a" + short_hash(work.value, str(rank), name))


def authorship_quads(work: NamedNode, authors: list[str], ctx: EmitContext) -> Iterator[Quad]:
    """``work kgo:hasAuthorship _:a . _:a a kgo:Authorship ; kgo:authorRank n ; kgo:authorName "..."``."""
    q = ctx.quad
    for rank, name in enumerate(authors, start=1):
        node = authorship_node(work, rank, name)
        yield q(work, KGO["hasAuthorship"], node)
        yield q(node, RDF.type, KGO["Authorship"])
        yield q(node, KGO["authorName"], Literal(name))
        yield q(node, KGO["authorRank"], Literal(str(rank), datatype=XSD.positiveInteger))


def _bibliographic_class(pub: Publication) -> NamedNode:
    if pub.journal or pub.pmid:
        return FABIO.JournalArticle
    if pub.url_host and not pub.doi:
        return FABIO.WebPage
    return FABIO.Expression


def publication_quads(pub: Publication, ctx: EmitContext) -> Iterator[Quad]:
    """The publication resource, its identifiers, bibliographic fields and authors."""
    iri = publication_iri(pub, ctx.minter)
    q = ctx.quad
    yield q(iri, RDF.type, KGO["Publication"])
    yield q(iri, RDF.type, _bibliographic_class(pub))
    if pub.title:
        yield q(iri, RDFS.label, Literal(pub.title))
        yield q(iri, KGO["title"], Literal(pub.title))
    pubids = PublicationIds.default()
    for scheme in pubids.schemes:
        value = getattr(pub, scheme.field, None)
        if not value:
            continue
        try:
            ident = pubids.parse(scheme, value)
        except IdentifierError as error:
            ctx.log.error(pub.location.path, pub.location.line, str(error), code="publication")
            continue
        yield q(iri, SKOS.exactMatch, NamedNode(ident.iri))
        yield q(NamedNode(ident.iri), RDFS.label, Literal(pub.title or ident.curie))  # the same publication
        yield q(iri, DCTERMS.identifier, Literal(ident.curie))
        yield q(iri, KGO[scheme.field], Literal(ident.local))
    if pub.journal:
        yield q(iri, KGO["journal"], Literal(pub.journal))
    if pub.year:
        yield q(iri, KGO["year"], Literal(str(int(pub.year)), datatype=XSD.integer))
    if pub.volume:
        yield q(iri, KGO["volume"], Literal(pub.volume))
    if pub.issue:
        yield q(iri, KGO["issue"], Literal(pub.issue))
    if pub.pages:
        yield q(iri, KGO["pages"], Literal(pub.pages))
    if pub.url:
        yield q(iri, KGO["url"], Literal(pub.url, datatype=XSD.anyURI))
    if pub.url_host:
        yield q(iri, KGO["urlHost"], Literal(pub.url_host))
    if pub.abstract:
        yield q(iri, KGO["abstract"], Literal(pub.abstract))
    if pub.et_al:
        yield q(iri, KGO["authorListTruncated"], Literal(True))
    yield from authorship_quads(iri, pub.authors, ctx)
    yield ctx.derived(iri)
