"""OBO flat files (GO, MONDO, HP, UBERON, ChEBI...) read with fastobo: ``name`` and EXACT/RELATED
synonyms of each term.  An obsolete term with one ``replaced_by`` is followed: its name (without the
``obsolete`` prefix OBO editors give it) and synonyms become synonyms of the replacement, which OBO
declares the same class; one without ``replaced_by`` (none, or ``consider`` suggestions only) is skipped.
A syntax error stops the file at that line (reported as ``file:line``); the terms before it are kept."""

from __future__ import annotations

from dataclasses import dataclass, field

import fastobo

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ..model import LexiconEntry, LexiconSource, Name
from .common import curie

_SCOPES = {"EXACT": "synonym", "RELATED": "synonym"}
_OBSOLETE_PREFIX = "obsolete "


@dataclass
class _Term:
    id: str
    number: int
    label: str = ""
    namespace: str | None = None
    obsolete: bool = False
    names: list[Name] = field(default_factory=list)
    replaced_by: list[str] = field(default_factory=list)


def _terms(source: LexiconSource, log: DiagnosticLog) -> list[_Term]:
    terms: list[_Term] = []
    try:
        for number, frame in enumerate(fastobo.iter(str(source.path)), start=1):
            if not isinstance(frame, fastobo.term.TermFrame):
                continue
            term = _Term(str(frame.id), number)
            for clause in frame:
                if isinstance(clause, fastobo.term.NameClause):
                    term.label = str(clause.name)
                elif isinstance(clause, fastobo.term.NamespaceClause):
                    term.namespace = str(clause.namespace)
                elif isinstance(clause, fastobo.term.IsObsoleteClause):
                    term.obsolete = bool(clause.obsolete)
                elif isinstance(clause, fastobo.term.ReplacedByClause):
                    term.replaced_by.append(str(clause.term))
                elif isinstance(clause, fastobo.term.SynonymClause) and clause.synonym.scope in _SCOPES:
                    term.names.append(Name(str(clause.synonym.desc), _SCOPES[clause.synonym.scope]))
            terms.append(term)
    except SyntaxError as error:
        log.error(str(source.path), error.lineno, f"OBO syntax error: {error.msg}; the rest of the file is skipped", code="lexicon")
    except (OSError, ValueError) as error:
        log.error(str(source.path), None, f"cannot read OBO file: {error}; lexicon skipped", code="lexicon")
    return terms


def read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    terms = _terms(source, log)
    current = {t.id: t for t in terms if not t.obsolete and t.label}
    entries: list[LexiconEntry] = []
    for term in terms:
        if term.obsolete:
            if len(term.replaced_by) != 1:
                continue  # no replacement, or several: nothing to follow
            target = current.get(term.replaced_by[0])
            identifier = curie(term.replaced_by[0], source, ids, log, None)
            old = term.label[len(_OBSOLETE_PREFIX):] if term.label.lower().startswith(_OBSOLETE_PREFIX) else term.label
            names = tuple(Name(n.text, "synonym") for n in (Name(old, "synonym"), *term.names) if n.text)
            if identifier is not None and names:
                entries.append(LexiconEntry((identifier,), target.label if target else old, names, source.name, term.number,
                                            target.namespace if target else term.namespace))
            continue
        if not term.label:
            continue
        identifier = curie(term.id, source, ids, log, None)
        if identifier is not None:
            entries.append(LexiconEntry((identifier,), term.label, (Name(term.label, "label"), *term.names), source.name, term.number, term.namespace))
    return entries
