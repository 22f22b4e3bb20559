"""Typed records for garden notes as read from disk (before any mapping).

A :class:`Note` is what ``sources/garden.py`` produces for every file of the
garden: front matter (with the line of each key), body text and where it
starts.  Readers of each note kind (entity notes, reference notes, articles)
take a ``Note`` and produce their own records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Front-matter keys that set a note's permalink, strongest first.
PERMALINK_KEYS = ("dg-permalink", "permalink")


@dataclass(frozen=True)
class Location:
    """Where something was read: a file (relative to the garden) and a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Note:
    """One garden file, split into front matter and body.

    ``relpath`` is the POSIX path relative to the garden folder and is what
    diagnostics and provenance (``kgo:sourcePath``) show.  ``front_matter`` is
    ``{}`` for files without a YAML block; ``key_lines`` maps each top-level key
    to its line in the file.  ``body_line`` is the file line on which ``body``
    starts, so a body offset converts to a file line.  ``body_format`` is
    ``"html"`` (published form, ``{% raw %}`` block), ``"markdown"`` or ``"text"``.
    """

    path: Path
    relpath: str
    front_matter: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int
    body_format: str
    has_front_matter: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    #: Top-level front-matter keys given more than once, with every line (YAML keeps the last value).
    duplicate_keys: dict[str, list[int]] = field(default_factory=dict)
    #: Front-matter keys whose value the reader refused (e.g. a permalink with no path), not used.
    refused_keys: frozenset[str] = frozenset()

    # Front-matter conveniences (``None`` when absent or not a string).
    def _str(self, key: str) -> str | None:
        value = self.front_matter.get(key)
        if value is None:
            return None
        return str(value).strip() or None

    @property
    def type(self) -> str | None:
        return self._str("type")

    @property
    def title(self) -> str | None:
        return self._str("title")

    @property
    def slug(self) -> str | None:
        return self._str("slug")

    @property
    def permalink_key(self) -> str | None:
        """The front-matter key the permalink comes from: ``dg-permalink`` (the Digital Garden
        plugin's, which it publishes as ``permalink``) before ``permalink``."""
        for key in PERMALINK_KEYS:
            if key not in self.refused_keys and self._str(key):
                return key
        return None

    @property
    def permalink(self) -> str | None:
        key = self.permalink_key
        return self._str(key) if key else None

    def location(self, key: str | None = None) -> Location:
        """The location of front-matter ``key`` (or of the file)."""
        return Location(self.relpath, self.key_lines.get(key) if key else None)

    def body_location(self, offset: int) -> Location:
        """The file location of character ``offset`` in ``body``."""
        return Location(self.relpath, self.body_line + self.body.count("\n", 0, offset))
