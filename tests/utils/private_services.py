"""Private PostgreSQL, Redis and RabbitMQ instances on free loopback ports, for fault tests.

The shared services (5432, 6379, 5672) are never stopped: a fault test starts its own
instance here, stops it (as a crash would: `pg_ctl -m immediate`, SIGKILL) and starts it
again on the same port and data. Each launcher skips the test when its binaries are absent
(fails it in CI, as `tests.utils.services` does) and `close()` leaves no process behind.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.utils.services import require_path, require_tool

__all__ = ["PrivatePostgres", "PrivateRabbit", "PrivateRedis", "free_port", "wait_port"]

START_TIMEOUT_SECS = 45.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_port(port: int, *, up: bool = True, timeout: float = START_TIMEOUT_SECS) -> None:
    """Until loopback `port` accepts connections (`up`) or refuses them."""
    deadline = time.monotonic() + timeout
    while port_open(port) != up:
        if time.monotonic() > deadline:
            raise TimeoutError(f"port {port} still {'closed' if up else 'open'} after {timeout}s")
        time.sleep(0.1)


def _kill_group(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGKILL `proc` and its children (started in their own session), then reap it."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


class PrivateRedis:
    """`redis-server` on a free port; `stop()` is a SIGKILL. `persistent`: every write goes to
    an append-only file first, so a restart keeps the data (as a deployment with AOF would);
    else there is no persistence."""

    def __init__(self, work_dir: Path, *, persistent: bool = False) -> None:
        self.binary = require_tool("redis-server")
        self.port = free_port()
        self.log = work_dir / f"redis-{self.port}.log"
        self.data = work_dir / f"redis-{self.port}" if persistent else None
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--logfile", str(self.log)]
        if self.data is None:
            args += ["--appendonly", "no"]
        else:
            self.data.mkdir(exist_ok=True)
            args += ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.data)]
        self.proc = subprocess.Popen(args, start_new_session=True)
        wait_port(self.port)

    def stop(self) -> None:
        _kill_group(self.proc)
        self.proc = None
        wait_port(self.port, up=False)

    close = stop


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    path = Path(found[-1]).parent if found else Path("/usr/lib/postgresql/<version>/bin")
    return require_path(path, "PostgreSQL server binaries")


class PrivatePostgres:
    """A PostgreSQL cluster of its own (`initdb`, trust auth) on a free port.

    As root it runs as the `postgres` user (initdb refuses root), in a directory of its own
    outside pytest's tmp dirs, which that user could not enter.
    """

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="wp-faults-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "pg.log"
        self._user: str | None = None
        if os.geteuid() == 0:
            self._user = "postgres"
            uid = pwd.getpwnam(self._user).pw_uid
            os.chmod(self.dir, 0o700)
            os.chown(self.dir, uid, -1)
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: object, check: bool = True) -> None:
        command = [str(self.bin / tool), *map(str, args)]
        if self._user is not None:
            command = ["runuser", "-u", self._user, "--", *command]
        subprocess.run(command, check=check, capture_output=True, timeout=START_TIMEOUT_SECS)

    def start(self) -> None:
        # fsync off: the test crashes the server process, never the machine.
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start")
        wait_port(self.port)

    def stop(self) -> None:
        """As a crash: no checkpoint, connections cut."""
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        wait_port(self.port, up=False)

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRabbit:
    """A RabbitMQ node of its own (name, port, data) started in the foreground.

    Nothing is shared with the machine's broker but epmd: its own node name, Erlang
    distribution port, mnesia and log directories, cookie (`HOME`) and no plugins.
    """

    def __init__(self, work_dir: Path) -> None:
        found = sorted(glob.glob("/usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin/rabbitmq-server"))
        binary = Path(found[-1]) if found else Path("/usr/lib/rabbitmq/.../rabbitmq-server")
        self.binary = require_path(binary, "rabbitmq-server")
        self.port = free_port()
        self.dir = work_dir / f"rabbit-{self.port}"
        self.dir.mkdir(parents=True)
        (self.dir / "enabled_plugins").write_text("[].\n")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RABBITMQ_")}
        env.update(
            HOME=str(self.dir),
            RABBITMQ_NODENAME=f"wp-faults-{self.port}@localhost",
            RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(free_port()),
            RABBITMQ_MNESIA_BASE=str(self.dir / "mnesia"),
            RABBITMQ_LOG_BASE=str(self.dir / "log"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(self.dir / "enabled_plugins"),
            RABBITMQ_CONFIG_FILE=str(self.dir / "rabbitmq"),  # absent: defaults
            RABBITMQ_ADVANCED_CONFIG_FILE=str(self.dir / "advanced.config"),
            RABBITMQ_PID_FILE=str(self.dir / "rabbit.pid"),
        )
        return env

    def start(self) -> None:
        with (self.dir / "stdout.log").open("ab") as out:
            self.proc = subprocess.Popen(
                [str(self.binary)],
                env=self._env(),
                cwd=self.dir,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_port(self.port, timeout=60)
        except TimeoutError:
            self.stop()
            raise

    def stop(self) -> None:
        _kill_group(self.proc)
        self.proc = None
        wait_port(self.port, up=False)

    close = stop
