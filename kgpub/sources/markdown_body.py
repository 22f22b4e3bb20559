"""The vault (Markdown) form of a note body as :class:`~kgpub.sources.inline_fields.Line` records.

markdown-it-py (CommonMark, with GFM tables and strikethrough) parses the
body; every inline run it finds (paragraphs, headings, list items and tasks,
block quotes and callouts, table cells) is split at its line breaks into
lines of segments.  Fenced and indented code blocks and raw HTML blocks give
no lines, and code spans are opaque segments, so nothing inside code is read.

Links, as Obsidian writes them:

* ``[[Target]]``, ``[[folder/Target]]``, ``[[Target#Heading]]``,
  ``[[Target#^block]]``, ``[[Target|Shown]]`` (``\\|`` inside tables): a link to
  the note ``Target``; an inline rule registered before markdown-it's own link rule;
* ``![[Target]]``: an embed (a segment of kind ``embed``);
* ``[Shown](Target.md)``, ``[Shown](<folder/Target note.md>)``: a Markdown link
  to a note (percent-encoding undone, ``.md`` and ``#fragment`` dropped);
  links with a scheme (``https:``) keep their ``href``.
"""

from __future__ import annotations

import html
import re
from functools import cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..model.entities import Link
from .inline_fields import Line, Segment, strip_task_box

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SPACE = re.compile(r"\s+")
_NOTE_EXTENSION = re.compile(r"\.(md|markdown)$", re.IGNORECASE)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    if not embed and not src.startswith("[[", pos):
        return False
    start = pos + (3 if embed else 2)
    end = src.find("]]", start)
    if end < 0:
        return False
    inner = src[start:end]
    if "\n" in inner or "[[" in inner:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = inner
        token.meta = {"embed": embed}
    state.pos = end + 2
    return True


def _new_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    md.core.ruler.disable("text_join")  # keep escapes (text_special) apart: Dataview sees "\\]" as written
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    return md


@cache
def markdown_parser() -> MarkdownIt:
    """The Markdown parser of the vault form (CommonMark + tables + strikethrough + wiki-links)."""
    return _new_parser()


def _may_hold_field(content: str) -> bool:
    """Whether an inline run can hold a field separator once parsed (``&`` for entities such as ``&#58;``)."""
    return "::" in content or "\uff1a\uff1a" in content or "&" in content


def _field_inline_rule(state: StateCore) -> None:
    """markdown-it's ``inline`` core rule for the runs that may hold a field; the others keep no children."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if _may_hold_field(token.content):
                state.md.inline.parse(token.content, state.md, state.env, token.children)


@cache
def body_parser() -> MarkdownIt:
    """:func:`markdown_parser` for note bodies: an inline run that cannot hold a field is not parsed
    inline (its lines give no field, and :func:`markdown_lines` no line)."""
    md = _new_parser()
    md.core.ruler.at("inline", _field_inline_rule)
    return md


def wikilink(inner: str, *, embed: bool = False) -> Segment:
    """``Target#Heading|Shown`` (the text between ``[[`` and ``]]``) as a link segment."""
    bar = inner.find("|")
    target, shown = (inner, "") if bar < 0 else (inner[:bar], inner[bar + 1:])
    if target.endswith("\\"):  # [[Target\|Shown]] as written inside tables
        target = target[:-1]
    if not target.startswith("#"):
        target = target.split("#", 1)[0]
    target = _clean(target)
    label = _clean(html.unescape(shown)) if bar >= 0 else target
    return Segment("embed" if embed else "link", label, Link(label=label or target, target=target))


def markdown_link(href: str, label: str, *, embed: bool = False) -> Segment:
    """A Markdown link or image as a segment: a note link for local paths, an ``href`` link otherwise."""
    label = _clean(label)
    if _SCHEME.match(href):
        return Segment("link", label, Link(label=label or href, href=href))
    path = _clean(unquote(href).split("#", 1)[0])
    path = _NOTE_EXTENSION.sub("", path)
    if path.startswith("./"):
        path = path[2:]
    stem = path.rstrip("/").rsplit("/", 1)[-1]
    return Segment("embed" if embed else "link", label or stem, Link(label=label or stem, target=path))


def _segment_lines(children: list[Token]) -> list[list[Segment]]:
    """The inline tokens of one block, split at line breaks into lists of segments."""
    lines: list[list[Segment]] = [[]]
    index = 0
    while index < len(children):
        token = children[index]
        kind = token.type
        if kind in ("softbreak", "hardbreak"):
            lines.append([])
        elif kind == "code_inline":
            lines[-1].append(Segment("code", token.content))
        elif kind == "wikilink":
            lines[-1].append(wikilink(token.content, embed=bool(token.meta.get("embed"))))
        elif kind == "link_open":
            label: list[str] = []
            index += 1
            while index < len(children) and children[index].type != "link_close":
                label.append(children[index].content)
                index += 1
            lines[-1].append(markdown_link(str(token.attrs.get("href") or ""), "".join(label)))
        elif kind == "image":
            src = str(token.attrs.get("src") or "")
            if not _SCHEME.match(src) and _NOTE_EXTENSION.search(unquote(src).split("#", 1)[0]):
                lines[-1].append(markdown_link(src, token.content, embed=True))
        elif kind.endswith("_open") or kind.endswith("_close"):
            lines[-1].append(Segment("markup", token.markup))
        elif kind == "text_special" and token.info == "escape":
            lines[-1].append(Segment("text", token.markup))
        elif kind == "html_inline":  # <x> in a note is shown as written by the published form's text
            lines[-1].append(Segment("text", token.content))
        elif token.content:
            lines[-1].append(Segment("text", token.content))
        index += 1
    return lines


def inline_segments(text: str) -> tuple[Segment, ...]:
    """One line of Markdown inline text (a front-matter value) as segments."""
    tokens = markdown_parser().parseInline(text)
    segments: list[Segment] = []
    for block in tokens:
        for line in _segment_lines(block.children or []):
            segments.extend(line)
    return tuple(segments)


def markdown_lines(body: str, first_line: int) -> list[Line]:
    """Every line of inline content of a Markdown body that may hold a field; ``first_line`` is the file line
    of the body's first line."""
    out: list[Line] = []
    in_item = False
    for token in body_parser().parse(body):
        if token.type == "list_item_open":
            in_item = True
            continue
        if token.type != "inline" or token.map is None:
            continue
        lines = _segment_lines(token.children or [])
        for offset, segments in enumerate(lines):
            items = tuple(segments)
            if offset == 0 and in_item:
                items = strip_task_box(items)
            if items:
                out.append(Line(items, first_line + token.map[0] + offset))
        in_item = False
    return out
