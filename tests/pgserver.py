"""A throwaway PostgreSQL server for the store tests (and benchmarks): Debian's binaries, a temp dir, loopback.

`throwaway_server` runs ``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin`` (Debian's
``postgresql`` package; ``make test`` installs it) in a fresh temporary folder, on a free port of 127.0.0.1
only, with trust authentication (nothing but this machine can connect, and the data is thrown away). As
root, initdb refuses to run, so the server runs as the ``postgres`` OS user the package creates.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["PostgresUnavailable", "pg_bin", "server_or_skip", "throwaway_server"]


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started here (the message says why)."""


def pg_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding initdb, or None."""
    found = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a PostgreSQL server for the length of the ``with``; yield its superuser URL (database postgres).

    Raises
    ------
    PostgresUnavailable
        No PostgreSQL binaries, no ``postgres`` user to run them as root, or the server did not start.
    """
    bindir = pg_bin()
    if bindir is None:
        raise PostgresUnavailable("no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)")
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no postgres user to run the server") from None
        prefix = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="ghyzt-pg-"))
    data, log = root / "data", root / "server.log"
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    started = False
    try:
        init = subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                               "-E", "UTF8", "--locale=C"], capture_output=True, text=True, timeout=120, check=False,
                              cwd=root)  # the postgres user may not enter the caller's folder (/root in CI)
        if init.returncode:
            raise PostgresUnavailable(f"initdb failed: {(init.stderr or init.stdout).strip()[-500:]}")
        start = subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                                "-o", options, "start"], capture_output=True, text=True, timeout=90, check=False, cwd=root)
        if start.returncode:
            tail = log.read_text(errors="replace")[-500:] if log.exists() else start.stderr
            raise PostgresUnavailable(f"pg_ctl start failed: {tail.strip()}")
        started = True
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60, check=False, cwd=root)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def stopped(admin_url: str) -> Iterator[None]:
    """Stop a throwaway server (its data kept) for the length of the ``with``, then start it again."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as con:
        data = con.execute("SHOW data_directory").fetchone()[0]
        options = " ".join(f"-c {k}={con.execute(f'SHOW {k}').fetchone()[0]}"
                           for k in ("listen_addresses", "port", "unix_socket_directories", "fsync"))
    bindir = pg_bin()
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    log = str(Path(data).parent / "server.log")
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"], capture_output=True,
                   timeout=60, check=True, cwd=Path(data).parent)
    try:
        yield
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "60", "-o", options,
                        "start"], capture_output=True, timeout=90, check=True, cwd=Path(data).parent)


def server_or_skip():
    """Start a throwaway server for a test: its context manager and URL; no server skips the test, except in
    CI (``CI=true``), where the PostgreSQL store tests must run and the test fails instead."""
    import pytest

    try:
        server = throwaway_server()
        return server, server.__enter__()
    except PostgresUnavailable as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the PostgreSQL store tests: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
