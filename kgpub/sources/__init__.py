"""sources stage of the kgpub pipeline."""
