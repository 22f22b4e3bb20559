"""Linked data on the web: dereferenceable IRIs, pages for people, the query page, the static export.

The pages app (:func:`kgpub.web.app.create_pages_app`) asks a
:class:`kgpub.serve.backend.QueryBackend` for everything it shows, so it runs over an
in-process store (tests, ``kgpub site``) and over the server's executor pool alike.
"""
