"""publish stage of the kgpub pipeline."""
