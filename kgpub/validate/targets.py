"""SHACL targets (SHACL 2.1.3): the predicates that declare them and the types that make a shape a class."""

from __future__ import annotations

SH = "http://www.w3.org/ns/shacl#"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"

#: target predicate local name -> kind of target
TARGET_KINDS = {"targetClass": "class", "targetNode": "node", "targetSubjectsOf": "subjectsOf",
                "targetObjectsOf": "objectsOf"}
TARGET_PREDICATES = frozenset(SH + name for name in TARGET_KINDS)


def implicit_class_types() -> frozenset[str]:
    """A shape typed with one of these is also a class: its instances are targets (implicit class target)."""
    return frozenset((RDFS_CLASS, OWL_CLASS))
