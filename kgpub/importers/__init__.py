"""importers stage of the kgpub pipeline."""
