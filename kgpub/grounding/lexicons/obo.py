"""OBO flat files (GO, MONDO, HP, UBERON, ChEBI...) read with fastobo: ``name`` and EXACT/RELATED
synonyms of each term; obsolete terms are skipped.  A syntax error stops the file at that line
(reported as ``file:line``); the terms before it are kept."""

from __future__ import annotations

import fastobo

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ..model import LexiconEntry, LexiconSource, Name
from .common import curie

_SCOPES = {"EXACT": "synonym", "RELATED": "synonym"}


def read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    entries: list[LexiconEntry] = []
    try:
        frames = fastobo.iter(str(source.path))
        for number, frame in enumerate(frames, start=1):
            if not isinstance(frame, fastobo.term.TermFrame):
                continue
            label, namespace, obsolete, names = "", None, False, []
            for clause in frame:
                if isinstance(clause, fastobo.term.NameClause):
                    label = str(clause.name)
                elif isinstance(clause, fastobo.term.NamespaceClause):
                    namespace = str(clause.namespace)
                elif isinstance(clause, fastobo.term.IsObsoleteClause):
                    obsolete = bool(clause.obsolete)
                elif isinstance(clause, fastobo.term.SynonymClause) and clause.synonym.scope in _SCOPES:
                    names.append(Name(str(clause.synonym.desc), _SCOPES[clause.synonym.scope]))
            if obsolete or not label:
                continue
            identifier = curie(str(frame.id), source, ids, log, None)
            if identifier is not None:
                entries.append(LexiconEntry((identifier,), label, (Name(label, "label"), *names), source.name, number, namespace))
    except SyntaxError as error:
        log.error(str(source.path), error.lineno, f"OBO syntax error: {error.msg}; the rest of the file is skipped", code="lexicon")
    except (OSError, ValueError) as error:
        log.error(str(source.path), None, f"cannot read OBO file: {error}; lexicon skipped", code="lexicon")
    return entries
