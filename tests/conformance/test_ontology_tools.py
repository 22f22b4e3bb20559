"""The ontology as the field's tools read it: OWL API's OWL 2 DL profile check (Debian
libowlapi-java, compiled checker tests/java/OwlProfileCheck.java) on the ontology alone, with a
garden build and with a PrimeKG sample; ROBOT's report queries (../shared/conformance/robot-report)
with no ERROR."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from owl_inputs import merged as _merged
from owl_inputs import primekg_parts
from pyoxigraph import RdfFormat, Store

from kgpub.cli import main

ROOT = Path(__file__).resolve().parents[2]
JAVA_SOURCE = ROOT / "tests" / "java" / "OwlProfileCheck.java"
OWLAPI_JARS = Path("/usr/share/java")
ROBOT = ROOT.parent / "shared" / "conformance" / "robot-report"


def _classpath() -> str:
    jars = sorted(str(p) for p in OWLAPI_JARS.glob("*.jar"))
    if not any("owlapi-distribution" in j for j in jars) or shutil.which("javac") is None:
        pytest.fail("OWL API jars (Debian libowlapi-java) and javac are needed: `make test-deps` installs them")
    return ":".join(jars)


@pytest.fixture(scope="module")
def owl_check(tmp_path_factory):
    classes = tmp_path_factory.mktemp("owlcheck")
    cp = _classpath()
    subprocess.run(["javac", "-cp", cp, "-d", str(classes), str(JAVA_SOURCE)], check=True, capture_output=True)

    def run(path: Path) -> tuple[int, list[str]]:
        proc = subprocess.run(["java", "-cp", f"{classes}:{cp}", "OwlProfileCheck", str(path)],
                              capture_output=True, text=True, timeout=600)
        return proc.returncode, proc.stdout.splitlines()

    return run


def _assert_dl(result: tuple[int, list[str]]) -> None:
    code, lines = result
    assert "ontology IRI https://w3id.org/kgpub/ontology" in lines
    assert "version IRI https://w3id.org/kgpub/ontology/releases/0.1.0" in lines
    assert "ontologies 1" in lines
    violations = [line for line in lines if line.startswith("violation:")]
    assert violations == [] and "violations 0" in lines and code == 0, "\n".join(violations[:20])


def test_owl_api_profile_ontology_alone(owl_check, ontology_files):
    _assert_dl(owl_check(ontology_files / "ontology.owl"))


def test_owl_api_profile_with_a_garden_build(owl_check, garden_dist, tmp_path):
    _assert_dl(owl_check(_merged(tmp_path / "m.nt", [garden_dist / "ontology.ttl", garden_dist / "kg.ttl"])))


def test_a_day_and_a_date_time_as_published(garden_dist):
    """The example garden's FOXO1 note has ``created: 2026-02-13`` (a day) and ``updated:
    '2026-02-13T14:57:56.812583Z'``: the day is the annotation kgo:createdOn (xsd:date is outside the
    OWL 2 datatype map), the date-time the data property dcterms:modified (FaBiO's range, xsd:dateTime,
    cut to milliseconds); no dcterms:created is made up for the day.  The profile test above and the
    reasoner tests read this build."""
    store = Store()
    store.bulk_load(path=str(garden_dist / "kg.ttl"), format=RdfFormat.TURTLE)
    note = "<https://example.org/kg/note/garden/dev_admin/gene/foxo1>"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    rows = sorted((str(r[0]), str(r[1])) for r in store.query(
        f"SELECT ?p ?d WHERE {{ {note} ?p ?d FILTER(isLiteral(?d) && DATATYPE(?d) IN (<{xsd}date>, <{xsd}dateTime>)) }}"))
    assert rows == [("<http://purl.org/dc/terms/modified>", f'"2026-02-13T14:57:56.812Z"^^<{xsd}dateTime>'),
                    ("<https://w3id.org/kgpub/ontology/createdOn>", f'"2026-02-13"^^<{xsd}date>')]


def test_owl_api_profile_with_a_primekg_sample(owl_check, ontology_files, primekg_dist, tmp_path):
    files = [ontology_files / "ontology.ttl", *primekg_parts(primekg_dist)]
    _assert_dl(owl_check(_merged(tmp_path / "m.nt", files)))


def test_owl_api_checker_finds_a_violation(owl_check, tmp_path):
    """The checker is a real judge: an undeclared class is reported."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                   "<urn:x:o> a owl:Ontology . <urn:x:A> a owl:Class ; rdfs:subClassOf <urn:x:Undeclared> .\n")
    code, lines = owl_check(bad)
    assert code == 1 and any("UseOfUndeclaredClass" in line for line in lines)


def _robot_levels() -> dict[str, str]:
    rows = [line.split("\t") for line in (ROBOT / "report_profile.txt").read_text().splitlines() if line.strip()]
    return {name: level for level, name in rows}


def test_robot_report_queries_no_error(ontology_files):
    store = Store()
    store.bulk_load(path=str(ontology_files / "ontology.ttl"), format=RdfFormat.TURTLE)
    levels = _robot_levels()
    assert len(levels) >= 30
    errors = {}
    for name, level in sorted(levels.items()):
        if level != "ERROR":
            continue
        rows = list(store.query((ROBOT / f"{name}.rq").read_text()))
        if rows:
            errors[name] = [str(r[0]) for r in rows[:5]]
    assert errors == {}


FABIO = ROOT.parent / "shared" / "ontologies" / "fabio.ttl"
FRBR = "http://purl.org/vocab/frbr/core#"


def test_owl_api_profile_with_fabio_imported(owl_check, garden_dist, seeds_dir, tmp_path):
    """With FaBiO merged in, the build (a garden and the seed article, with its dates, titles,
    identifiers) puns no property FaBiO declares.  The only violations left are FaBiO's own: the FRBR
    core terms of its import, which is not at hand (checked: FaBiO alone has them all)."""
    seeds = tmp_path / "seeds"
    assert main(["build", str(seeds_dir), "--out", str(seeds)]) == 0
    code, lines = owl_check(_merged(tmp_path / "m.nt", [garden_dist / "ontology.ttl", garden_dist / "kg.ttl",
                                                         seeds / "kg.ttl", FABIO]))
    violations = [line for line in lines if line.startswith("violation:")]
    assert any(FRBR in v for v in violations)  # FaBiO is in
    assert [v for v in violations if FRBR not in v] == []
    _, alone = owl_check(FABIO)
    assert len([v for v in alone if v.startswith("violation:")]) == len(violations)


def test_owl_api_profile_with_minted_properties(owl_check, tmp_path):
    """A build that mints properties for unmapped keys declares them: OWL 2 DL, 0 violations."""
    garden = tmp_path / "g"
    (garden / "drug").mkdir(parents=True)
    (garden / "drug" / "imatinib.md").write_text(
        "---\ntype: drug\ntitle: Imatinib\ndg-publish: true\n---\n\nBINDS_WEAKLY_TO:: [[KIT]]\nrelated: \"[[ABL1]]\"\n",
        encoding="utf-8")
    dist = tmp_path / "d"
    assert main(["build", str(garden), "--out", str(dist)]) == 0
    assert "property/BINDS_WEAKLY_TO" in (dist / "ontology.ttl").read_text(encoding="utf-8")
    _assert_dl(owl_check(_merged(tmp_path / "m.nt", [dist / "ontology.ttl", dist / "kg.ttl"])))
