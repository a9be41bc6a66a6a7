"""The dashboard as a small cluster on one machine: PostgreSQL, N Streamlit replicas, nginx in front.

    .venv/bin/python -m deploy.cluster start [--replicas 2] [--port 8610] [--dir /tmp/ghyzt-cluster]
    .venv/bin/python -m deploy.cluster stop [--dir /tmp/ghyzt-cluster]
    .venv/bin/python -m deploy.cluster render --replica HOST:PORT [--replica …] --listen 80 \
        --static-dir /srv/ghyzt/static --prefix /var/lib/ghyzt-nginx [--user www-data] \
        [--frame-ancestor https://portal.example …] > nginx.conf

`start` (what `make cluster` runs) brings everything up on loopback ports, prints the URL and keeps it
running until Ctrl-C, SIGTERM or `stop` from another shell. Ports: nginx on PORT, replica i on PORT + i,
PostgreSQL on PORT + 9. Each part logs into the run folder (``replica-1.log``, ``nginx/access.log`` with
the replica that served each request, ``postgres.log``). `render` writes the nginx configuration for real
servers (README.md, Deployment).

The tests (`tests/cluster/test_cluster.py`) and the load benchmark (`bench/load.py`) use the `Cluster` class.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULT_RUN_DIR = Path(tempfile.gettempdir()) / "ghyzt-cluster"
PG_PORT_OFFSET = 9
PG_USER = "ghyzt"
PG_DATABASE = "ghyzt"
ROUTE_COOKIE = "ghyzt_route"  # the sticky cookie nginx hands out (deploy/nginx.conf.template)
SESSION_COOKIE = "ghyzt_replica"  # the replica of the browser's session, set by nginx (deploy/nginx.conf.template)

#: How long a replica keeps a closed tab's session (Streamlit's default is 120 s). A tab that comes back
#: within this time (a network blip, a laptop lid) gets its session back; after it the memory is freed,
#: and a planner's draft lives on in the store anyway.
DISCONNECTED_SESSION_TTL_S = 30

__all__ = ["ROUTE_COOKIE", "SESSION_COOKIE", "Cluster", "ClusterError", "free_port_block", "pg_bin_dir", "render_nginx_conf",
           "replica_name"]


def free_port_block(start: int = 8640, size: int = PG_PORT_OFFSET + 1, stop: int = 8700) -> int:
    """The first port from ``start`` with ``size`` free ports after it (nginx, the replicas, PostgreSQL), so
    that a test's cluster does not collide with one already running on this machine."""
    import socket

    for base in range(start, stop - size + 1, size):
        try:
            for p in range(base, base + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        return base
    raise ClusterError(f"no {size} free ports in {start}–{stop}")


class ClusterError(RuntimeError):
    """A part of the cluster is missing or did not start; the message says which and where its log is."""


def replica_name(index: int) -> str:
    """What nginx's X-Ghyzt-Replica header calls replica ``index`` (1-based, in the order rendered)."""
    return f"replica-{index}"


def pinned_upstream(index: int) -> str:
    """The nginx upstream group of replica ``index`` as a session's replica (the others its backups)."""
    return f"ghyzt_replica_{index}"


def render_nginx_conf(replicas: list[str], *, listen: str, static_dir: Path | str, prefix: Path | str,
                      user: str | None = None, worker_processes: str = "auto",
                      frame_ancestors: Sequence[str] = ()) -> str:
    """The nginx configuration (deploy/nginx.conf.template) for these replica addresses (``host:port``).

    A replica refused once is left alone for 5 s (``max_fails=1 fail_timeout=5s``): long enough that a
    reconnecting tab goes straight to a live replica, short enough that a restarted one takes its share
    back soon. ``frame_ancestors``: origins (``https://portal.example``) besides the dashboard's own that may
    frame it (the embed snippet on a bureau's intranet page); none by default.
    """
    if not replicas:
        raise ValueError("at least one replica")
    for origin in frame_ancestors:
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
            raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    ancestors = " ".join(["'self'", *frame_ancestors])
    # X-Frame-Options (browsers without CSP's frame-ancestors) knows no list of origins: only when the
    # dashboard's own origin is the only one allowed.
    x_frame = ("        add_header X-Frame-Options SAMEORIGIN always;  # frame-ancestors for browsers before CSP 2"
               if not frame_ancestors else "        # (no X-Frame-Options: frame-ancestors allows other origins)")
    servers = "\n".join(f"        server {r} max_fails=1 fail_timeout=5s;" for r in replicas)
    # X-Ghyzt-Replica names the replica that answered (replica-1 …), never its address: the last address
    # of $upstream_addr ("A, B" after a retry), matched to the end.
    names = "\n".join(f'        "~(^|, ){re.escape(r)}$" {replica_name(i)};' for i, r in enumerate(replicas, 1))
    # The session's replica (the ghyzt_replica cookie names it): a group of its own, the others its backups.
    routes = "\n".join(f"        {replica_name(i)} {pinned_upstream(i)};" for i in range(1, len(replicas) + 1))
    pinned = "\n".join(
        f"    upstream {pinned_upstream(i)} {{\n        server {r} max_fails=1 fail_timeout=5s;\n"
        + "".join(f"        server {o} max_fails=1 fail_timeout=5s backup;\n" for o in replicas if o != r)
        + "        keepalive 8;\n        keepalive_timeout 4s;\n    }"
        for i, r in enumerate(replicas, 1))
    # An absolute redirect to a replica's own address (were one ever sent) would leak it: made relative.
    redirects = "\n".join(f"        proxy_redirect http://{r}/ /;" for r in replicas)
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"servers": servers, "replica_names": names, "pinned_routes": routes,
                       "pinned_upstreams": pinned, "redirects": redirects, "listen": listen,
                       "static_dir": str(static_dir).rstrip("/"), "prefix": str(prefix).rstrip("/"),
                       "worker_processes": worker_processes, "frame_ancestors": ancestors,
                       "x_frame_options": x_frame}.items():
        text = text.replace("${" + key + "}", value)
    if "${" in text:
        raise ValueError(f"unrendered placeholder in {TEMPLATE.name}: {text[text.index('${'):][:40]}")
    if user:
        # nginx started as root runs its workers as `nobody`, which cannot read a folder under /root or
        # a pytest temp folder; on real servers this is Debian's `www-data`.
        text = f"user {user};\n" + text
    return text


