"""Grounding: names (note titles, aliases, link labels, mentions) -> external identifiers.

Pipeline: lexicon files (``lexicons/``, one reader per standard format) -> typed
:class:`~kgpub.grounding.model.LexiconEntry` records -> :class:`~kgpub.grounding.grounder.Grounder`
(normalised name index, restricted per class by ``mappings/primary_schemes.tsv``) ->
typed :class:`~kgpub.grounding.model.Grounding` results -> SSSOM (``sssom.py``).
"""
