"""Best-effort parsing of one bibliographic reference written as text.

Three forms occur in the garden:

* Vancouver (entity notes' *References*):
  ``Manning BD, Toker A. AKT/PKB Signaling: Navigating the Network. Cell. 2017;169(3):381-405.``
* APA-like (articles' *References*):
  ``Garofalo, R. S., et al. (2003). Title. *Journal*. [Link]``
* numbered web sources (articles' *Sources*):
  ``3. Title - PMC [pmc.ncbi.nlm.nih.gov]``

PMIDs, DOIs and PMC ids found anywhere in the text are kept.  An entry with no
recognisable title gives ``None``: it cannot be published as a work.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

from ..mapping.publication_ids import PublicationIds
from ..model.documents import Publication
from ..model.notes import Location

_YEAR = r"(?:1[5-9]|20)[0-9]{2}"
_LINK_MARKERS = re.compile(r"\[\\?\[?Link\\?\]?\]\(#?\)|\[Link\]|\[Online PDF\]", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:<)?([^)>]*)(?:>)?\)")
_URL = re.compile(r"https?://[^\s<>\]\)\"']+")
_VANCOUVER_TAIL = re.compile(
    rf"(?P<year>{_YEAR})(?:\s+[A-Za-z]{{3,9}}(?:\s+[0-9]{{1,2}})?)?"
    r"\s*;\s*(?P<volume>[0-9A-Za-z]+)?\s*(?:\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>[A-Za-z]?[0-9]+(?:\s*[-–]\s*[A-Za-z]?[0-9]+)?)"
)
_APA_HEAD = re.compile(rf"^(?P<authors>.*?)\s*\((?P<year>{_YEAR})[a-z]?(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$", re.DOTALL)
_HOST_TAIL = re.compile(r"\s*\[(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,})\]\s*$")
_NUMBERED = re.compile(r"^\s*(?P<number>[0-9]{1,4})\.\s+(?P<rest>.+)$", re.DOTALL)
_VANCOUVER_AUTHOR = re.compile(r"^[\w'’-]+(?:\s[\w'’-]+)*\s[A-Z]{1,4}$")
_INITIALS = re.compile(r"^(?:[A-Z]\.?\s?-?)+$")


def parse_reference_entry(text: str, location: Location) -> Publication | None:
    """Parse one reference entry; ``None`` when no title can be found."""
    raw = " ".join(html.unescape(text).split())
    if not raw:
        return None
    cleaned = _strip_markup(raw)
    found = PublicationIds.default().find_in_text(raw)
    pub = (
        _parse_apa(cleaned, location)
        or _parse_vancouver(cleaned, location)
        or _parse_web_source(cleaned, location)
    )
    if pub is None:
        return None
    pub.raw = raw
    for name, value in found.items():
        if getattr(pub, name, None) is None:
            setattr(pub, name, value)
    url = _URL.search(raw)
    if url and pub.url is None:
        pub.url = url.group(0).rstrip(".,;")
        pub.url_host = pub.url_host or (urlsplit(pub.url).hostname or None)
    return pub


def split_numbered(text: str) -> tuple[int | None, str]:
    """``"3. Title [host]"`` -> ``(3, "Title [host]")``; no number -> ``(None, text)``."""
    match = _NUMBERED.match(text)
    if match:
        return int(match.group("number")), match.group("rest").strip()
    return None, text.strip()


def normalise_title(title: str) -> str:
    """The comparison key of a title: NFKC, case-folded, punctuation and spacing removed."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", folded))


