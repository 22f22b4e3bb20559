"""model stage of the kgpub pipeline."""