def pg_bin_dir() -> Path:
    """The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not found:
        raise ClusterError("PostgreSQL is not installed (apt-get install postgresql; `make system` does it)")
    return Path(found[-1]).parent


def nginx_bin() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise ClusterError("nginx is not installed (apt-get install nginx; `make system` does it)")
    return found


def _wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None, what: str = "") -> None:
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise ClusterError(f"{what or url} exited with status {proc.returncode}") from None
            if time.time() > deadline:
                raise ClusterError(f"{what or url} did not answer within {timeout:.0f} s") from None
            time.sleep(0.3)


@dataclass
class Replica:
    """One `streamlit run dashboard.py` behind nginx."""

    index: int
    port: int
    log: Path
    proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def name(self) -> str:
        """What nginx's X-Ghyzt-Replica header calls it."""
        return replica_name(self.index)

    @property
    def url(self) -> str:
        return f"http://{self.address}"


@dataclass
class Cluster:
    """PostgreSQL, ``replicas`` dashboard replicas and nginx, on loopback ports from ``port``.

    Use as a context manager (everything is stopped on exit, also after an error) or `start` / `stop`.
    ``store="postgres"`` gives every replica ``GEO_STORE_URL`` of one throwaway database (initdb in a
    temp folder, run as the ``postgres`` OS user when we are root); ``store="sqlite"`` one SQLite file
    that all replicas share (one machine only: a reference for the benchmark).
    """

    run_dir: Path = DEFAULT_RUN_DIR
    replicas: int = 2
    port: int = 8610
    store: str = "postgres"
    env: dict[str, str] = field(default_factory=dict)
    streamlit_args: tuple[str, ...] = ()
    members: list[Replica] = field(default_factory=list, init=False)
    nginx: subprocess.Popen | None = field(default=None, init=False)
    pg_data: Path | None = field(default=None, init=False)

    # ------------------------------------------------------------------ addresses

    @property
    def url(self) -> str:
        """Where planners open the dashboard: nginx."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pg_port(self) -> int:
        return self.port + PG_PORT_OFFSET

    @property
    def store_url(self) -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.pg_port}/{PG_DATABASE}"

    @property
    def nginx_prefix(self) -> Path:
        return self.run_dir / "nginx"

    @property
    def access_log(self) -> Path:
        return self.nginx_prefix / "access.log"

    # ------------------------------------------------------------------ life cycle

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if not 1 <= self.replicas < PG_PORT_OFFSET:
            raise ValueError(f"1 to {PG_PORT_OFFSET - 1} replicas")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "geo", "prepare"], cwd=ROOT, check=True, capture_output=True)
        if self.store == "postgres":
            self.start_postgres()
        self.members = [Replica(i, self.port + i, self.run_dir / f"replica-{i}.log")
                        for i in range(1, self.replicas + 1)]
        for replica in self.members:  # all at once: each takes a few seconds to import geopandas & co.
            self.start_replica(replica.index, wait=False)
        for replica in self.members:
            _wait_http(replica.url + "/_stcore/health", 120, replica.proc, f"replica {replica.index} ({replica.log})")
        self.start_nginx()
        self._write_state()

    def stop(self) -> None:
        """Stop nginx, the replicas and PostgreSQL (each only if we started it), and remove the database."""
        if self.nginx is not None:
            _terminate(self.nginx)
            self.nginx = None
        for replica in self.members:
            if replica.proc is not None:
                _terminate(replica.proc)
                replica.proc = None
        self.stop_postgres()
        with contextlib.suppress(FileNotFoundError):
            (self.run_dir / "cluster.json").unlink()

    # ------------------------------------------------------------------ PostgreSQL

    def _as_postgres(self) -> list[str]:
        """PostgreSQL refuses to run as root: as root, run its tools as the `postgres` OS user."""
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start_postgres(self) -> None:
        pg = pg_bin_dir()
        # In a folder of its own under /tmp (not under run_dir: that may sit in a folder only root can
        # enter, such as pytest's), owned by the user the server runs as.
        self.pg_data = Path(tempfile.mkdtemp(prefix="ghyzt-pg-"))
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.pg_data, pw.pw_uid, pw.pw_gid)
        data = self.pg_data / "data"
        log = self.run_dir / "postgres.log"
        sudo = self._as_postgres()
        _run([*sudo, str(pg / "initdb"), "-D", str(data), "-U", PG_USER, "-A", "trust", "-E", "UTF8",
              "--no-locale", "--no-sync"], "initdb")
        # The server writes its log as the postgres user: into its own folder, copied to run_dir's log on stop
        opts = f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {self.pg_data} -c fsync=off"
        _run([*sudo, str(pg / "pg_ctl"), "-D", str(data), "-l", str(self.pg_data / "postgres.log"), "-o", opts,
              "-w", "-t", "60", "start"], f"pg_ctl start (log: {self.pg_data / 'postgres.log'})")
        _run([str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", PG_USER, PG_DATABASE],
             "createdb")
        log.write_text(f"PostgreSQL {pg.parent.name}: {self.store_url}, data in {data}\n", encoding="utf-8")

    def stop_postgres(self) -> None:
        if self.pg_data is None:
            return
        data = self.pg_data / "data"
        if (data / "postmaster.pid").exists():
            subprocess.run([*self._as_postgres(), str(pg_bin_dir() / "pg_ctl"), "-D", str(data), "-m", "fast",
                            "-w", "stop"], capture_output=True, check=False)
        with contextlib.suppress(OSError), open(self.run_dir / "postgres.log", "a", encoding="utf-8") as out:
            out.write((self.pg_data / "postgres.log").read_text(encoding="utf-8", errors="replace"))
        shutil.rmtree(self.pg_data, ignore_errors=True)
        self.pg_data = None

    # ------------------------------------------------------------------ replicas

    def replica_env(self, index: int) -> dict[str, str]:
        env = {**os.environ, **self.env}
        if self.store == "postgres":
            env["GEO_STORE_URL"] = self.store_url
            # A SQLite file of each replica's own where it would fall back to one: a replica that ignored
            # GEO_STORE_URL would then keep its plans to itself, and the cluster test would see it.
            env["GEO_STORE_PATH"] = str(self.run_dir / f"replica-{index}.sqlite3")
        else:
            env["GEO_STORE_PATH"] = str(self.run_dir / "plans.sqlite3")  # one file for all (one machine only)
        # One cookie secret for all replicas: what one signs (Streamlit's auth cookies), another accepts.
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", self._cookie_secret())
        return env

    def _cookie_secret(self) -> str:
        path = self.run_dir / "cookie-secret"
        if not path.exists():
            path.write_text(secrets.token_hex(32), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def start_replica(self, index: int, wait: bool = True) -> Replica:
        """Start (or restart) replica ``index`` (1-based)."""
        replica = self.members[index - 1]
        if replica.proc is not None and replica.proc.poll() is None:
            return replica
        cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(replica.port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.disconnectedSessionTTL", str(DISCONNECTED_SESSION_TTL_S), *self.streamlit_args]
        with open(replica.log, "ab") as log:
            # A session of its own: Ctrl-C in `make cluster`'s terminal reaches this script, which stops
            # the replicas in order, not every process at once.
            replica.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.replica_env(index), stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            _wait_http(replica.url + "/_stcore/health", 120, replica.proc, f"replica {index} ({replica.log})")
        return replica

    def kill_replica(self, index: int) -> None:
        """Kill replica ``index`` at once (SIGKILL: a crash, not a shutdown)."""
        replica = self.members[index - 1]
        if replica.proc is not None:
            replica.proc.kill()
            replica.proc.wait(10)
            replica.proc = None

    def replica_pids(self) -> list[int]:
        return [r.proc.pid for r in self.members if r.proc is not None and r.proc.poll() is None]

    def replica_by_address(self, address: str) -> Replica | None:
        return next((r for r in self.members if r.address == address), None)

    def replica_by_name(self, name: str) -> Replica | None:
        return next((r for r in self.members if r.name == name), None)

    def served_by(self, route: str, path: str = "/_stcore/health") -> str:
        """The address of the replica nginx sends a browser with sticky cookie ``route`` to (nginx names it in
        X-Ghyzt-Replica; "" if none answered)."""
        req = urllib.request.Request(self.url + path, headers={"Cookie": f"{ROUTE_COOKIE}={route}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            replica = self.replica_by_name(resp.headers.get("X-Ghyzt-Replica", ""))
            return replica.address if replica else ""

    def route_to(self, index: int, name: str = "planner") -> str:
        """A sticky-cookie value that nginx hashes to replica ``index``: ``name-0``, ``name-1``, … the first
        that lands there (so a test can put one browser on replica A and another on replica B)."""
        want = self.members[index - 1].address
        for n in range(200):
            route = f"{name}-{n}"
            if self.served_by(route) == want:
                return route
        raise ClusterError(f"no route cookie reaches replica {index}")

    def routes_served(self, route: str, path: str = "/_stcore/stream", at_least: int = 1,
                      timeout: float = 10) -> list[str]:
        """Replica addresses nginx's access log shows for ``path`` requests with sticky cookie ``route``, in
        order. A websocket is logged when it closes, a moment after its browser is closed: wait up to
        ``timeout`` s for ``at_least`` lines."""
        deadline = time.time() + timeout
        while True:
            out = []
            if self.access_log.exists():
                for line in self.access_log.read_text(encoding="utf-8", errors="replace").splitlines():
                    if f" route={route} " in line and f'"GET {path}' in line:
                        # "upstream=A, B" when nginx tried A, found it dead and went on to B
                        out.append(line.split(" upstream=", 1)[1].split(" status=", 1)[0].split(", ")[-1])
            if len(out) >= at_least or time.time() > deadline:
                return out
            time.sleep(0.2)

    # ------------------------------------------------------------------ nginx

    def start_nginx(self) -> None:
        prefix = self.nginx_prefix
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(render_nginx_conf([r.address for r in self.members], listen=f"127.0.0.1:{self.port}",
                                          static_dir=ROOT / "static", prefix=prefix,
                                          user="root" if os.geteuid() == 0 else None, worker_processes="1"),
                        encoding="utf-8")
        nginx = nginx_bin()
        _run([nginx, "-t", "-q", "-c", str(conf), "-p", f"{prefix}/"], f"nginx -t -c {conf}")
        with open(prefix / "nginx.out", "ab") as out:
            self.nginx = subprocess.Popen([nginx, "-c", str(conf), "-p", f"{prefix}/", "-g", "daemon off;"],
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_http(self.url + "/_stcore/health", 30, self.nginx, f"nginx ({prefix / 'error.log'})")

    # ------------------------------------------------------------------ state for `stop`

    def _write_state(self) -> None:
        state = {"url": self.url, "pids": [p for p in [*self.replica_pids(), self.nginx and self.nginx.pid] if p],
                 "pg_data": str(self.pg_data) if self.pg_data else None}
        (self.run_dir / "cluster.json").write_text(json.dumps(state), encoding="utf-8")


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ClusterError(f"{what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-800:]}")


def _terminate(proc: subprocess.Popen, timeout: float = 15) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def stop_running(run_dir: Path) -> int:
    """`stop`: end the cluster whose state is in ``run_dir`` (started by `start` in another shell)."""
    state_file = run_dir / "cluster.json"
    if not state_file.exists():
        print(f"no cluster running from {run_dir}", file=sys.stderr)
        return 1
    state = json.loads(state_file.read_text(encoding="utf-8"))
    # The `start` process stops everything itself on SIGTERM; signal it, else the parts it recorded.
    pid_file = run_dir / "cluster.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
            for _ in range(100):
                if not state_file.exists():
                    return 0
                time.sleep(0.3)
    for pid in state["pids"]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    if state.get("pg_data"):
        data = Path(state["pg_data"]) / "data"
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, str(pg_bin_dir() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(state["pg_data"], ignore_errors=True)
    state_file.unlink()
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start PostgreSQL, the replicas and nginx; stop on Ctrl-C")
    start.add_argument("--replicas", type=int, default=2)
    start.add_argument("--port", type=int, default=8610, help="nginx's port; replicas and PostgreSQL follow it")
    start.add_argument("--dir", type=Path, default=DEFAULT_RUN_DIR, help="run folder (logs, nginx prefix)")
    start.add_argument("--store", choices=("postgres", "sqlite"), default="postgres")
    stop = sub.add_parser("stop", help="stop a cluster started by `start` in another shell")
    stop.add_argument("--dir", type=Path, default=DEFAULT_RUN_DIR)
    render = sub.add_parser("render", help="print the nginx configuration for real servers")
    render.add_argument("--replica", action="append", required=True, help="HOST:PORT of a replica (repeat)")
    render.add_argument("--listen", default="80")
    render.add_argument("--static-dir", default=str(ROOT / "static"),
                        help="the dashboard's static/ folder on the nginx host (after `python -m geo prepare`)")
    render.add_argument("--prefix", default="/var/lib/ghyzt-nginx", help="nginx's logs, pid and temp files")
    render.add_argument("--user", default="www-data")
    render.add_argument("--frame-ancestor", action="append", default=[], metavar="ORIGIN",
                        help="an origin besides the dashboard's own that may frame it, e.g. the intranet portal "
                             "that shows the embed snippet: https://portal.example (repeat)")
    args = ap.parse_args(argv)

    if args.command == "render":
        try:
            text = render_nginx_conf(args.replica, listen=args.listen, static_dir=args.static_dir,
                                     prefix=args.prefix, user=args.user, frame_ancestors=args.frame_ancestor)
        except ValueError as exc:
            ap.error(str(exc))
        sys.stdout.write(text)
        return 0
    if args.command == "stop":
        return stop_running(args.dir)

    cluster = Cluster(run_dir=args.dir, replicas=args.replicas, port=args.port, store=args.store)
    def on_sigterm(*_: object) -> None:
        raise KeyboardInterrupt  # `stop` from another shell: the same orderly stop as Ctrl-C

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        with cluster:
            (args.dir / "cluster.pid").write_text(str(os.getpid()), encoding="utf-8")
            print(f"规划一张图 cluster: {cluster.url}/  ({args.replicas} replicas "
                  f"{', '.join(r.address for r in cluster.members)}; store "
                  f"{cluster.store_url if args.store == 'postgres' else 'SQLite'}; logs in {args.dir})", flush=True)
            print("Ctrl-C (or `deploy/cluster.sh stop`) stops everything.", flush=True)
            while all(r.proc is not None and r.proc.poll() is None for r in cluster.members) and \
                    cluster.nginx is not None and cluster.nginx.poll() is None:
                time.sleep(1)
            print("a part of the cluster exited; stopping the rest (see the logs)", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    except ClusterError as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        return 2
    finally:
        with contextlib.suppress(FileNotFoundError):
            (args.dir / "cluster.pid").unlink()


if __name__ == "__main__":
    sys.exit(main())
