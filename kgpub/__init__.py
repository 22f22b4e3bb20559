"""kgpub: publish a biomedical knowledge garden as linked data.

The pipeline, one package per stage:

    sources/   garden notes and PrimeKG rows -> typed records (model/)
    mapping/   records -> ontology terms and external identifiers (driven by mappings/)
    emit/      records -> RDF quads, streamed
    validate/  SHACL validation (shapes/)
    publish/   Turtle/N-Quads files, the embedded store, SPARQL endpoints

The command line (cli/) is a thin layer over these modules.
"""

__version__ = "0.1.0"

from .cache import keep_pystow_in_cache  # noqa: E402  (before any module imports bioregistry)

keep_pystow_in_cache()
