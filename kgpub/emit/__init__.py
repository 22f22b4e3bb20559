"""emit stage of the kgpub pipeline."""
