"""PrimeKG node ids -> IRIs and node triples, vectorised per node kind.

An id is padded (``mappings/primekg_node_types.tsv`` ``pad``), matched against
its bioregistry pattern and appended to the kind's URI prefix.  Grouped ids
(``13924_12592``) become ``B primekg/group/{prefix}/{id}``, linked to each
member with ``kgo:hasMember``.
"""

from __future__ import annotations

import polars as pl

from ...vocab import DCTERMS, KGO, RDF, RDFS
from .mapping import NodeKind, PrimekgMapping
from .read import blank
from .reasons import DropReason

_TYPE = f" <{RDF.type.value}> "
_LABEL = f" <{RDFS.label.value}> "
_IDENTIFIER = f" <{DCTERMS.identifier.value}> "
_HAS_MEMBER = f" <{KGO.hasMember.value}> "


def nt_string(expr: pl.Expr) -> pl.Expr:
    """An N-Triples string literal (quoted, escaped) of a string column; valid whatever it holds."""
    escaped = (
        expr.str.replace_all("\\", "\\\\", literal=True)
        .str.replace_all('"', '\\"', literal=True)
        .str.replace_all("\n", "\\n", literal=True)
        .str.replace_all("\r", "\\r", literal=True)
        .str.replace_all("\t", "\\t", literal=True)
        .str.replace_all(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", "\ufffd")
    )
    return pl.lit('"') + escaped + pl.lit('"')


def resolve(nodes: pl.DataFrame, mapping: PrimekgMapping, base_iri: str) -> pl.DataFrame:
    """Add ``iri`` (``<...>`` or null when the id is malformed) to unique ``(kind, id)`` rows."""
    parts = []
    for kind in mapping.kinds:
        subset = nodes.filter(pl.col("kind") == kind.code)
        if subset.height:
            parts.append(subset.with_columns(_iri(kind, base_iri).alias("iri")))
    if not parts:
        return nodes.with_columns(pl.lit(None, dtype=pl.String).alias("iri"))
    return pl.concat(parts)


def node_table(first: pl.DataFrame, mapping: PrimekgMapping, base_iri: str) -> pl.DataFrame:
    """Each node (``n, kind, id, name, line``) with its ``iri``, ``code`` and ``problem``.

    ``code`` numbers the distinct IRIs in IRI order (keys that differ only by padding share one);
    it is null, and ``problem`` names the drop reason, for an empty or malformed id.
    """
    nodes = resolve(first, mapping, base_iri)
    problem = (
        pl.when(blank("id")).then(pl.lit(DropReason.MISSING_FIELD.value))
        .when(pl.col("iri").is_null()).then(pl.lit(DropReason.MALFORMED_ID.value))
    )
    nodes = nodes.with_columns(problem.alias("problem"))
    valid = nodes.filter(pl.col("problem").is_null())
    valid = valid.with_columns((pl.col("iri").rank("dense") - 1).cast(pl.UInt32).alias("code"))
    invalid = nodes.filter(pl.col("problem").is_not_null()).with_columns(pl.lit(None, dtype=pl.UInt32).alias("code"))
    return pl.concat([valid, invalid]).sort("line")


def _local(kind: NodeKind, ids: pl.Expr) -> pl.Expr:
    return ids.str.zfill(kind.pad) if kind.pad else ids


def _iri(kind: NodeKind, base_iri: str) -> pl.Expr:
    ids = pl.col("id").str.strip_chars()
    if kind.grouped:
        members = ids.str.split(kind.group_separator)
        valid = members.list.eval(_local(kind, pl.element()).str.contains(kind.pattern)).list.all() & (
            members.list.len() > 1
        )
        iri = pl.lit(f"<{base_iri}primekg/group/{kind.prefix}/") + ids + pl.lit(">")
    else:
        valid = _local(kind, ids).str.contains(kind.pattern)
        iri = pl.lit(f"<{kind.uri_prefix}") + _local(kind, ids) + pl.lit(">")
    return pl.when(valid).then(iri)


def node_lines(new: pl.DataFrame, mapping: PrimekgMapping) -> tuple[pl.Series, pl.DataFrame]:
    """Label, identifier and group-member lines for newly seen nodes (``kind, id, name, iri``).

    Also returns the ``iri, class`` frame of the group members' types.
    """
    lines: list[pl.Series] = []
    typed: list[pl.DataFrame] = []
    for kind in mapping.kinds:
        subset = new.filter(pl.col("kind") == kind.code)
        if not subset.height:
            continue
        labelled = subset.filter(pl.col("name").is_not_null())
        lines.append(labelled.select(pl.col("iri") + _LABEL + nt_string(pl.col("name")) + " .").to_series())
        if kind.grouped:
            members = subset.select(
                "iri", pl.col("id").str.strip_chars().str.split(kind.group_separator).alias("member")
            ).explode("member")
            member_iri = pl.lit(f"<{kind.uri_prefix}") + _local(kind, pl.col("member")) + pl.lit(">")
            members = members.with_columns(member_iri.alias("member_iri"))
            lines.append(members.select(pl.col("iri") + _HAS_MEMBER + pl.col("member_iri") + " .").to_series())
            if kind.member_class_iri:
                typed.append(members.select(pl.col("member_iri").alias("iri"), pl.lit(f"<{kind.member_class_iri}>").alias("class")))
        else:
            curie = pl.lit(f"{kind.prefix}:") + _local(kind, pl.col("id").str.strip_chars())
            lines.append(subset.select(pl.col("iri") + _IDENTIFIER + nt_string(curie) + " .").to_series())
    types = pl.concat(typed) if typed else pl.DataFrame(schema={"iri": pl.String, "class": pl.String})
    all_lines = pl.concat([s.alias("line") for s in lines]) if lines else pl.Series("line", [], dtype=pl.String)
    return all_lines, types


def type_lines(types: pl.DataFrame) -> pl.Series:
    return types.select(pl.col("iri") + _TYPE + pl.col("class") + " .").to_series().alias("line")
