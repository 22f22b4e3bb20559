"""Name normalisation, as the field's grounders do it (modelled on gilda's ``process`` module).

Two keys per name, tried in order by the grounder:

* :func:`plain_key`: Unicode NFKC, case folded, whitespace collapsed (``Type 2  Diabetes`` = ``type 2 diabetes``);
* :func:`loose_key`: also Greek letters spelled out (``β`` = ``beta``), hyphens, spaces and other
  punctuation dropped, and a plural last word made singular (``GSK-3β`` = ``GSK3beta``,
  ``Insulin receptors`` = ``insulin receptor``).
"""

from __future__ import annotations

import re
import unicodedata

_GREEK = {
    chr(code): unicodedata.name(chr(code)).split()[-1].lower()
    for code in (*range(0x3B1, 0x3CA), *range(0x391, 0x3AA))
    if unicodedata.name(chr(code), "").startswith(("GREEK SMALL LETTER", "GREEK CAPITAL LETTER"))
}
_GREEK["µ"] = "mu"  # MICRO SIGN, common for mu
_SPELL = str.maketrans(_GREEK)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_KEEP_S = ("ss", "us", "is", "os", "as")  # not plurals: 'mass', 'virus', 'psoriasis', 'GLUT4 locus'


def plain_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def spell_greek(text: str) -> str:
    return text.translate(_SPELL)


def singular(word: str) -> str:
    """``kinases`` -> ``kinase``, ``families`` -> ``family``; short words and ``-ss``/``-us``... unchanged."""
    if len(word) <= 4 or not word.isalpha() or not word.endswith("s") or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1]


def loose_key(name: str) -> str:
    text = spell_greek(plain_key(name))
    words = [w for w in _NOT_ALNUM.split(text) if w]
    if words:
        words[-1] = singular(words[-1])
    return "".join(words)
