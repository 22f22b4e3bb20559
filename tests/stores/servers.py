"""Real SPARQL servers on 127.0.0.1 for the tests and benchmarks: Oxigraph and Virtuoso.

Each runs from a temporary folder on a free port, is waited for with a bounded
poll, and is killed when stopped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

VIRTUOSO_PASSWORD = "kgpub-test-secret"


def _remote():
    from kgpub.publish import remote

    return remote


FAST_RETRY = _remote().RetryPolicy(attempts=4, base_delay=0.05, max_delay=0.2, timeout=20)


def virtuoso_credentials():
    """The test Virtuoso's dba account (digest auth on /sparql-auth)."""
    return _remote().Credentials("dba", VIRTUOSO_PASSWORD, "digest")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            text = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}\n{text}")
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class Server:
    base_url: str
    proc: subprocess.Popen
    folder: Path

    def stop(self) -> None:
        stop(self.proc)


def start_oxigraph(folder: Path, *, read_only: bool = False, extra: list[str] | None = None) -> Server:
    """``oxigraph serve --location folder/data`` on a free port."""
    if shutil.which("oxigraph") is None:
        raise RuntimeError("the oxigraph server CLI is not installed (pip install oxigraph)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    command = ["oxigraph", "serve-read-only" if read_only else "serve", "--location", str(folder / "data"),
               "--bind", f"127.0.0.1:{port}", *(extra or [])]
    proc = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/query?query=ASK%7B%7D", proc, 30, log)
    except Exception:
        stop(proc)
        raise
    return Server(base, proc, folder)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {d}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 512M
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DeferInferenceRulesInit = 0
"""

#: Lets anonymous /sparql read, and dba update through /sparql-auth (digest) and the Graph Store.
VIRTUOSO_SETUP = (
    "GRANT SPARQL_UPDATE TO \"dba\"; "
    "USER_SET_PASSWORD('dba', '{password}');"
)


def start_virtuoso(folder: Path, *, timeout: float = 60) -> Server:
    """``virtuoso-t +foreground`` with its own ini in ``folder``; dba's password is VIRTUOSO_PASSWORD."""
    binary = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if binary is None or isql is None:
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "stdout.log"
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_http(f"{base}/sparql?query=ASK%7B%7D", proc, timeout, log)
        done = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba",
                               "exec=" + VIRTUOSO_SETUP.format(password=VIRTUOSO_PASSWORD)],
                              capture_output=True, text=True, timeout=30)
        if done.returncode != 0 or "Error" in done.stdout + done.stderr:
            raise RuntimeError(f"Virtuoso setup failed: {done.stdout}{done.stderr}")
    except Exception:
        stop(proc)
        raise
    return Server(base, proc, folder)


def start_kgpub_serve(dist: Path, folder: Path, *, extra: list[str] | None = None, env: dict | None = None,
                      timeout: float = 60) -> Server:
    """``kgpub serve DIST --store folder/store`` as its own process on a free port."""
    import os
    import sys

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "kgpub-serve.log"
    command = [sys.executable, "-c", "from kgpub.cli import run; run()", "serve", str(dist),
               "--store", str(folder / "store"), "--port", str(port), *(extra or [])]
    proc = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/sparql?query=ASK%7B%7D", proc, timeout, log)
    except Exception:
        stop(proc)
        raise
    return Server(base, proc, folder)
