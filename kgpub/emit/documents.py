"""Articles -> quads: the work, its sections, tables, reference lists, citations and mentions.

The article is a work (``kgo:Article``, a ``kgo:Publication``) at the entity
IRI of its note (``B`` + permalink path, docs/design.md); the note is its
source document (``foaf:primaryTopic``).  Parts get IRIs under the work:
``{work}/section/{n}``, ``{work}/section/{n}/paragraph/{k}``,
``{work}/table/{n}/row/{r}/cell/{c}``, ``{work}/reference/{list}/{n}``,
``{work}/mention/{hash}``.  Terms are in ``ontology/documents.ttl``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from ..iris import short_hash, slugify
from ..mapping.mentions import MentionMatcher, build_matcher
from ..model.documents import Article, PartialDate, Publication
from ..vocab import CITO, FOAF, KGO, RDF, RDFS, SCHEMA, SKOS, XSD
from .context import EmitContext
from .publications import authorship_quads, publication_iri, publication_quads


def article_iri(ctx: EmitContext) -> NamedNode:
    """The work an article note presents: its note IRI without the ``note/`` segment."""
    prefix = ctx.minter.base + "note/"
    value = ctx.note_iri.value
    return NamedNode(ctx.minter.base + value[len(prefix):]) if value.startswith(prefix) else NamedNode(value + "#work")


def _date_literal(date: PartialDate) -> Literal:
    if date.day:
        return Literal(date.isoformat(), datatype=XSD.date)
    if date.month:
        return Literal(date.isoformat(), datatype=XSD.gYearMonth)
    return Literal(date.isoformat(), datatype=XSD.gYear)


def article_quads(article: Article, ctx: EmitContext, matcher: MentionMatcher | None = None) -> Iterator[Quad]:
    """Every quad of an article, in the note's graph.  ``matcher`` defaults to the index + mapping tables."""
    q = ctx.quad
    work = article_iri(ctx)
    yield q(ctx.note_iri, FOAF.primaryTopic, work)
    yield q(work, RDF.type, KGO["Article"])
    yield q(work, RDF.type, KGO["Publication"])
    yield q(work, RDF.type, SCHEMA.Article)
    yield q(work, RDFS.label, Literal(article.title))
    yield q(work, KGO["title"], Literal(article.title))
    yield from authorship_quads(work, article.authors, ctx)
    if article.date:
        yield q(work, KGO["issued"], _date_literal(article.date))
        yield q(work, KGO["year"], Literal(str(article.date.year), datatype=XSD.integer))
    if article.abstract:
        yield q(work, KGO["abstract"], Literal(article.abstract))
    if article.location.line:
        yield q(work, KGO["sourceLine"], Literal(str(article.location.line), datatype=XSD.positiveInteger))
    yield ctx.derived(work)

    # reference lists: one entry resource per entry, one publication per distinct work
    pub_iris: dict[int, NamedNode] = {}
    entry_iris: dict[int, NamedNode] = {}
    emitted: set[str] = set()
    for entry in article.references:
        node = NamedNode(f"{work.value}/reference/{slugify(entry.list_name)}/{entry.position}")
        yield q(work, KGO["hasReferenceEntry"], node)
        yield q(node, RDF.type, KGO["ReferenceEntry"])
        yield q(node, RDFS.label, Literal(entry.text))
        yield q(node, KGO["position"], Literal(str(entry.position), datatype=XSD.positiveInteger))
        yield q(node, KGO["referenceList"], Literal(entry.list_name))
        if entry.number is not None:
            yield q(node, KGO["citationNumber"], Literal(str(entry.number), datatype=XSD.positiveInteger))
            entry_iris.setdefault(entry.number, node)
        yield ctx.derived(node)
        pub = entry.publication
        if pub is None:
            continue
        iri = publication_iri(pub, ctx.minter)
        pub_iris[id(pub)] = iri
        yield q(node, KGO["refersTo"], iri)
        yield q(work, CITO.cites, iri)
        if iri.value not in emitted:
            emitted.add(iri.value)
            yield from publication_quads(pub, ctx)
    numbered = {n: pub_iris.get(id(e.publication)) for n, e in article.numbered().items() if e.publication is not None}

    def cites(subject: NamedNode, numbers: list[int]) -> Iterator[Quad]:
        for number in dict.fromkeys(numbers):
            if number in entry_iris:
                yield q(subject, KGO["citesEntry"], entry_iris[number])
            if numbered.get(number) is not None:
                yield q(subject, CITO.cites, numbered[number])

    # sections and citing paragraphs
    section_iris: dict[int, NamedNode] = {}
    for section in article.sections:
        sec = NamedNode(f"{work.value}/section/{section.position}")
        section_iris[section.position] = sec
        yield q(work, KGO["hasSection"], sec)
        yield q(sec, RDF.type, KGO["Section"])
        yield q(sec, RDFS.label, Literal(section.heading))
        yield q(sec, KGO["position"], Literal(str(section.position), datatype=XSD.positiveInteger))
        if section.location.line:
            yield q(sec, KGO["sourceLine"], Literal(str(section.location.line), datatype=XSD.positiveInteger))
        yield ctx.derived(sec)
        yield from cites(sec, section.citations)
        for k, paragraph in enumerate(section.paragraphs, start=1):
            if not paragraph.citations:
                continue
            para = NamedNode(f"{sec.value}/paragraph/{k}")
            yield q(sec, KGO["hasParagraph"], para)
            yield q(para, RDF.type, KGO["Paragraph"])
            yield q(para, RDFS.label, Literal(f"{section.heading}, paragraph {k}"))
            yield q(para, KGO["position"], Literal(str(k), datatype=XSD.positiveInteger))
            if paragraph.location.line:
                yield q(para, KGO["sourceLine"], Literal(str(paragraph.location.line), datatype=XSD.positiveInteger))
            yield ctx.derived(para)
            yield from cites(para, paragraph.citations)

    if matcher is None:
        matcher = build_matcher(ctx.index, ctx.ids)

    # tables: rows link the compared entities (matched from column headers) with feature and values
    for table in article.tables:
        tab = NamedNode(f"{work.value}/table/{table.position}")
        yield q(work, KGO["hasTable"], tab)
        if table.section in section_iris:
            yield q(section_iris[table.section], KGO["hasTable"], tab)
        yield q(tab, RDF.type, KGO["Table"])
        yield q(tab, RDFS.label, Literal(table.caption or f"Table {table.position}"))
        yield q(tab, KGO["position"], Literal(str(table.position), datatype=XSD.positiveInteger))
        yield ctx.derived(tab)
        column_entities = {c: [t for m in matcher.find(c) for t in m.targets] for c in table.columns[1:]}
        for row in table.rows:
            node = NamedNode(f"{tab.value}/row/{row.position}")
            yield q(tab, KGO["hasRow"], node)
            yield q(node, RDF.type, KGO["TableRow"])
            yield q(node, RDFS.label, Literal(row.feature))
            yield q(node, KGO["feature"], Literal(row.feature))
            yield q(node, KGO["position"], Literal(str(row.position), datatype=XSD.positiveInteger))
            yield q(node, KGO["sourceLine"], Literal(str(row.location.line), datatype=XSD.positiveInteger))
            yield ctx.derived(node)
            for c, cell in enumerate(row.cells, start=2):
                cnode = NamedNode(f"{node.value}/cell/{c}")
                yield q(node, KGO["hasCell"], cnode)
                yield q(cnode, RDF.type, KGO["TableCell"])
                yield q(cnode, RDFS.label, Literal(f"{row.feature}: {cell.column}"))
                yield q(cnode, KGO["column"], Literal(cell.column))
                yield q(cnode, KGO["value"], Literal(cell.value))
                for entity in column_entities.get(cell.column, []):
                    yield q(node, KGO["comparesEntity"], entity)
                    yield q(cnode, KGO["aboutEntity"], entity)
                yield from cites(cnode, cell.citations)

    yield from _mention_quads(article, ctx, work, section_iris, matcher)


