"""SPARQL text for compiled SHACL checks, and the value tests SPARQL cannot do exactly.

:func:`render` turns a :class:`~kgpub.validate.compiled.Check` into a SELECT
query whose rows are ``?focus`` (and ``?value`` for value constraints): each
row is a result candidate, and a result when :attr:`Query.keep` (if any)
accepts its value.  ``classes(C)`` gives the class IRIs whose ``rdf:type``
makes a SHACL instance of ``C`` (``C`` and its ``rdfs:subClassOf*``
subclasses in the store), so queries need no property paths.

Python does what must match pyshacl to the letter: ``sh:pattern`` (Python
``re``, as pyshacl) and ``sh:datatype`` of XSD types other than xsd:string
(rdflib's ill-typed literal test).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from .compiled import Check, Constraint, Path, Pattern, Target, _checked_in_python

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SH = "http://www.w3.org/ns/shacl#"
_NODE_KIND_FAILS = {
    f"<{_SH}IRI>": "!isIRI({v})",
    f"<{_SH}Literal>": "!isLiteral({v})",
    f"<{_SH}BlankNode>": "!isBlank({v})",
    f"<{_SH}BlankNodeOrIRI>": "isLiteral({v})",
    f"<{_SH}BlankNodeOrLiteral>": "isIRI({v})",
    f"<{_SH}IRIOrLiteral>": "isBlank({v})",
}
_RDFS_LITERAL = "<http://www.w3.org/2000/01/rdf-schema#Literal>"
_RDFS_DATATYPE = "<http://www.w3.org/2000/01/rdf-schema#Datatype>"
_LANG_STRING = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>"
_XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"

Classes = Callable[[str], Sequence[str]]

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
WRAPPED_XSD = "urn:kgpub:validate:xsd:"  # how compiled_store keeps XSD literals verbatim in pyoxigraph


def stored(nt: str) -> str:
    """A term as written in the store: XSD-typed literals (not xsd:string) get the wrapped datatype."""
    if nt.startswith('"') and f"^^<{XSD_NS}" in nt and not nt.endswith(f"^^<{XSD_NS}string>"):
        return nt.replace(f"^^<{XSD_NS}", f"^^<{WRAPPED_XSD}")
    return nt


def _native(v: str) -> str:
    """SPARQL expression: the value of ``v`` with a wrapped XSD datatype turned back into the XSD one."""
    return (f'IF(isLiteral({v}) && STRSTARTS(STR(DATATYPE({v})), "{WRAPPED_XSD}"), '
            f'STRDT(STR({v}), IRI(CONCAT("{XSD_NS}", STRAFTER(STR(DATATYPE({v})), "{WRAPPED_XSD}")))), {v})')


@dataclass(frozen=True)
class Query:
    check: Check
    sparql: str
    has_value: bool  # rows carry ?value (else the result has no sh:value, or the value is the focus)
    keep: Callable[[object], bool] | None = None  # Python test on the value term: is it a result?
    distinct: bool = False  # rows carry ?distinct: results equal but for it are distinct results (sh:uniqueLang...)
    result_path: bool = False  # rows carry ?rpath, the result's sh:resultPath (sh:closed)


def render(check: Check, classes: Classes) -> Query:
    c = check.constraint
    if c.kind in ("minCount", "maxCount"):
        return Query(check, _cardinality(check, classes), has_value=False)
    if c.kind == "hasValue":
        if check.path is None:
            q = f"SELECT ?focus WHERE {{ {_focus(check.targets, classes)} FILTER(!sameTerm(?focus, {stored(str(c.value))})) }}"
        else:
            q = (f"SELECT ?focus WHERE {{ {_focus(check.targets, classes)} "
                 f"FILTER NOT EXISTS {{ {_step(check.path, '?focus', stored(str(c.value)))} }} }}")
        return Query(check, q, has_value=False)
    if c.kind == "uniqueLang":
        return Query(check, _unique_lang(check, classes), has_value=False, distinct=True)
    if c.kind in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
        return _pair(check, classes)
    if c.kind == "closed":
        q = (f"SELECT ?focus ?value ?rpath WHERE {{ {_focus(check.targets, classes)} ?focus ?rpath ?value . "
             f"FILTER(?rpath NOT IN ({', '.join(c.value) or '<urn:kgpub:none>'})) }}")  # type: ignore[arg-type]
        return Query(check, q, has_value=True, result_path=True)
    keep: Callable[[object], bool] | None = None
    if c.kind == "pattern":
        cond, keep = "", _pattern_test(c.value)  # type: ignore[arg-type]
    elif c.kind == "datatype" and _checked_in_python(c.value):  # type: ignore[arg-type]
        cond, keep = "", _datatype_test(c.value)  # type: ignore[arg-type]
    else:
        cond = f"FILTER({fails(c, '?value', classes)})"
    if check.path is None:
        body = f"{_focus(check.targets, classes)} BIND(?focus AS ?value) {cond}"
    elif _implied(check.targets, check.path):
        body = f"{_step(check.path, '?focus', '?value')} {cond}"
    else:
        body = f"{_focus(check.targets, classes)} {_step(check.path, '?focus', '?value')} {cond}"
    return Query(check, f"SELECT ?focus ?value WHERE {{ {body} }}", has_value=True, keep=keep)


def fails(c: Constraint, v: str, classes: Classes) -> str:
    """A SPARQL boolean expression: the value ``v`` does not meet the value constraint ``c``."""
    if c.kind == "class":
        return f"NOT EXISTS {{ {_instance(v, str(c.value), classes, 't_')} }}"
    if c.kind == "nodeKind":
        return _NODE_KIND_FAILS[str(c.value)].format(v=v)
    if c.kind == "datatype":
        if c.value == _RDFS_LITERAL:
            return f"!isLiteral({v})"
        if c.value == _RDFS_DATATYPE:
            return f"(!isLiteral({v}) || datatype({v}) IN ({_XSD_STRING}, {_LANG_STRING}))"
        if c.value == _LANG_STRING:
            return f"(!isLiteral({v}) || lang({v}) = \"\")"
        return f"(!isLiteral({v}) || datatype({v}) != {stored_datatype(str(c.value))})"
    if c.kind == "in":
        members = " || ".join(f"sameTerm({v}, {stored(m)})" for m in c.value) or "false"  # type: ignore[union-attr]
        return f"!({members})"
    if c.kind == "hasValue":
        return f"!sameTerm({v}, {stored(str(c.value))})"
    if c.kind in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
        op = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[c.kind]
        return f"COALESCE(!({_native(v)} {op} {c.value}), true)"
    if c.kind == "minLength":
        return f"(isBlank({v}) || STRLEN(STR({v})) < {c.value})"
    if c.kind == "maxLength":
        return f"(isBlank({v}) || STRLEN(STR({v})) > {c.value})"
    if c.kind == "languageIn":
        tests = " || ".join(f"langMatches(lang({v}), {_string(tag)})" for tag in c.value) or "false"  # type: ignore[union-attr]
        return f"(!isLiteral({v}) || !({tests}))"
    if c.kind == "not":
        inner = [f"!({fails(k, v, classes)})" for k in c.value]  # type: ignore[union-attr]
        return "(" + (" && ".join(inner) or "true") + ")"
    raise ValueError(f"no SPARQL test for {c.kind}")


def stored_datatype(nt: str) -> str:
    if nt.startswith(f"<{XSD_NS}") and nt != f"<{XSD_NS}string>":
        return f"<{WRAPPED_XSD}{nt[len(XSD_NS) + 1:]}"
    return nt


def _instance(v: str, cls: str, classes: Classes, var: str) -> str:
    subclasses = [c for c in classes(cls) if c.startswith("<")]
    if len(subclasses) == 1:
        return f"{v} {_RDF_TYPE} {subclasses[0]} ."
    if len(subclasses) == len(classes(cls)):
        return f"VALUES ?{var}c {{ {' '.join(subclasses)} }} {v} {_RDF_TYPE} ?{var}c ."
    return f"{v} {_RDF_TYPE}/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {cls} ."  # blank subclasses


def _target(t: Target, classes: Classes, i: int) -> str:
    if t.kind == "class":
        return _instance("?focus", t.term, classes, f"g{i}")
    if t.kind == "node":
        return f"VALUES ?focus {{ {stored(t.term)} }}"
    if t.kind == "subjectsOf":
        return f"?focus {t.term} ?o{i} ."
    return f"?s{i} {t.term} ?focus ."


def _focus(targets: Sequence[Target], classes: Classes) -> str:
    """A sub-select of the distinct focus nodes of ``targets``; the instances of one class without
    subclasses are one triple pattern (the store holds a triple once: each focus node is one row),
    which the query joins with the checked values without collecting them first."""
    if len(targets) == 1 and targets[0].kind == "class":
        pattern = _instance("?focus", targets[0].term, classes, "g0")
        if pattern.startswith(f"?focus {_RDF_TYPE} <") and pattern.count(" ") == 3:  # ?focus rdf:type <C> .
            return f"{{ {pattern} }}"
    union = " UNION ".join(f"{{ {_target(t, classes, i)} }}" for i, t in enumerate(targets))
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {union} }} }}"


def _implied(targets: Sequence[Target], path: Path) -> bool:
    """True when every node with a value on ``path`` is a focus node (so no target pattern is needed)."""
    kind = "objectsOf" if path.inverse else "subjectsOf"
    return any(t.kind == kind and t.term == path.predicate for t in targets)


def _step(path: Path, focus: str, value: str) -> str:
    if path.text is not None:
        return f"{focus} {path.text} {value} ."
    return f"{value} {path.predicate} {focus} ." if path.inverse else f"{focus} {path.predicate} {value} ."


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unique_lang(check: Check, classes: Classes) -> str:
    """One row per (focus, language tag) that more than one value node uses."""
    assert check.path is not None
    inner = (f"{_focus(check.targets, classes)} {_step(check.path, '?focus', '?v')} "
             f"BIND(LCASE(LANG(?v)) AS ?distinct) FILTER(?distinct != \"\")")
    return (f"SELECT ?focus ?distinct WHERE {{ {{ SELECT ?focus ?distinct (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {inner} }} "
            f"GROUP BY ?focus ?distinct }} FILTER(?n > 1) }}")


def _pair(check: Check, classes: Classes) -> Query:
    """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals: value nodes against the values of a property."""
    c = check.constraint
    other = str(c.value)
    focus = _focus(check.targets, classes)
    values = (f"{_step(check.path, '?focus', '?value')}" if check.path is not None else "BIND(?focus AS ?value)")
    if c.kind == "equals":
        if check.path is None:
            mine, not_mine = "BIND(?focus AS ?value)", "FILTER(!sameTerm(?value, ?focus))"
        else:
            mine = _step(check.path, "?focus", "?value")
            not_mine = f"FILTER NOT EXISTS {{ {mine} }}"
        q = (f"SELECT ?focus ?value WHERE {{ {{ {focus} {mine} FILTER NOT EXISTS {{ ?focus {other} ?value }} }} "
             f"UNION {{ {focus} ?focus {other} ?value {not_mine} }} }}")
        return Query(check, q, has_value=True)
    if c.kind == "disjoint":
        q = f"SELECT ?focus ?value WHERE {{ {focus} {values} ?focus {other} ?value . }}"
        return Query(check, q, has_value=True)
    op = "<" if c.kind == "lessThan" else "<="
    q = (f"SELECT ?focus ?value ?distinct WHERE {{ {focus} {values} ?focus {other} ?distinct . "
         f"FILTER(COALESCE(!({_native('?value')} {op} {_native('?distinct')}), true)) }}")
    return Query(check, q, has_value=True, distinct=True)


def _cardinality(check: Check, classes: Classes) -> str:
    c, path = check.constraint, check.path
    assert path is not None
    focus = _focus(check.targets, classes)
    if c.kind == "minCount" and c.value == 1:
        return f"SELECT ?focus WHERE {{ {focus} FILTER NOT EXISTS {{ {_step(path, '?focus', '?v')} }} }}"
    if c.kind == "maxCount" and c.value == 1:  # two distinct values: a join, cheaper than counting every focus node's
        return (f"SELECT DISTINCT ?focus WHERE {{ {focus} {_step(path, '?focus', '?v')} {_step(path, '?focus', '?w')} "
                f"FILTER(!sameTerm(?v, ?w)) }}")
    if c.kind == "minCount":
        inner = f"{focus} OPTIONAL {{ {_step(path, '?focus', '?v')} }}"
        test = f"?n < {c.value}"
    else:
        inner = f"{focus} {_step(path, '?focus', '?v')}"
        test = f"?n > {c.value}"
    return (f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {inner} }} GROUP BY ?focus }} "
            f"FILTER({test}) }}")


# -- value tests done in Python, as pyshacl does them --------------------------------

_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def _pattern_test(p: Pattern) -> Callable[[object], bool]:
    flags = 0
    for f in p.flags:
        flags |= _FLAGS.get(f, 0)
    regex = re.compile(p.regex, flags)

    def fails_pattern(term) -> bool:
        from pyoxigraph import BlankNode

        if isinstance(term, BlankNode):
            return True
        return regex.search(term.value) is None  # type: ignore[attr-defined]

    return fails_pattern


# XSD 1.1 Part 2 lexical spaces of the date/time types (sections 3.3.7-3.3.11), which rdflib
# parses leniently ("2011-01-01" is accepted as an xsd:dateTime there).
_YEAR, _MONTH, _DAY = r"-?([1-9][0-9]{3,}|0[0-9]{3})", r"(0[1-9]|1[0-2])", r"(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_LEXICAL = {
    "dateTime": f"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}",
    "date": f"{_YEAR}-{_MONTH}-{_DAY}{_TZ}",
    "time": f"{_TIME}{_TZ}",
    "gYear": f"{_YEAR}{_TZ}",
    "gYearMonth": f"{_YEAR}-{_MONTH}{_TZ}",
}


def _datatype_test(datatype_nt: str) -> Callable[[object], bool]:
    import rdflib
    from pyoxigraph import Literal

    iri = datatype_nt[1:-1]
    local = iri[len(XSD_NS):] if iri.startswith(XSD_NS) else ""
    lexical = re.compile(_LEXICAL[local]) if local in _LEXICAL else None

    verdicts: dict[str, bool] = {}  # lexical form -> fails (values such as line numbers repeat)

    def fails_datatype(term) -> bool:
        if not isinstance(term, Literal) or term.datatype.value != WRAPPED_XSD + local:
            return True
        value = term.value
        verdict = verdicts.get(value)
        if verdict is None:
            verdict = verdicts[value] = (
                (lexical is not None and lexical.fullmatch(value) is None)
                or rdflib.Literal(value, datatype=rdflib.URIRef(iri), normalize=False).ill_typed is True
            )
        return verdict

    return fails_datatype
