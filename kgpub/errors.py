"""The kgpub exception tree.

Everything kgpub raises on purpose derives from :class:`KgpubError`.  Errors
about one input (a note, a CSV row, an HTTP response) carry its location so a
caller can report ``path:line: message`` and go on with the rest of the work.
Non-conformance to SHACL shapes is *not* an exception: it is a report.
"""

from __future__ import annotations

from pathlib import Path


class KgpubError(Exception):
    """Base class of every error kgpub raises on purpose."""


class ConfigError(KgpubError):
    """Bad options, or data files (ontology/, mappings/, shapes/) that cannot be used."""


class MappingError(ConfigError):
    """A mapping table is malformed: names the table and the row."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        where = f"{self.path}:{line}: " if self.path and line else (f"{self.path}: " if self.path else "")
        super().__init__(f"{where}{message}")


class InputError(KgpubError):
    """One input item is unusable; the rest of the work goes on.

    ``path`` and ``line`` say where (``line`` is 1-based, or ``None`` when the
    whole file is at fault).
    """

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.location_prefix() + message)

    def location_prefix(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}: " if self.line else f"{self.path}: "


class NoteError(InputError):
    """A garden note could not be read (YAML, encoding, size, unknown type...)."""


class RowError(InputError):
    """A row of a bulk file (PrimeKG CSV) could not be used."""


class IdentifierError(KgpubError):
    """A CURIE or local identifier is unknown to bioregistry or does not match its pattern."""


class StoreError(KgpubError):
    """A store or SPARQL endpoint failed."""


class EndpointError(StoreError):
    """A remote endpoint answered with an error; ``status`` is the HTTP status if any."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False):
        self.status = status
        self.retryable = retryable
        super().__init__(message)


class PushError(StoreError):
    """A push could not complete; the previous remote version stays in place."""


class UnsupportedShape(ConfigError):
    """A SHACL shape uses a construct the compiled (SPARQL) engine does not implement.

    ``shape`` names the shape, ``construct`` the SHACL term; callers may fall back to pyshacl.
    """

    def __init__(self, message: str, *, shape: str | None = None, construct: str | None = None):
        self.shape = shape
        self.construct = construct
        super().__init__(message)
