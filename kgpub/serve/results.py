"""SPARQL results documents written a row at a time, so an answer can stop at any row and still close.

pyoxigraph serialises a whole ``QuerySolutions`` in one call, which cannot be stopped between two
rows; these writers produce the same four formats row by row, as the W3C specifications define
them: SPARQL 1.1 Query Results JSON Format (https://www.w3.org/TR/sparql11-results-json/), XML
Format (https://www.w3.org/TR/rdf-sparql-XMLres/) and CSV and TSV Formats
(https://www.w3.org/TR/sparql11-results-csv-tsv/).  Each writer gives the document's head, one
row, and its tail; the tail of an answer that was cut carries a note where the format allows one
(an XML comment; JSON, CSV and TSV have no place for it, see docs/sparql.md).
"""

from __future__ import annotations

from json.encoder import encode_basestring as _string  # a JSON string, non-ASCII kept as is
from typing import Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolution, Triple, Variable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def escape(text: str) -> str:
    """XML character data: markup characters as entities, and CR (a raw CR would be read back as LF)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\r", "&#13;"))


def quoteattr(text: str) -> str:
    """An XML attribute value, quoted (xml.sax.saxutils's rules; that module imports urllib.request
    and http.client, two thirds of an executor's imports)."""
    return '"' + escape(text).replace("\n", "&#10;").replace("\t", "&#9;") + '"'


class ResultsWriter(Protocol):
    def head(self, variables: list[Variable]) -> bytes: ...

    def row(self, solution: QuerySolution) -> bytes: ...

    def tail(self, note: str | None) -> bytes: ...

    def boolean(self, value: bool) -> bytes: ...


def _json_term(term) -> str:
    if isinstance(term, NamedNode):
        return '{"type":"uri","value":' + _string(term.value) + "}"
    if isinstance(term, BlankNode):
        return '{"type":"bnode","value":' + _string(term.value) + "}"
    if isinstance(term, Literal):
        if term.language:
            extra = ',"xml:lang":' + _string(term.language)
        elif term.datatype.value != XSD_STRING:
            extra = ',"datatype":' + _string(term.datatype.value)
        else:
            extra = ""
        return '{"type":"literal","value":' + _string(term.value) + extra + "}"
    if isinstance(term, Triple):
        return ('{"type":"triple","value":{"subject":' + _json_term(term.subject) + ',"predicate":'
                + _json_term(term.predicate) + ',"object":' + _json_term(term.object) + "}}")
    raise TypeError(f"not an RDF term: {term!r}")


class _Memo:
    """Encodings of the most recent terms (IRIs and short values repeat from row to row)."""

    def __init__(self, encode, size: int = 8192):
        self.encode, self.size, self.known = encode, size, {}

    def __call__(self, term) -> str:
        text = self.known.get(term)
        if text is None:
            if len(self.known) >= self.size:
                self.known.clear()
            text = self.known[term] = self.encode(term)
        return text


class JsonWriter:
    def __init__(self) -> None:
        self.keys: list[str] = []
        self.rows = 0
        self.term = _Memo(_json_term)

    def head(self, variables: list[Variable]) -> bytes:
        names = [v.value for v in variables]
        self.keys = [_string(n) + ":" for n in names]
        return b'{"head":{"vars":[' + ",".join(_string(n) for n in names).encode() + b']},"results":{"bindings":['

    def row(self, solution: QuerySolution) -> bytes:
        term = self.term
        text = "{" + ",".join(k + term(t) for k, t in zip(self.keys, solution) if t is not None) + "}"
        self.rows += 1
        return (b"," if self.rows > 1 else b"") + text.encode()

    def tail(self, note: str | None) -> bytes:
        return b"]}}"  # pyoxigraph's parser refuses any member after the bindings: no room for a note

    def boolean(self, value: bool) -> bytes:
        return b'{"head":{},"boolean":' + (b"true" if value else b"false") + b"}"


def _xml_term(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attribute = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attribute = ""
        return f"<literal{attribute}>{escape(term.value)}</literal>"
    if isinstance(term, Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def xml_comment(note: str) -> str:
    return "<!-- kgpub: " + note.replace("--", "- -") + " -->"


class XmlWriter:
    _START = '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'

    def __init__(self) -> None:
        self.names: list[str] = []
        self.term = _Memo(_xml_term)

    def head(self, variables: list[Variable]) -> bytes:
        self.names = [v.value for v in variables]
        self.opens = [f"<binding name={quoteattr(n)}>" for n in self.names]
        heads = "".join(f"<variable name={quoteattr(n)}/>" for n in self.names)
        return f"{self._START}<head>{heads}</head><results>".encode()

    def row(self, solution: QuerySolution) -> bytes:
        term = self.term
        bindings = "".join(o + term(t) + "</binding>" for o, t in zip(self.opens, solution) if t is not None)
        return f"<result>{bindings}</result>".encode()

    def tail(self, note: str | None) -> bytes:
        return b"</results>" + (xml_comment(note).encode() if note else b"") + b"</sparql>"

    def boolean(self, value: bool) -> bytes:
        return f"{self._START}<head></head><boolean>{'true' if value else 'false'}</boolean></sparql>".encode()


def _csv_field(term) -> str:
    if term is None:
        text = ""
    elif isinstance(term, BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, (NamedNode, Literal)):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvWriter:
    def head(self, variables: list[Variable]) -> bytes:
        return (",".join(_csv_field(Literal(v.value)) for v in variables) + "\r\n").encode()

    def row(self, solution: QuerySolution) -> bytes:
        return (",".join(_csv_field(t) for t in solution) + "\r\n").encode()

    def tail(self, note: str | None) -> bytes:
        return b""

    def boolean(self, value: bool) -> bytes:
        return b"true" if value else b"false"


class TsvWriter:
    def head(self, variables: list[Variable]) -> bytes:
        return ("\t".join(str(v) for v in variables) + "\n").encode()

    def row(self, solution: QuerySolution) -> bytes:
        # terms in their N-Triples form (a subset of Turtle's), which escapes tabs and line breaks
        return ("\t".join("" if t is None else str(t) for t in solution) + "\n").encode()

    def tail(self, note: str | None) -> bytes:
        return b""

    def boolean(self, value: bool) -> bytes:
        return b"true" if value else b"false"


WRITERS = {"json": JsonWriter, "xml": XmlWriter, "csv": CsvWriter, "tsv": TsvWriter}

__all__ = ["WRITERS", "ResultsWriter", "xml_comment"]
