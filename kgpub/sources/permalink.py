"""The permalink of a published note: its own (``dg-permalink``, ``permalink``), else the default one.

The default is ``/{type}/{slug}/``: the type in lower case, the front matter's ``slug`` or a
slug of the file name (:func:`kgpub.iris.slugify`, so ``Breast Cancer.md`` gives
``/disease/breast-cancer/``).  Every kind of note (entity, reference, article) gets it here.
"""

from __future__ import annotations

from ..iris import slugify
from ..model.notes import Note


def note_permalink(note: Note, note_type: str) -> str:
    """The note's permalink, else ``/{type}/{slug}/`` (slug from front matter, else of the file stem)."""
    return note.permalink or f"/{note_type.lower()}/{note.slug or slugify(note.path.stem)}/"
