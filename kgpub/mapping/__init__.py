"""mapping stage of the kgpub pipeline."""
