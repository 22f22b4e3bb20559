"""Dataview inline fields of one line of a note, as Dataview reads them.

A body reader (``markdown_body.py`` for the vault form, ``html_body.py`` for the
published HTML form) turns a note into :class:`Line` records: the line's
content as :class:`Segment` runs (text, links, code spans, emphasis markers)
and its file line.  :func:`line_fields` finds the fields of a line with the
rules of Dataview's ``extractInlineFields`` / ``extractFullLineField``
(blacksmithgu/obsidian-dataview ``src/data-import/inline-field.ts``):

* ``[key:: value]`` and ``(key:: value)`` anywhere in the line, brackets nested
  and escaped as Dataview allows; a key may not hold a bracket;
* otherwise one ``key:: value`` field for the whole line, the key stripped of
  leading punctuation and trailing ``_*~``` `` markers (``**Key**::``, ``- Key::``);
* ``::`` inside a code span or a link never separates a key, and a key never
  holds a link or code.

Keys are canonicalised as Dataview's ``canonicalizeVarName`` does (letters,
digits, ``_`` and ``-`` kept and lower-cased, runs of white space become ``-``,
anything else dropped), then written in the garden's form, upper case with
``_``: ``Inhibited by`` -> ``inhibited-by`` -> ``INHIBITED_BY``.  Besides
Dataview's ``::``, a full-width ``：：`` separates a key too (typed by
East Asian input methods; Dataview misses it and the field would vanish).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.entities import Link

#: Stand-ins for non-text segments in the masked line the field rules scan.
_LINK_MARK = "\ue000"
_CODE_MARK = "\ue001"
_MARKS = re.compile("[\ue000\ue001]")

_SEPARATOR = re.compile(r"::|\uff1a\uff1a")
_WRAPPERS = {"[": "]", "(": ")"}
_FULL_LINE_KEY = re.compile(r"[^\w]*([\w\s/-]+)[*~`]*", re.UNICODE)
_CANONICAL_PART = re.compile(r"[\w-]+|\s+", re.UNICODE)
_TASK_BOX = re.compile(r"^\s*\[.\]\s+")


@dataclass(frozen=True)
class Segment:
    """A run of a line: ``kind`` is ``text``, ``link``, ``embed``, ``code``, ``markup`` or ``broken``.

    ``text`` is the text shown (a link's label, a code span's content, the
    characters of an emphasis marker such as ``**``).  ``broken`` marks where an
    HTML ``<a>`` was left open.
    """

    kind: str
    text: str
    link: Link | None = None


@dataclass(frozen=True)
class Line:
    """One line of a note body as segments, with its 1-based file line."""

    segments: tuple[Segment, ...]
    line: int


@dataclass(frozen=True)
class Field:
    """One inline field: the key as written, its garden form, and the segments of its value."""

    raw_key: str
    key: str
    value: tuple[Segment, ...]
    line: int
    wrapped: bool


def canonical_key(raw: str) -> str:
    """Dataview's canonical variable name of ``raw`` (``"Inhibited  by"`` -> ``"inhibited-by"``)."""
    return "".join(("-" if part.isspace() else part.lower()) for part in _CANONICAL_PART.findall(raw))


def garden_key(raw: str) -> str:
    """The garden form of a key: Dataview's canonical name in upper case with ``_`` (``INHIBITED_BY``)."""
    return canonical_key(raw).replace("-", "_").upper()


def strip_task_box(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """A task item's ``[ ]`` / ``[x]`` box removed from the start of its first line."""
    if segments and segments[0].kind == "text":
        stripped = _TASK_BOX.sub("", segments[0].text, count=1)
        if stripped != segments[0].text:
            return (Segment("text", stripped), *segments[1:])
    return segments


class _Masked:
    """The line as one string (links and code as single stand-in characters) and back."""

    def __init__(self, segments: tuple[Segment, ...]):
        parts: list[str] = []
        self.spans: list[tuple[int, int, Segment]] = []
        pos = 0
        for segment in segments:
            if segment.kind in ("link", "embed", "broken"):
                text = _LINK_MARK
            elif segment.kind == "code":
                text = _CODE_MARK
            else:
                text = _MARKS.sub("", segment.text)
            parts.append(text)
            self.spans.append((pos, pos + len(text), segment))
            pos += len(text)
        self.text = "".join(parts)

    def value(self, start: int, end: int) -> tuple[Segment, ...]:
        """The segments between two positions of the masked string (text cut to the range)."""
        out: list[Segment] = []
        for s, e, segment in self.spans:
            if e <= start or s >= end:
                continue
            if segment.kind == "text":
                out.append(Segment("text", segment.text[max(start, s) - s: min(end, e) - s]))
            elif segment.kind != "markup":
                out.append(segment)
        return tuple(out)


def _closing(text: str, start: int, open_: str, close: str) -> int | None:
    """The index of the bracket closing the field at ``start`` (Dataview's findClosing)."""
    nesting = 0
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if char == "\\":
            escaped = not escaped
            continue
        if escaped:
            escaped = False
            continue
        if char == open_:
            nesting += 1
        elif char == close:
            nesting -= 1
        if nesting < 0:
            return index
    return None


def _wrapped_field(masked: _Masked, start: int, line: int) -> tuple[Field, int] | None:
    text = masked.text
    open_ = text[start]
    sep = _SEPARATOR.search(text, start + 1)
    if sep is None:
        return None
    raw_key = text[start + 1: sep.start()].strip()
    if not raw_key or any(c in raw_key for c in "[]()") or _MARKS.search(raw_key):
        return None
    close = _closing(text, sep.end(), open_, _WRAPPERS[open_])
    if close is None:
        return None
    key = garden_key(raw_key)
    if not key:
        return None
    return Field(raw_key, key, masked.value(sep.end(), close), line, True), close + 1


def line_fields(line: Line) -> list[Field]:
    """The inline fields of ``line``, in line order (Dataview's rules, see the module docstring)."""
    masked = _Masked(line.segments)
    text = masked.text
    if "::" not in text and "\uff1a\uff1a" not in text:
        return []
    found: list[tuple[int, int, Field]] = []
    for open_ in _WRAPPERS:
        index = text.find(open_)
        while index >= 0:
            hit = _wrapped_field(masked, index, line.line)
            if hit is None:
                index = text.find(open_, index + 1)
                continue
            field, end = hit
            found.append((index, end, field))
            index = text.find(open_, end)
    if found:
        found.sort(key=lambda item: item[0])
        kept: list[tuple[int, int, Field]] = []
        for item in found:
            if not kept or kept[-1][1] <= item[0]:
                kept.append(item)
        return [field for _, _, field in kept]
    sep = _SEPARATOR.search(text)
    assert sep is not None
    raw = text[: sep.start()]
    match = _FULL_LINE_KEY.fullmatch(raw)
    if match is None or _MARKS.search(raw):
        return []
    raw_key = match.group(1).strip()
    key = garden_key(raw_key)
    if not key:
        return []
    return [Field(raw_key, key, masked.value(sep.end(), len(text)), line.line, False)]
