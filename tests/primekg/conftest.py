"""Small generated PrimeKG files and their imports, shared by the tests of this folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgpub.importers.primekg import ImportOptions, ImportResult, import_primekg
from kgpub.importers.primekg.mapping import PrimekgMapping
from kgpub.importers.primekg.synth import generate

HEADER = "relation,display_relation,x_index,x_id,x_type,x_name,x_source,y_index,y_id,y_type,y_name,y_source\n"


@pytest.fixture(scope="session")
def mapping() -> PrimekgMapping:
    return PrimekgMapping.load()


@pytest.fixture(scope="session")
def synth(tmp_path_factory, mapping):
    """A 3,000-row generated kg.csv with 2 bad rows per reason and 7 exact duplicates, imported."""
    folder = tmp_path_factory.mktemp("synth")
    made = generate(folder / "kg.csv", 3000, seed=11, bad_per_reason=2, exact_duplicates=7, mapping=mapping)
    result = import_primekg(made.path, folder / "dist", ImportOptions(shards=3, batch_bytes=64_000), mapping=mapping)
    return made, result


@pytest.fixture(scope="session")
def handmade(tmp_path_factory, mapping):
    """A hand-written kg.csv whose triples are known exactly."""
    folder = tmp_path_factory.mktemp("hand")
    rows = [
        # a PPI and its mirror: one symmetric triple
        "protein_protein,ppi,0,207,gene/protein,AKT1,NCBI,1,5728,gene/protein,PTEN,NCBI",
        "protein_protein,ppi,1,5728,gene/protein,PTEN,NCBI,0,207,gene/protein,AKT1,NCBI",
        # drug target written gene-first: the drug becomes the subject; the mirror is dropped
        "drug_protein,target,0,207,gene/protein,AKT1,NCBI,2,DB00435,drug,Nitric Oxide,DrugBank",
        "drug_protein,target,2,DB00435,drug,Nitric Oxide,DrugBank,0,207,gene/protein,AKT1,NCBI",
        # an exact duplicate
        "drug_protein,target,2,DB00435,drug,Nitric Oxide,DrugBank,0,207,gene/protein,AKT1,NCBI",
        # grouped MONDO ids and a bare MONDO id padded to 7 digits; a name needing escapes
        'disease_protein,associated with,3,13924_12592,disease,"osteogenesis imperfecta, ""grouped""",MONDO_grouped,0,207,gene/protein,AKT1,NCBI',
        "disease_phenotype_positive,phenotype present,4,1117,disease,Proteus syndrome,MONDO,5,855,effect/phenotype,Insulin resistance,HPO",
        "exposure_disease,linked to,6,D000082,exposure,Acetaminophen,CTD,4,1117,disease,Proteus syndrome,MONDO",
        "pathway_protein,interacts with,7,R-HSA-109704,pathway,PI3K Cascade,REACTOME,0,207,gene/protein,AKT1,NCBI",
        "bioprocess_protein,interacts with,8,8286,biological_process,insulin receptor signaling pathway,GO,0,207,gene/protein,AKT1,NCBI",
        # bad: unknown source, malformed id
        "protein_protein,ppi,0,207,gene/protein,AKT1,ENSEMBL,1,5728,gene/protein,PTEN,NCBI",
        "protein_protein,ppi,0,207,gene/protein,AKT1,NCBI,1,P31749,gene/protein,PTEN,NCBI",
    ]
    return import_rows(folder, rows, mapping, shards=2)


def import_rows(folder: Path, rows: list[str], mapping: PrimekgMapping, *, shards: int) -> tuple[Path, ImportResult]:
    """Write ``rows`` under the header as ``folder/kg.csv`` and import it into ``folder/dist``."""
    path = folder / "kg.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path, import_primekg(path, folder / "dist", ImportOptions(shards=shards), mapping=mapping)


def read_shards(folder: Path) -> set[str]:
    import gzip

    lines: set[str] = set()
    for part in sorted(folder.glob("part-*.nt.gz")):
        lines.update(line for line in gzip.decompress(part.read_bytes()).decode("utf-8").split("\n") if line)
    return lines