def _mention_quads(article: Article, ctx: EmitContext, work: NamedNode, section_iris: dict[int, NamedNode], matcher: MentionMatcher) -> Iterator[Quad]:
    """Mentions in the title, headings, paragraphs and tables (reference lists excluded)."""
    q = ctx.quad
    counts: Counter[str] = Counter()
    sections: dict[str, set[int]] = defaultdict(set)
    texts: dict[str, set[str]] = defaultdict(set)
    nodes: dict[str, NamedNode] = {}
    listed = {e.list_name for e in article.references}

    def scan(text: str, section: int | None) -> None:
        for match in matcher.find(text):
            for target in match.targets:
                counts[target.value] += 1
                nodes[target.value] = target
                texts[target.value].add(match.text)
                if section is not None:
                    sections[target.value].add(section)

    scan(article.title, None)
    for section in article.sections:
        if section.heading.lower() in listed:
            continue
        scan(section.heading, section.position)
        for paragraph in section.paragraphs:
            scan(paragraph.text, section.position)
    for table in article.tables:
        for text in [table.caption or "", *(f"{r.feature} " + " ".join(c.value for c in r.cells) for r in table.rows)]:
            scan(text, table.section)
    for value in sorted(counts):
        target = nodes[value]
        mention = NamedNode(f"{work.value}/mention/{short_hash(value)}")
        yield q(work, KGO["mentions"], target)
        yield q(work, KGO["hasMention"], mention)
        yield q(mention, RDF.type, KGO["Mention"])
        yield q(mention, RDFS.label, Literal(f"{sorted(texts[value])[0]} in {article.title}"))
        yield q(mention, KGO["mentionedEntity"], target)
        yield q(mention, KGO["mentionCount"], Literal(str(counts[value]), datatype=XSD.positiveInteger))
        for text in sorted(texts[value]):
            yield q(mention, KGO["matchedText"], Literal(text))
        for position in sorted(sections[value]):
            if position in section_iris:
                yield q(mention, KGO["inSection"], section_iris[position])
                yield q(section_iris[position], KGO["mentions"], target)
        yield ctx.derived(mention)
        described = matcher.described.get(target)
        if described is not None:  # an external identifier: its label, and the same entity in other schemes
            yield q(target, RDFS.label, Literal(described.label))
            for other in described.exact:
                yield q(target, SKOS.exactMatch, other)
                yield q(other, RDFS.label, Literal(described.label))  # the same entity in another scheme
