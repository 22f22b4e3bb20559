"""Shared by the readers: identifier checking with a diagnostic."""

from __future__ import annotations

from ...diagnostics import DiagnosticLog
from ...errors import IdentifierError
from ...identifiers import Identifiers
from ..model import LexiconSource


def curie(text: str, source: LexiconSource, ids: Identifiers, log: DiagnosticLog, line: int | None, *, prefix: str | None = None) -> str | None:
    """``text`` as a normalised CURIE (``prefix`` for bare local ids), or ``None`` after an error naming file:line."""
    try:
        default = prefix or source.prefix
        return ids.parse(text, default_prefix=default).curie if default else ids.parse(text).curie
    except IdentifierError as error:
        log.error(str(source.path), line, f"{error}; entry skipped", code="lexicon")
        return None
