"""A PostgreSQL server for the warehouse tests: the one CI started, or a throwaway cluster of our own."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from typing import Iterator


class NoPostgres(Exception):
    """No server was given and none could be started here; the message says why."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bin_dir() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[-2].split(".") if x.isdigit()])
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    raise NoPostgres("PostgreSQL is not installed (apt-get install postgresql, or set STORYMINER_TEST_PG_URL)")


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a URL to a server's maintenance database ("postgres")."""
    given = os.environ.get("STORYMINER_TEST_PG_URL")
    if given:
        yield given
        return
    bin_dir = _bin_dir()
    data = tempfile.mkdtemp(prefix="storyminer-test-pg-")
    as_pg: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(data, "postgres", "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_pg, *cmd], check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run(f"{bin_dir}/initdb", "-D", data, "-A", "trust", "-U", "postgres")
        run(f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{data}/server.log", "-w", "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(data, ignore_errors=True)
        detail = getattr(exc, "stderr", "") or str(exc)
        raise NoPostgres(f"could not start a PostgreSQL server: {detail.strip()}") from None
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)
