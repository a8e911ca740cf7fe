"""The production layout on one machine, for the load benchmark (bench/load/run.py) and the kill-one-server test
(tests/test_scaleout.py): nginx (a user process with its own config, pid, logs and port in a work directory) in
front of gunicorn app servers, each started as production starts them (``deploy/gunicorn.conf.py``,
``lawdesk.wsgi:proxied_application``), each in its own process group so that killing one kills its master and
workers together, as a crashed machine would. nginx's site is ``deploy/nginx/lawdesk.conf`` itself, with only its
host-specific values (upstream servers, listen port, static path) replaced."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SITE_CONF = ROOT / "deploy" / "nginx" / "lawdesk.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def gunicorn_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("gunicorn") is not None


def wait_for(url: str, seconds: float = 60.0, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited ({process.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")
        time.sleep(0.2)


def site_config(ports: list[int], listen: int, static_root: Path) -> str:
    """deploy/nginx/lawdesk.conf with this machine's upstream servers, port and static files."""
    text = SITE_CONF.read_text()
    upstream = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in ports)
    text, n = re.subn(
        r"(?m)^    server 127\.0\.0\.1:\d+[^\n]*\n(?:    server 127\.0\.0\.1:\d+[^\n]*\n)*", upstream, text
    )
    assert n == 1, "deploy/nginx/lawdesk.conf: the upstream servers were not found"
    text, n = re.subn(r"(?m)^    listen 80;", f"    listen 127.0.0.1:{listen};", text)
    assert n == 1, "deploy/nginx/lawdesk.conf: `listen 80;` was not found"
    text, n = re.subn(r"alias /var/lib/lawdesk/static/;", f"alias {static_root}/;", text)
    assert n == 1, "deploy/nginx/lawdesk.conf: the static alias was not found"
    return text


def nginx_config(work: Path, ports: list[int], listen: int, static_root: Path) -> str:
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    user = "user root;" if os.geteuid() == 0 else ""  # root: workers as root, to read the work directory
    temp = "\n".join(
        f"    {name}_temp_path {work / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
pid {work / "nginx.pid"};
error_log {work / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    {mime}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
{temp}
{site_config(ports, listen, static_root)}
}}
"""


@dataclass
class AppServer:
    port: int
    process: subprocess.Popen[bytes]

    def pids(self) -> list[int]:
        """The master and its workers."""
        out = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    out.append(int(entry.name))
        return out


@dataclass
class Layout:
    work: Path
    env: dict[str, str]
    workers: int = 1
    threads: int = 2
    servers: list[AppServer] = field(default_factory=list)
    nginx: subprocess.Popen[bytes] | None = None
    nginx_port: int = 0

    def start_app(self) -> AppServer:
        return self.start_apps(1)[0]

    def start_apps(self, count: int) -> list[AppServer]:
        """``count`` app servers started together (their imports overlap), each answering /healthz."""
        started = [self._launch() for _ in range(count)]
        for server in started:
            wait_for(f"http://127.0.0.1:{server.port}/healthz", process=server.process)
        self.servers.extend(started)
        return started

    def _launch(self) -> AppServer:
        port = free_port()
        env = {
            **self.env,
            "LAWDESK_BIND": f"127.0.0.1:{port}",
            "LAWDESK_WEB_WORKERS": str(self.workers),
            "LAWDESK_WEB_THREADS": str(self.threads),
            "LAWDESK_BEHIND_PROXY": "1",
            "LAWDESK_TRUSTED_PROXY": "127.0.0.1",
        }
        log = (self.work / f"gunicorn-{port}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return AppServer(port, process)

    def kill_app(self, server: AppServer) -> None:
        """SIGKILL to the server's whole process group: master and workers die at once."""
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)

    def start_nginx(self, servers: list[AppServer]) -> str:
        self.stop_nginx()
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        self.nginx_port = self.nginx_port or free_port()  # the same port on a restart: sessions carry on
        conf = self.work / "nginx.conf"
        static_root = Path(self.env.get("LAWDESK_VAR_DIR", ROOT / "var")) / "static"
        conf.write_text(nginx_config(self.work, [s.port for s in servers], self.nginx_port, static_root))
        command = [binary, "-p", str(self.work), "-c", str(conf), "-e", str(self.work / "nginx-error.log")]
        subprocess.run([*command, "-t", "-q"], check=True, capture_output=True)
        self.nginx = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(f"{self.url}/healthz", process=self.nginx)
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def stop_nginx(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        self.nginx = None

    def stop(self) -> None:
        self.stop_nginx()
        for server in self.servers:
            if server.process.poll() is None:
                try:
                    os.killpg(server.process.pid, signal.SIGTERM)
                    server.process.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(server.process.pid, signal.SIGKILL)
                    server.process.wait()
        self.servers.clear()
