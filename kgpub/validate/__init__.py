"""validate stage of the kgpub pipeline."""
