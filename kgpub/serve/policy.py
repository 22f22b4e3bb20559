"""What the endpoint refuses, decided on the *parsed* query or update, never on its text.

``SERVICE`` (federation: the store would call any URL a client names, a server-side request
forgery) is refused in every form, and with updates enabled ``LOAD`` is refused unless its IRI is
in an explicit allow-list.  The judge is rdflib's SPARQL 1.1 parser: the query is parsed and the
parse tree searched for ``ServiceGraphPattern`` / ``Load`` nodes, wherever they sit (subqueries,
``EXISTS``, ``MINUS``, ``OPTIONAL``, ``GRAPH``, ...), whatever the endpoint is (IRI, prefixed name,
variable), with or without ``SILENT``.

Parsing costs milliseconds, so it only runs when it can matter: a SPARQL keyword is ASCII letters,
possibly written with ``\\u`` escapes (which SPARQL expands before parsing) and in any case; a text
that, once escapes are expanded and it is NFKC-normalised and case-folded (a superset of every way
to spell the keyword), does not contain ``service`` cannot hold a SERVICE clause.  Every other text
is parsed, once: the verdicts of the last 4,096 texts parsed (up to 16 KiB each) are kept (same text,
same parse tree).  Before parsing, carriage returns become line feeds: SPARQL ends a comment at either,
rdflib's grammar only at a line feed, and the difference must never hide a clause from the judge.

The executors that run queries are started without network access as a second line (see
:mod:`.executor`), but this check is the policy: a refused query gets 403 and never runs.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from .backend import QueryFailed

# rdflib's SPARQL parser (a third of the server's start-up in imports) is imported by the first
# text that needs parsing, not when the server starts: most queries never need it.

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _expand_escapes(text: str) -> str:
    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)
    return _ESCAPE.sub(one, text)


def _mentions(text: str, word: str) -> bool:
    """Whether ``word`` could be spelled in ``text`` (escapes expanded, NFKC, case-folded)."""
    if text.isascii() and "\\" not in text:  # NFKC and case folding of ASCII is lower()
        return word in text.lower()
    folded = unicodedata.normalize("NFKC", _expand_escapes(text)).casefold()
    return word in folded


def _walk(node):
    """Every CompValue in an rdflib parse tree, depth first."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (ParseResults, list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def _parse(kind: str, text: str):
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    checked = text.replace("\r", "\n")
    try:
        return parseQuery(checked) if kind == "query" else parseUpdate(checked)
    except ParseException as error:
        raise QueryFailed(f"malformed {kind}: line {error.lineno}, column {error.col}: {error.msg}",
                          status=400) from None


_KEPT_TEXT = 16 << 10  # longer texts are parsed each time, not kept


@functools.lru_cache(maxsize=4096)
def _has_service(text: str) -> bool:
    """Whether the parsed query holds a SERVICE clause.  The same text always parses to the same
    tree, so the verdict is kept for the most recent texts (a malformed one raises, and is parsed
    again the next time)."""
    return any(node.name == "ServiceGraphPattern" for node in _walk(_parse("query", text)))


@dataclass(frozen=True)
class Policy:
    """The endpoint's refusals: ``allow_service`` lifts the SERVICE ban, ``load_allowed`` lists LOAD IRIs."""

    allow_service: bool = False
    load_allowed: frozenset[str] = field(default_factory=frozenset)

    def check_query(self, text: str) -> None:
        """Raise :class:`QueryFailed` (403) if the query may not run here."""
        if self.allow_service or not _mentions(text, "service"):
            return
        if (_has_service(text) if len(text) <= _KEPT_TEXT else _has_service.__wrapped__(text)):
            raise QueryFailed("federated queries (SERVICE) are refused by this endpoint", status=403)

    def check_update(self, text: str) -> UpdateShape:
        """Raise :class:`QueryFailed` (403) for SERVICE or a LOAD not allowed; describe the update."""
        from rdflib.plugins.sparql.parserutils import CompValue
        from rdflib.term import URIRef

        tree = _parse("update", text)
        shape = UpdateShape()
        prefixes: dict[str, str] = {}
        for node in _walk(tree):
            if node.name == "PrefixDecl":
                prefixes[str(node["prefix"]) if "prefix" in node else ""] = str(node["iri"])
            elif node.name == "ServiceGraphPattern" and not self.allow_service:
                raise QueryFailed("federated queries (SERVICE) are refused by this endpoint", status=403)
            elif node.name == "Modify":
                shape.has_dataset_clause |= "withClause" in node or bool(node["using"] if "using" in node else None)
        for node in _walk(tree):
            if node.name == "Load":
                iri = node["iri"]
                if isinstance(iri, CompValue) and iri.name == "pname":
                    prefix = str(iri["prefix"]) if "prefix" in iri else ""
                    local = str(iri["localname"]) if "localname" in iri else ""
                    iri = URIRef(prefixes[prefix] + local) if prefix in prefixes else None
                if not (isinstance(iri, URIRef) and str(iri) in self.load_allowed):
                    raise QueryFailed("LOAD is refused by this endpoint" + (
                        " for this IRI (allowed: " + ", ".join(sorted(self.load_allowed)) + ")"
                        if self.load_allowed else " (start kgpub serve with --allow-load IRI)"), status=403)
        return shape


@dataclass
class UpdateShape:
    """What the protocol layer needs to know about an accepted update."""

    has_dataset_clause: bool = False  # a WITH or USING clause: conflicts with using-graph-uri


__all__ = ["Policy", "UpdateShape"]
