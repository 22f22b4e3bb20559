"""kgpub.toml: the typed configuration and its file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgpub.config import GardenConfig, LexiconSpec, PublishMode, config_for, load_config
from kgpub.config import ConfigFileError

FULL = """\
base_iri = "https://kg.example.org/"
[dataset]
title = "PrimeKG garden"
description = "Drugs, targets and diseases"
license = "https://creativecommons.org/licenses/by/4.0/"
creators = ["A. Author", "B. Author"]
publisher = "Example Lab"
version = "2026.12"
homepage = "https://lab.example.org/"
[site]
url = "https://garden.example.org/"
[files]
include = ["**/*.md"]
exclude = ["templates/**", "daily/**"]
[publish]
mode = "all-but-private"
[extend]
mappings = ["kgpub/mappings"]
[[lexicon]]
path = "lexicons/hp.obo"
format = "obo"
prefix = "HP"
"""


def _write(folder: Path, text: str) -> Path:
    (folder / "kgpub" / "mappings").mkdir(parents=True, exist_ok=True)
    (folder / "lexicons").mkdir(exist_ok=True)
    (folder / "lexicons" / "hp.obo").write_text("format-version: 1.2\n", encoding="utf-8")
    path = folder / "kgpub.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_file_gives_typed_values_with_paths_relative_to_the_file(tmp_path):
    config = load_config(_write(tmp_path, FULL))
    assert config.base_iri == "https://kg.example.org/"
    assert config.dataset.creators == ("A. Author", "B. Author")
    assert config.dataset.version == "2026.12"
    assert config.site.page("/gene/akt1/") == "https://garden.example.org/gene/akt1/"
    assert config.publish is PublishMode.ALL_BUT_PRIVATE
    assert config.extend.mappings == ((tmp_path / "kgpub" / "mappings").resolve(),)
    assert config.lexicons == (LexiconSpec((tmp_path / "lexicons" / "hp.obo").resolve(), "obo", "HP"),)
    assert config.files.selects("gene/akt1.md") and config.files.selects("top.md")
    assert not config.files.selects("templates/gene.md") and not config.files.selects("daily/2026-01-01.md")
    assert not config.files.selects("gene/akt1.txt")


def test_default_is_the_digital_garden_rule():
    config = GardenConfig()
    assert config.publish is PublishMode.DIGITAL_GARDEN
    assert not config.files.selects(".obsidian/workspace.md")
    assert config.files.selects("a/b/c.html")


def test_spdx_identifier_becomes_its_iri(tmp_path):
    config = load_config(_write(tmp_path, '[dataset]\nlicense = "CC-BY-4.0"\n'))
    assert config.dataset.license == "https://spdx.org/licenses/CC-BY-4.0"


def test_each_problem_is_one_line_at_its_key(tmp_path):
    text = FULL.replace('version = "2026.12"', "version = 2026.12\ncolour = \"red\"").replace(
        'mode = "all-but-private"', 'mode = "everything"').replace('format = "obo"', 'format = "csv"')
    text = 'base_iri = "ftp://kg.example.org/"\n' + text.split("\n", 1)[1]
    path = _write(tmp_path, text)
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{path}:1: error: base_iri: base IRI must be an absolute http(s) IRI ending in '/' or '#': 'ftp://kg.example.org/'",
        f"{path}:8: error: dataset.version must be a string, not a number (quote it: version = \"2026.12\")",
        f"{path}:9: error: unknown key 'dataset.colour' (expected one of: title, description, license, creators, publisher, version, homepage)",
        f"{path}:17: error: publish.mode: 'everything' is not a publishing mode (one of: digital-garden, all-but-private)",
        f"{path}:22: error: lexicon.format: 'csv' is not a lexicon format (one of: drugbank-mappings, hgnc-tsv, obo, obographs-json, owl, primekg-nodes, sssom)",
    ]


def test_missing_path_and_unknown_table(tmp_path):
    path = _write(tmp_path, '[extend]\nshapes = ["shapes/missing.ttl"]\n\n[sites]\nurl = "https://x.org/"\n')
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{path}:2: error: extend.shapes: 'shapes/missing.ttl' does not exist (paths are relative to {path})",
        f"{path}:4: error: unknown key 'sites' (expected one of: base_iri, dataset, site, files, publish, extend, lexicon)",
    ]


def test_invalid_toml_names_its_line(tmp_path):
    path = _write(tmp_path, '[dataset]\ntitle = "T"\ncreators = [\n')
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == str(path) and diagnostic.line == 4
    assert str(diagnostic).startswith(f"{path}:4: error: not valid TOML: ")


def test_config_for_finds_the_garden_file(tmp_path):
    _write(tmp_path, '[publish]\nmode = "all-but-private"\n')
    assert config_for(tmp_path).publish is PublishMode.ALL_BUT_PRIVATE
    assert config_for(tmp_path / "lexicons").publish is PublishMode.DIGITAL_GARDEN
