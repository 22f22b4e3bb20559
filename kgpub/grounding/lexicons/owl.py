"""OWL files (RDF/XML, as OBO ontologies release them) read with pyoxigraph: each class's
``rdfs:label`` and oboInOwl exact/related synonyms and namespace; ``owl:deprecated`` classes are skipped.
A class IRI becomes a CURIE through bioregistry (``http://purl.obolibrary.org/obo/GO_0006915`` -> ``go:0006915``)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ..model import LexiconEntry, LexiconSource, Name

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_OIO = "http://www.geneontology.org/formats/oboInOwl#"
_SYNONYMS = {_OIO + "hasExactSynonym": "synonym", _OIO + "hasRelatedSynonym": "synonym"}
_NAMESPACE = _OIO + "hasOBONamespace"
_DEPRECATED = "http://www.w3.org/2002/07/owl#deprecated"
_FORMATS = {".owl": pyoxigraph.RdfFormat.RDF_XML, ".rdf": pyoxigraph.RdfFormat.RDF_XML, ".ttl": pyoxigraph.RdfFormat.TURTLE, ".nt": pyoxigraph.RdfFormat.N_TRIPLES}


def read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    labels: dict[str, str] = {}
    names: dict[str, list[Name]] = defaultdict(list)
    namespaces: dict[str, str] = {}
    deprecated: set[str] = set()
    try:
        for triple in pyoxigraph.parse(path=str(source.path), format=_FORMATS.get(source.path.suffix.lower(), pyoxigraph.RdfFormat.RDF_XML)):
            if not isinstance(triple.subject, pyoxigraph.NamedNode) or not isinstance(triple.object, pyoxigraph.Literal):
                continue
            s, p, o = triple.subject.value, triple.predicate.value, triple.object.value
            if p == _RDFS_LABEL:
                labels.setdefault(s, o)
            elif p in _SYNONYMS:
                names[s].append(Name(o, _SYNONYMS[p]))
            elif p == _NAMESPACE:
                namespaces[s] = o
            elif p == _DEPRECATED and o.lower() == "true":
                deprecated.add(s)
    except (SyntaxError, ValueError, OSError) as error:
        log.error(str(source.path), None, f"cannot read OWL file: {error}; the rest of the file is skipped", code="lexicon")
    entries: list[LexiconEntry] = []
    for number, (iri, label) in enumerate(sorted(labels.items()), start=1):
        if iri in deprecated:
            continue
        compact = ids.compress(iri)
        if compact is None:
            continue  # a class outside any known scheme (an imported upper-level term): not an identifier
        entries.append(LexiconEntry((ids.normalize(compact),), label, (Name(label, "label"), *names[iri]), source.name, number, namespaces.get(iri)))
    return entries
