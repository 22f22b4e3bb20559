"""kgpub.cache.file_digest: one SHA-256 per version of a file, never a stale one."""

from __future__ import annotations

import hashlib
import os

from kgpub.cache import file_digest


def test_digest_is_the_sha256_of_the_bytes_and_follows_every_write(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_bytes(b"a\tb\n")
    assert file_digest(path) == hashlib.sha256(b"a\tb\n").hexdigest()
    path.write_bytes(b"a\tc\n")  # same size, written at once: a fresh file is hashed again
    assert file_digest(path) == hashlib.sha256(b"a\tc\n").hexdigest()


def test_a_settled_file_is_hashed_once_per_version(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_bytes(b"x" * 10)
    old = 1_000_000_000_000_000_000  # 2001: settled
    os.utime(path, ns=(old, old))
    first = file_digest(path)
    path.write_bytes(b"y" * 10)
    os.utime(path, ns=(old, old))  # same mtime and size: taken as the same version
    assert file_digest(path) == first
    os.utime(path, ns=(old + 1, old + 1))  # another version
    assert file_digest(path) == hashlib.sha256(b"y" * 10).hexdigest()
