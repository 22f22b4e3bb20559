"""OBO Graphs JSON (``graphs[].nodes[]``: ``id``, ``lbl``, ``meta.synonyms[].pred/val``, ``meta.deprecated``,
``meta.basicPropertyValues`` hasOBONamespace), the JSON form OBO ontologies release (https://github.com/geneontology/obographs)."""

from __future__ import annotations

import json

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ..model import LexiconEntry, LexiconSource, Name
from .common import curie

_PREDS = {"hasExactSynonym": "synonym", "hasRelatedSynonym": "synonym"}
_NAMESPACE = "http://www.geneontology.org/formats/oboInOwl#hasOBONamespace"


def read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    try:
        document = json.loads(source.path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        log.error(str(source.path), None, f"cannot read OBO Graphs JSON: {error}; lexicon skipped", code="lexicon")
        return []
    entries: list[LexiconEntry] = []
    graphs = document.get("graphs", []) if isinstance(document, dict) else []
    for graph in graphs:
        for number, node in enumerate(graph.get("nodes", []), start=1):
            if not isinstance(node, dict) or node.get("type", "CLASS") != "CLASS" or not node.get("lbl"):
                continue
            meta = node.get("meta") or {}
            if meta.get("deprecated"):
                continue
            node_id = str(node.get("id", ""))
            compact = ids.compress(node_id) if node_id.startswith(("http://", "https://")) else curie(node_id, source, ids, log, None)
            if compact is None:
                continue
            names = [Name(str(node["lbl"]), "label")]
            names += [Name(str(s["val"]), _PREDS[s.get("pred", "")]) for s in meta.get("synonyms", []) if s.get("pred") in _PREDS and s.get("val")]
            namespace = next((str(v.get("val")) for v in meta.get("basicPropertyValues", []) if v.get("pred") == _NAMESPACE), None)
            entries.append(LexiconEntry((ids.normalize(compact),), str(node["lbl"]), tuple(names), source.name, number, namespace))
    return entries
