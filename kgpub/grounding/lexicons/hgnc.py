"""HGNC's TSV downloads: the complete set (``hgnc_id, symbol, alias_symbol, prev_symbol, entrez_id,
uniprot_ids``, lists split by ``|``) and the custom download (``HGNC ID, Approved symbol, Alias symbols,
Previous symbols, NCBI Gene ID(supplied by NCBI), UniProt ID(supplied by UniProt)``, lists split by ``, ``).
Withdrawn entries are skipped.  Identifiers: HGNC, NCBI Gene, UniProt (https://www.genenames.org/download/)."""

from __future__ import annotations

import csv
import re

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ..model import LexiconEntry, LexiconSource, Name
from .common import curie

_COLUMNS = {  # field -> accepted header names (complete set, custom download)
    "hgnc": ("hgnc_id", "HGNC ID"),
    "symbol": ("symbol", "Approved symbol"),
    "alias": ("alias_symbol", "Alias symbols"),
    "prev": ("prev_symbol", "Previous symbols"),
    "ncbigene": ("entrez_id", "NCBI Gene ID(supplied by NCBI)", "NCBI Gene ID"),
    "uniprot": ("uniprot_ids", "UniProt ID(supplied by UniProt)", "UniProt ID"),
    "status": ("status", "Status"),
}
_SPLIT = re.compile(r"\s*[|,]\s*")


def read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    entries: list[LexiconEntry] = []
    with source.path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None) or []
        where = {f: next((header.index(n) for n in names if n in header), None) for f, names in _COLUMNS.items()}
        if where["hgnc"] is None or where["symbol"] is None:
            log.error(str(source.path), 1, "not an HGNC TSV: no hgnc_id/HGNC ID and symbol/Approved symbol columns; lexicon skipped", code="lexicon")
            return []
        for cells in reader:
            line = reader.line_num
            if len(cells) != len(header):
                log.error(str(source.path), line, f"{len(cells)} cells but the header has {len(header)}; row skipped", code="lexicon")
                continue

            def cell(field: str) -> str:
                i = where[field]
                return cells[i].strip() if i is not None else ""

            if "withdrawn" in cell("status").lower():
                continue
            found = [curie(cell("hgnc"), source, ids, log, line, prefix="hgnc")]
            if cell("ncbigene"):
                found.append(curie(cell("ncbigene"), source, ids, log, line, prefix="ncbigene"))
            found += [curie(u, source, ids, log, line, prefix="uniprot") for u in _SPLIT.split(cell("uniprot")) if u]
            if None in found or not cell("symbol"):
                continue
            names = [Name(cell("symbol"), "label")]
            names += [Name(s, "synonym") for f in ("alias", "prev") for s in _SPLIT.split(cell(f).strip('"')) if s]
            # genes first: the NCBI Gene id leads, as mappings/primary_schemes.tsv makes it primary
            ordered = tuple(sorted((c for c in found if c), key=lambda c: ("ncbigene", "hgnc", "uniprot").index(c.split(":")[0])))
            entries.append(LexiconEntry(ordered, cell("symbol"), tuple(names), source.name, line))
    return entries
