"""Diagnostics: one line per problem, each naming its input as ``path:line: message``."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
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

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.value}: {self.message}"

    @classmethod
    def from_error(cls, error: InputError, *, code: str = "") -> "Diagnostic":
        return cls(error.path or "<input>", error.line, error.message, Severity.ERROR, code)


@dataclass
class DiagnosticLog:
    """Collects diagnostics of a run; optionally echoes each to a stream as it comes."""

    stream: IO[str] | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)
        if self.stream is not None:
            print(diagnostic, file=self.stream)

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