def split_authors(text: str) -> tuple[list[str], bool]:
    """Split an author string into names in order; the flag says ``et al.`` was present.

    Handles ``"Kim AH, Khursigara G"``, ``"Garofalo, R. S., et al."``,
    ``"Gonzalez, E., & McGraw, T. E."`` and ``"A; B; C"``.
    """
    text = " ".join(text.split()).strip().rstrip(".")
    et_al = bool(re.search(r"\bet\.?\s*al\b", text, re.IGNORECASE))
    text = re.sub(r",?\s*\bet\.?\s*al\b\.?", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*(?:,\s*)?(?:&|\band\b)\s*", ", ", text)
    separator = ";" if ";" in text else ","
    parts = [p.strip().rstrip(".").strip() for p in text.split(separator)]
    parts = [p for p in parts if p]
    names: list[str] = []
    for part in parts:
        # "Garofalo", "R. S." -> "Garofalo, R. S."
        if names and separator == "," and _INITIALS.match(part) and "," not in names[-1] and not _VANCOUVER_AUTHOR.match(names[-1]):
            names[-1] = f"{names[-1]}, {part}."
        else:
            names.append(part)
    return names, et_al


def _strip_markup(text: str) -> str:
    text = _LINK_MARKERS.sub("", text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"(?<![\w*])\*{1,2}([^*]+?)\*{1,2}(?![\w*])", r"\1", text)
    return " ".join(text.split()).strip()


def _emphasised_journal(raw: str) -> str | None:
    match = re.search(r"(?<![\w*])\*{1,2}([^*]+?)\*{1,2}(?![\w*])\W*$", _LINK_MARKERS.sub("", raw).strip())
    return match.group(1).strip() if match else None


def _parse_apa(text: str, location: Location) -> Publication | None:
    match = _APA_HEAD.match(text)
    if not match or not match.group("authors").strip():
        return None
    authors, et_al = split_authors(match.group("authors"))
    rest = match.group("rest").strip()
    title, journal = _title_and_journal(rest)
    if not title:
        return None
    return Publication(
        title=title, location=location, authors=authors, et_al=et_al,
        year=match.group("year"), journal=journal,
    )


def _title_and_journal(rest: str) -> tuple[str | None, str | None]:
    """Split ``Title. Journal.`` (a final short segment after the last full stop is the journal)."""
    rest = rest.strip()
    if not rest:
        return None, None
    segments = [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[A-Z\[])", rest) if s.strip()]
    if len(segments) >= 2:
        journal = segments[-1].rstrip(".").strip()
        title = " ".join(segments[:-1]).rstrip(".").strip()
        if title and journal:
            return title, journal
    return rest.rstrip(".").strip() or None, None


def _parse_vancouver(text: str, location: Location) -> Publication | None:
    tail = None
    for tail in _VANCOUVER_TAIL.finditer(text):
        pass
    if tail is None:
        return None
    head = text[: tail.start()].strip().rstrip(".").strip()
    first = re.match(r"^(?P<authors>[^.]+?)\.\s+(?P<rest>.+)$", head)
    if not first:
        return None
    authors, et_al = split_authors(first.group("authors"))
    if not all(_VANCOUVER_AUTHOR.match(a) or a.isupper() for a in authors):
        return None
    rest = first.group("rest")
    title, journal = rest, None
    cut = rest.rfind(". ")
    if cut > 0:
        title, journal = rest[:cut], rest[cut + 2 :]
    pages = tail.group("pages")
    return Publication(
        title=title.strip().rstrip("."), location=location, authors=authors, et_al=et_al,
        journal=(journal or "").strip().rstrip(".") or None, year=tail.group("year"),
        volume=tail.group("volume"), issue=tail.group("issue"),
        pages=re.sub(r"\s+", "", pages).replace("–", "-") if pages else None,
    )


def _parse_web_source(text: str, location: Location) -> Publication | None:
    _, text = split_numbered(text)
    match = _HOST_TAIL.search(text)
    if not match:
        return None
    host = match.group("host").lower()
    text = text[: match.start()].strip()
    title = text
    # "Site | Title" and "Title - Site": drop a short site name
    if " | " in title:
        site, _, rest = title.partition(" | ")
        if len(site.split()) <= 3 and rest:
            title = rest
    if " - " in title:
        rest, _, site = title.rpartition(" - ")
        if len(site.split()) <= 2 and re.search(r"[A-Za-z]{3}", rest):
            title = rest
    title = title.strip().rstrip(".").strip()
    if not title or not re.search(r"[A-Za-z]{2}", title):
        return None  # the list shows no title: the host stands for it only when written as the entry text
    return Publication(title=title, location=location, url_host=host)
