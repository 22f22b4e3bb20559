"""The protocol's dataset parameters, checked and applied.

Queries take ``default-graph-uri`` / ``named-graph-uri`` as pyoxigraph options.  Updates take
``using-graph-uri`` / ``using-named-graph-uri``, which pyoxigraph's ``update`` has no option for:
SPARQL 1.1 Protocol section 2.2.3 says they act as ``USING`` / ``USING NAMED`` clauses of every
operation with a ``WHERE``, so they are written in as such, just before each top-level ``WHERE``
of the (already parsed and accepted, see :mod:`.policy`) update, except ``DELETE WHERE`` which
takes no ``USING``.  The update that results is parsed again by the store, so a misplaced clause
is a 400, never a silent change of meaning.
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from .backend import QueryFailed

# Tokens that can hide braces or the word WHERE: strings (4 forms), IRIs, comments; then words and braces.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*'
    r'|[A-Za-z_][A-Za-z0-9_]*|[{}]', re.S)


def graph_iris(values: list[str], parameter: str) -> list[NamedNode]:
    """The IRIs of a dataset parameter, or 400 naming the parameter and the bad value."""
    nodes = []
    for value in values:
        try:
            nodes.append(NamedNode(value))
        except ValueError as error:
            raise QueryFailed(f"{parameter}: {value!r} is not an absolute IRI ({error})", status=400) from None
    return nodes


def with_using(update: str, using: list[str], using_named: list[str]) -> str:
    """``update`` with ``USING <g>`` / ``USING NAMED <g>`` before each top-level ``WHERE`` of a Modify."""
    clauses = "".join(f" USING <{g}>" for g in using) + "".join(f" USING NAMED <{g}>" for g in using_named)
    if not clauses:
        return update
    out, depth, last, previous = [], 0, 0, ""
    for token in _TOKEN.finditer(update):
        word = token.group(0)
        if word == "{":
            depth += 1
        elif word == "}":
            depth -= 1
        elif depth == 0 and word.upper() == "WHERE" and previous != "DELETE":
            out.append(update[last:token.start()])
            out.append(clauses.lstrip() + " ")
            last = token.start()
        if not word.startswith("#"):
            previous = word.upper()
    out.append(update[last:])
    return "".join(out)


__all__ = ["graph_iris", "with_using"]
