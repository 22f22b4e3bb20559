"""The published (HTML) form of a note body as :class:`~kgpub.sources.inline_fields.Line` records.

This is the HTML the Digital Garden plugin and its site template produce from
the vault form (oleeskild/obsidian-digital-garden ``GardenPageCompiler``):
wiki-links and Markdown links to notes become
``<a class="internal-link" href="/permalink/">Shown</a>`` (``is-unresolved``
and ``href="/404"`` for notes that are not published), embeds become
``<div class="transclusion internal-embed"><a class="markdown-embed-link"
href="/permalink/">…</a><div class="markdown-embed">…the embedded note…</div></div>``.

The body is read with the standard library's HTML parser (which keeps source
line numbers).  Block elements (``p``, ``li``, ``td``, ``h1``…, ``div``,
``blockquote``…), ``<br>`` and line breaks in text end a line, as the line
breaks of the vault form did.  ``code``/``pre`` content is an opaque code
segment; the content of an embedded note (``div.markdown-embed``) belongs to
that note and is skipped; the embed's link is an ``embed`` segment; ``strong``,
``em``, ``del``… are markup segments, so ``<strong>Key</strong>::`` is a key.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ..model.entities import Link
from .inline_fields import Line, Segment, strip_task_box
from .markdown_body import _clean

_BLOCKS = frozenset({
    "p", "li", "td", "th", "tr", "table", "thead", "tbody", "h1", "h2", "h3", "h4", "h5", "h6", "div",
    "blockquote", "ul", "ol", "dd", "dt", "dl", "section", "article", "header", "footer", "hr", "figure",
    "figcaption", "details", "summary", "aside", "nav", "main",
})
_MARKUP = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~", "mark": "==", "u": ""}
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "embed", "source", "track"})


class _LineParser(HTMLParser):
    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.lines: list[Line] = []
        self._current: list[Segment] = []
        self._line: int | None = None
        self._item_start = False
        self._code_depth = 0
        self._code: list[str] = []
        self._skip_depth = 0  # inside div.markdown-embed (or script/style)
        self._skip_tags: list[str] = []
        self._link: dict | None = None

    # --- lines ----------------------------------------------------------

    def _here(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def _add(self, segment: Segment) -> None:
        if self._line is None:
            self._line = self._here()
        self._current.append(segment)

    def _break(self) -> None:
        if self._link is not None:
            self._abandon_link()
        items = tuple(self._current)
        if self._item_start:
            items = strip_task_box(items)
            self._item_start = False
        if any(s.kind != "markup" and (s.kind != "text" or s.text.strip()) for s in items):
            self.lines.append(Line(items, self._line if self._line is not None else self._here()))
        self._current = []
        self._line = None

    def _rejoin_key_line(self) -> None:
        """``KEY:: ![[X]]`` renders as ``<p>KEY::</p><div class="transclusion">``: the embed continues the key's line."""
        if not self.lines:
            return
        last = self.lines[-1]
        tail = last.segments[-1]
        if tail.kind == "text" and tail.text.rstrip().endswith(("::", "\uff1a\uff1a")):
            self.lines.pop()
            self._current = list(last.segments)
            self._line = last.line

    # --- links ----------------------------------------------------------

    def _abandon_link(self) -> None:
        """An ``<a>`` not closed before the next link or line end: a ``broken`` segment, its text kept as text."""
        link, self._link = self._link, None
        assert link is not None
        self._current.append(Segment("broken", ""))
        for index, part in enumerate("".join(link["label"]).split("\n")):
            if index:
                self._break()
            if part.strip():
                if self._line is None:
                    self._line = link["line"] + index
                self._current.append(Segment("text", part))

    def _close_link(self) -> None:
        if self._link is None:
            return
        link, self._link = self._link, None
        label = _clean("".join(link["label"]))
        classes = link["classes"]
        embed = "markdown-embed-link" in classes
        if embed and not label:
            label = _clean(link["href"].strip("/").rsplit("/", 1)[-1].replace("-", " ")) if link["href"] else ""
        self._current.append(Segment(
            "embed" if embed else "link", label,
            Link(label=label, href=link["href"] or None, marked_unresolved="is-unresolved" in classes),
        ))

    # --- parser events ----------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_depth:
            if tag == self._skip_tags[-1] and tag not in _VOID:
                self._skip_depth += 1
            return
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag in ("script", "style") or (tag == "div" and "markdown-embed" in classes):
            self._skip_depth = 1
            self._skip_tags.append(tag)
            return
        if self._code_depth:
            if tag in ("code", "pre"):
                self._code_depth += 1
            return
        if tag in ("code", "pre"):
            self._close_link()
            if tag == "pre":
                self._break()
            self._code_depth = 1
            self._code = []
            return
        if tag == "a":
            if self._link is not None:
                self._abandon_link()
            if "markdown-embed-link" in classes and not self._current:
                self._rejoin_key_line()
            if self._line is None:
                self._line = self._here()
            self._link = {"href": (values.get("href") or "").strip(), "classes": classes, "label": [], "line": self._here()}
            return
        if tag == "br":
            self._break()
        elif tag in _BLOCKS:
            self._break()
            if tag == "li":
                self._item_start = True
        elif tag in _MARKUP and self._link is None:
            self._add(Segment("markup", _MARKUP[tag]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self._skip_depth and not self._code_depth:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            if tag == self._skip_tags[-1]:
                self._skip_depth -= 1
                if not self._skip_depth:
                    self._skip_tags.pop()
            return
        if self._code_depth:
            if tag in ("code", "pre"):
                self._code_depth -= 1
                if not self._code_depth:
                    self._add(Segment("code", "".join(self._code)))
                    if tag == "pre":
                        self._break()
            return
        if tag == "a":
            self._close_link()
        elif tag in _BLOCKS:
            self._break()
        elif tag in _MARKUP and self._link is None:
            self._add(Segment("markup", _MARKUP[tag]))

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._code_depth:
            self._code.append(data)
            return
        if self._link is not None:
            self._link["label"].append(data)
            return
        base = self._here()
        for index, part in enumerate(data.split("\n")):
            if index:
                self._break()
            if part and (self._line is not None or part.strip()):
                if self._line is None:
                    self._line = base + index
                self._add(Segment("text", part))

    def finish(self) -> list[Line]:
        self.close()
        self._break()
        return self.lines


def html_lines(body: str, first_line: int) -> list[Line]:
    """Every line of inline content of an HTML body; ``first_line`` is the file line of the body's first line."""
    parser = _LineParser(first_line)
    parser.feed(body)
    return parser.finish()
