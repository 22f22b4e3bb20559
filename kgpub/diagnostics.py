"""Diagnostics: one line per problem, each naming its input as ``path:line: message``.

The same message for the same cause (same file, severity, message and code) is kept
once, with a count and the lines it occurred on:
``gene/x.md:12: error: unknown relation key 'FOO' (3 times: lines 12, 14, 20)``.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import IO, Iterable, Iterator

from .errors import InputError


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem with one input.  ``str()`` gives ``path:line: severity: message``."""

    path: str
    line: int | None
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""
    #: How many times this message was given for this file, and on which lines (first included).
    count: int = field(default=1, compare=False)
    lines: tuple[int, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        if self.count > 1:
            shown = ", ".join(map(str, self.lines[:MAX_LINES_SHOWN])) + (", ..." if len(self.lines) > MAX_LINES_SHOWN else "")
            text += f" ({self.count} times" + (f": lines {shown})" if self.lines else ")")
        return text

    def github(self) -> str:
        """The GitHub Actions workflow command of this diagnostic (an annotation on the file and line)."""
        kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[self.severity]
        where = f"file={_escape_property(self.path)}" + (f",line={self.line}" if self.line else "")
        message = str(self).split(f": {self.severity.value}: ", 1)[1]
        return f"::{kind} {where}::{_escape_data(message)}"

    def key(self) -> tuple[str, Severity, str, str]:
        return (self.path, self.severity, self.message, self.code)


#: Lines listed after a repeated diagnostic.
MAX_LINES_SHOWN = 10


def _escape_data(text: str) -> str:
    """GitHub workflow-command escaping of a message (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")

    @classmethod
    def from_error(cls, error: InputError, *, code: str = "") -> "Diagnostic":
        return cls(error.path or "<input>", error.line, error.message, Severity.ERROR, code)


@dataclass
class DiagnosticLog:
    """Collects diagnostics of a run; optionally echoes each to a stream as it comes."""

    stream: IO[str] | None = None
    items: list[Diagnostic] = field(default_factory=list)
    _seen: dict[tuple, int] = field(default_factory=dict, repr=False)

    def add(self, diagnostic: Diagnostic) -> None:
        """Keep ``diagnostic``; a repeat of one already kept only raises its count (and is not echoed)."""
        key = diagnostic.key()
        at = self._seen.get(key)
        if at is not None:
            first = self.items[at]
            lines = first.lines + ((diagnostic.line,) if diagnostic.line and diagnostic.line not in first.lines else ())
            self.items[at] = replace(first, count=first.count + diagnostic.count, lines=lines)
            return
        if diagnostic.line and not diagnostic.lines:
            diagnostic = replace(diagnostic, lines=(diagnostic.line,))
        self._seen[key] = len(self.items)
        self.items.append(diagnostic)
        if self.stream is not None:
            print(diagnostic, file=self.stream)

    def render(self, form: str = "text") -> list[str]:
        """Every kept diagnostic in file and line order, as text lines or GitHub annotations (``form="github"``)."""
        ordered = sorted(self.items, key=lambda d: (d.path, d.line or 0, d.message))
        return [d.github() if form == "github" else str(d) for d in ordered]

    def error(self, path: str, line: int | None, message: str, code: str = "") -> None:
        self.add(Diagnostic(str(path), line, message, Severity.ERROR, code))

    def warning(self, path: str, line: int | None, message: str, code: str = "") -> None:
        self.add(Diagnostic(str(path), line, message, Severity.WARNING, code))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def counts(self) -> Counter:
        return Counter(d.severity.value for d in self.items)


def stderr_log() -> DiagnosticLog:
    return DiagnosticLog(stream=sys.stderr)
