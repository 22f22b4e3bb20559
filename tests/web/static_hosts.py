"""Real static web servers from Debian (nginx, apache2) on 127.0.0.1, serving a site ``kgpub site``
exported, with the host rules it wrote: context managers that yield the server's URL."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
import requests

from webgarden import BASE
from kgpub.web.export import SiteSettings, export_site
from live import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")


def _wait_until_up(proc: subprocess.Popen, url: str, name: str, log: Path) -> None:
    """Until ``url`` answers (at most 20 s); the server's own messages if it exits first."""
    deadline = time.monotonic() + 20
    while True:
        if proc.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{name} exited: {proc.stderr.read().decode(errors='replace')}{text}")
        try:
            requests.get(url + "/", timeout=1)
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def _running(command: list[str], url: str, name: str, log: Path, env: dict | None = None) -> Iterator[str]:
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        _wait_until_up(proc, url, name, log)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def nginx(store, dist: Path, folder: Path) -> Iterator[str]:
    """nginx with the two snippets kgpub site writes (``-/host/nginx-http.conf``, ``nginx-server.conf``)."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (make test-deps installs it)")
    site = folder / "site"
    export_site(store, SiteSettings(BASE, dist, site))
    port = free_port()
    temp = "".join(f"{kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    {temp}
    include {site}/-/host/nginx-http.conf;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        include {site}/-/host/nginx-server.conf;
    }}
}}
""")
    command = [NGINX, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(folder / "nginx.conf")]
    with _running(command, f"http://127.0.0.1:{port}", "nginx", folder / "error.log") as url:
        yield url


@contextmanager
def apache(store, dist: Path) -> Iterator[str]:
    """apache2 with mod_rewrite, mod_headers and mod_mime, the site as document root (AllowOverride All,
    so its ``.htaccess`` applies)."""
    if not Path(APACHE).exists():
        pytest.skip("apache2 is not installed (make test-deps installs it)")
    folder = Path(tempfile.mkdtemp(prefix="kgpub-apache-"))  # readable by the user Apache runs as
    try:
        folder.chmod(0o755)
        site = folder / "site"
        export_site(store, SiteSettings(BASE, dist, site))
        for path in site.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        port = free_port()
        modules = "".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so\n"
                          for name in ("mpm_event", "authz_core", "dir", "mime", "rewrite", "headers"))
        user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
        (folder / "httpd.conf").write_text(f"""{modules}{user}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {folder}/httpd.pid
ErrorLog {folder}/error.log
Mutex file:{folder}
TypesConfig /etc/mime.types
DocumentRoot {site}
<Directory {site}>
    AllowOverride All
    Require all granted
</Directory>
""")
        command = [APACHE, "-f", str(folder / "httpd.conf"), "-DFOREGROUND"]
        with _running(command, f"http://127.0.0.1:{port}", "apache2", folder / "error.log",
                      env={**os.environ, "APACHE_RUN_DIR": str(folder)}) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)
