"""The stages of the ``build`` pipeline, each taking the previous stage's typed records.

``read`` (files -> :class:`~kgpub.model.notes.Note`), ``classify`` (notes -> entity,
reference and article records, private and skipped notes), ``index`` (names, identifiers,
publications), ``emit`` (records -> named graphs of quads), ``check`` (SHACL), ``write``
(files).  :mod:`kgpub.build` only wires them.
"""
