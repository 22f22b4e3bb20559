"""Split a note's text into YAML front matter (with the line of each key) and body.

Front matter is a ``---`` line at the very start, YAML, and a closing ``---``
line.  The published HTML form wraps its body in ``{% raw %}...{% endraw %}``;
that wrapper is removed and the body marked ``html``.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import NoteError

#: libyaml's loader when PyYAML was built with it (much faster), else the pure-Python one: PyYAML defines
#: ``yaml.CSafeLoader`` only when ``yaml.__with_libyaml__`` is true.
_Loader: type = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader  # type: ignore[attr-defined]

_OPEN = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
_RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")


@dataclass(frozen=True)
class SplitNote:
    """The parts of one note file."""

    front_matter: dict[str, Any]
    key_lines: dict[str, int]
    duplicate_keys: dict[str, list[int]]
    body: str
    body_line: int
    body_format: str
    has_front_matter: bool


def split_note(text: str, path: str, suffix: str = ".md") -> SplitNote:
    """Split ``text`` (the file's content) into front matter and body.

    Raises :class:`NoteError` naming ``path`` and the YAML error's line.
    """
    match = _OPEN.match(text)
    front: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    has_front = False
    body_start = 0
    body_line = 1
    if match:
        close = _CLOSE.search(text, match.end())
        if close is None:
            raise NoteError("front matter opened with '---' is never closed", path=path, line=1)
        yaml_text = text[match.end(): close.start()]
        front, key_lines, duplicates = _load_yaml(yaml_text, path, first_line=2)
        has_front = True
        body_start = close.end()
        if text.startswith("\n", body_start):
            body_start += 1
        elif text.startswith("\r\n", body_start):
            body_start += 2
        body_line = 1 + text.count("\n", 0, body_start)
    body = text[body_start:]
    body_format = "markdown" if has_front or suffix in (".md",) else "text"
    if suffix == ".html":
        body_format = "html"
    raw = _RAW_OPEN.search(body)
    if raw is not None:
        end = _RAW_CLOSE.search(body, raw.end())
        inner_end = end.start() if end else len(body)
        body_line += body.count("\n", 0, raw.end())
        body = body[raw.end(): inner_end]
        body_format = "html"
    return SplitNote(front, key_lines, duplicates, body, body_line, body_format, has_front)


#: Largest front matter read, in bytes of UTF-8 (the plugin's own front matter is a few hundred).
MAX_FRONT_MATTER_BYTES = 64 * 1024
#: Most YAML nodes the front matter may stand for once aliases are expanded (a 9x9 alias bomb is 4e8).
MAX_EXPANDED_NODES = 20_000
#: Deepest nesting of lists and mappings.
MAX_DEPTH = 64
_INT_TAG = "tag:yaml.org,2002:int"


def _load_yaml(yaml_text: str, path: str, *, first_line: int) -> tuple[dict[str, Any], dict[str, int], dict[str, list[int]]]:
    """Parse the front matter.  Composes the node graph first (aliases stay shared, so it is cheap),
    checks its size, depth and numbers, and only then constructs Python values.
    """
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise NoteError(f"front matter is {size} bytes, over the limit of {MAX_FRONT_MATTER_BYTES}; note skipped", path=path, line=first_line - 1)
    try:
        loader = _Loader(yaml_text)
        try:
            node = loader.get_single_node()
            if node is None:
                return {}, {}, {}
            _check_nodes(node, path, first_line)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark is not None else first_line
        problem = error.problem or error.context or "invalid YAML"
        raise NoteError(f"broken YAML front matter: {problem}", path=path, line=line) from None
    except yaml.YAMLError as error:
        raise NoteError(f"broken YAML front matter: {error}", path=path, line=first_line) from None
    except (ValueError, RecursionError, OverflowError) as error:  # values the constructor refuses
        raise NoteError(f"front matter cannot be read: {error}", path=path, line=first_line) from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise NoteError("front matter is not a YAML mapping (key: value lines)", path=path, line=first_line)
    key_lines: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    for key_node, _value in node.value:
        key, line = str(key_node.value), first_line + key_node.start_mark.line
        if key in key_lines:
            duplicates.setdefault(key, [key_lines[key]]).append(line)
        key_lines.setdefault(key, line)
    return {str(k): _plain(v) for k, v in data.items()}, key_lines, duplicates


def _check_nodes(root: yaml.Node, path: str, first_line: int) -> None:
    """Refuse, before anything is constructed, front matter whose aliases expand past
    :data:`MAX_EXPANDED_NODES` nodes, that nests deeper than :data:`MAX_DEPTH`, that refers to
    itself, or that holds an integer with more digits than Python converts.
    """
    expanded: dict[int, int] = {}  # id(node) -> nodes it stands for, aliases expanded
    digits = sys.get_int_max_str_digits() or None
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    open_nodes: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        line = first_line + node.start_mark.line
        if done:
            open_nodes.discard(key)
            expanded[key] = 1 + sum(expanded[id(c)] for c in _children(node))
            if expanded[key] > MAX_EXPANDED_NODES:
                raise NoteError(f"front matter expands to more than {MAX_EXPANDED_NODES} YAML nodes (aliases); note skipped", path=path, line=line)
            continue
        if key in expanded:
            continue
        if key in open_nodes:
            raise NoteError("front matter refers to itself (recursive YAML alias); note skipped", path=path, line=line)
        if depth > MAX_DEPTH:
            raise NoteError(f"front matter nests deeper than {MAX_DEPTH} levels; note skipped", path=path, line=line)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _INT_TAG and digits and sum(ch.isdigit() for ch in node.value) > digits:
                raise NoteError(f"front-matter number has more than {digits} digits; note skipped", path=path, line=line)
            expanded[key] = 1
            continue
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _plain(value: Any) -> Any:
    """YAML timestamps become ISO strings so every value is plain data."""
    if isinstance(value, _dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
