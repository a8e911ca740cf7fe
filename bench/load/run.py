"""Load benchmark of the production layout on this machine (issue 21), loopback only, one command:

    .venv/bin/python bench/load/run.py                       # fresh PostgreSQL database, dropped at the end
    .venv/bin/python bench/load/run.py --keep /tmp/lawdesk-load   # keep the var dir and database for a rerun
    .venv/bin/python bench/load/run.py --workers 2 --seconds 8 --levels 1,8,32,64

Set up (skipped when ``--keep DIR`` already holds it): a PostgreSQL database ``lawdesk_load`` (``--database``),
``migrate``, ``collectstatic``, ``import_laws`` and ``LAWDESK_DEMO=1 load_demo``. Then it starts what production
runs (deploy/): a Celery worker (Redis broker), gunicorn app servers (``deploy/gunicorn.conf.py``, ``--workers``
each) and nginx (``deploy/nginx/lawdesk.conf``, a user process in a temporary directory), and measures twice,
with ONE app server behind nginx and with TWO:

- server CPU per request of each endpoint: the app servers' utime+stime (``/proc/<pid>/stat``, master and
  workers) before and after a run of sequential requests of that endpoint alone, as a ratio to ``/healthz``'s
  in the same run; the targets of issue 21 (staff pages and the intake POST ≤ 10×, the 100-row ledger page ≤ 15×)
  with PASS or MISSED;
- load: 1, 8, 32 and 64 concurrent users (Python threads, keep-alive sessions), each going round the endpoints
  for ``--seconds``; throughput, p50/p95/p99 and errors per level.

The clients run on the same cores as the servers (a 2-core machine shares them), so the throughput figures are
the machine's, not the layout's ceiling. Everything is stopped (and the database dropped unless ``--keep``) at
the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.load.layout import AppServer, Layout  # noqa: E402

PASSWORD = "lawdesk2026"  # every demo user's (README, Demo logins)
LAW_QUERY = "老板拖欠工资"
MARKER = "bench-load.json"
TARGETS = {"home": 10.0, "matters": 10.0, "ledger100": 15.0, "intake POST": 10.0}
TICK = os.sysconf("SC_CLK_TCK")


def say(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- setup -----------------------------------------------------------------------------------------------


def pg(url: str, sql: str) -> list[Any]:
    import psycopg

    admin = re.sub(r"/[^/]*$", "/postgres", url)
    with psycopg.connect(admin, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def set_up(var_dir: Path, env: dict[str, str], database_url: str) -> None:
    marker = var_dir / MARKER
    if marker.exists() and json.loads(marker.read_text()).get("database") == database_url:
        say(f"reusing the demo set up in {var_dir}")
        return
    name = database_url.rsplit("/", 1)[1]
    pg(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg(database_url, f'CREATE DATABASE "{name}"')
    for args in (
        ("migrate", "--noinput", "-v0"),
        ("collectstatic", "--noinput", "-v0"),
        ("import_laws", "--no-vectors"),  # the law search by keywords, as in its tables (no 4-min embedding)
        ("load_demo",),
    ):
        say(f"manage.py {' '.join(args)}")
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    marker.write_text(json.dumps({"database": database_url}))


# --- the endpoints -----------------------------------------------------------------------------------------


@dataclass
class Endpoint:
    label: str
    path: str
    post: bool = False


def endpoints() -> list[Endpoint]:
    """The measured URLs on the demo data (Django set up in this process, on the bench's database)."""
    import django

    django.setup()
    from django.urls import reverse

    from lawdesk.accounts.models import RoleAssignment

    assignment = RoleAssignment.objects.filter(user__username="clerk").first()
    assert assignment is not None and assignment.node is not None, "the demo clerk is missing (load_demo)"
    station = assignment.node
    today = datetime.date.today()
    ledger = f"{reverse('desk:ledger', args=[1])}?node={station.pk}&from=2000-01-01&to={today:%Y-%m-%d}"
    return [
        Endpoint("healthz", reverse("healthz")),
        Endpoint("home", reverse("home")),
        Endpoint("matters", reverse("desk:matters")),
        Endpoint("ledger100", ledger),
        Endpoint("law search", f"{reverse('laws:search')}?q={LAW_QUERY}"),
        Endpoint("intake POST", reverse("desk:intake"), post=True),
    ]


def intake_form(index: int) -> dict[str, str]:
    return {
        "client_token": str(uuid.uuid4()),
        "name": f"压测{index % 1000:03d}",
        "phone": f"136{index % 100000000:08d}",
        "id_number": "",
        "address": "",
        "channel": "on_site",
        "m0-kind": "consultation",
        "m0-legal_field": "labour",
        "m0-service_type": "",
        "m0-summary": "公司拖欠工资如何维权",
        "m0-answer": "已当场解答。",
        "m0-one_trip_mode": "",
    }


class User:
    """The demo clerk in one keep-alive session of their own. The session is made here as a login makes it
    (``force_login`` into the shared session table), not through the login form: 64 password hashes on a
    2-core machine would take minutes and measure nothing of interest."""

    counter = 0
    lock = threading.Lock()

    def __init__(self, url: str) -> None:
        import requests
        from django.test import Client

        from lawdesk.accounts.models import User as Account

        self.url = url
        client = Client()
        client.force_login(
            Account.objects.get(username="clerk"), backend="lawdesk.demo.backends.DemoAwareModelBackend"
        )
        self.session = requests.Session()
        self.session.cookies.set("sessionid", client.cookies["sessionid"].value)
        form = self.session.get(f"{url}/desk/intake/", timeout=60)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert csrf, form.status_code
        self.csrf = csrf.group(1)

    def hit(self, endpoint: Endpoint) -> tuple[bool, float]:
        import requests

        began = time.perf_counter()
        try:
            if endpoint.post:
                with User.lock:
                    User.counter += 1
                    index = User.counter
                response = self.session.post(
                    f"{self.url}{endpoint.path}",
                    data={**intake_form(index), "csrfmiddlewaretoken": self.csrf},
                    headers={"Referer": f"{self.url}{endpoint.path}"},
                    allow_redirects=False,
                    timeout=60,
                )
                ok = response.status_code == 302 and "/desk/visits/" in response.headers.get("Location", "")
            else:
                response = self.session.get(f"{self.url}{endpoint.path}", allow_redirects=False, timeout=60)
                ok = response.status_code == 200
        except requests.RequestException:
            ok = False
        return ok, (time.perf_counter() - began) * 1000


# --- measuring ---------------------------------------------------------------------------------------------


def cpu_ms(servers: list[AppServer]) -> float:
    total = 0
    for server in servers:
        for pid in server.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total * 1000.0 / TICK


def wait_idle(servers: list[AppServer], limit: float = 120.0) -> None:
    """Until the app servers' warm-up threads (law index, PDF engine) are done: < 30 ms CPU in a second."""
    deadline = time.monotonic() + limit
    last = cpu_ms(servers)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = cpu_ms(servers)
        if now - last < 30:
            return
        last = now


def cpu_per_request(
    user: User, servers: list[AppServer], endpoint: Endpoint, seconds: float
) -> tuple[float, int]:
    """Sequential requests of ``endpoint`` alone for at least ``seconds`` (≥ 20 requests): server CPU ms per request."""
    for _ in range(4 * sum(len(s.pids()) for s in servers)):
        user.hit(endpoint)  # every worker has served it (first-use costs are not in the figures)
    before = cpu_ms(servers)
    began, n = time.perf_counter(), 0
    while n < 20 or (time.perf_counter() - began < seconds and n < 1000):
        ok, _ = user.hit(endpoint)
        assert ok, f"{endpoint.label} failed"
        n += 1
    time.sleep(0.05)  # the last response's bookkeeping
    return (cpu_ms(servers) - before) / n, n


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


@dataclass
class Level:
    users: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def load(pool: list[User], points: list[Endpoint], users: int, seconds: float) -> Level:
    level = Level(users)
    lock = threading.Lock()
    sessions = pool[:users]
    start = threading.Barrier(users + 1)
    stop_at = [0.0]

    def run(n: int, user: User) -> None:
        start.wait()
        i = n
        while time.perf_counter() < stop_at[0]:
            ok, ms = user.hit(points[i % len(points)])
            i += 1
            with lock:
                level.latencies.append(ms)
                level.errors += not ok

    threads = [threading.Thread(target=run, args=(n, u), daemon=True) for n, u in enumerate(sessions)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    level.seconds = time.perf_counter() - began
    return level


def measure(
    layout: Layout,
    servers: list[AppServer],
    points: list[Endpoint],
    pool: list[User],
    args: argparse.Namespace,
) -> dict[str, Any]:
    url = layout.start_nginx(servers)
    if not pool:
        say(f"logging in {max(args.levels)} clerk sessions")
        pool.extend(User(url) for _ in range(max(args.levels)))
    user = pool[0]
    wait_idle(servers)
    cpu: dict[str, tuple[float, int]] = {}
    for point in points:
        cpu[point.label] = cpu_per_request(user, servers, point, args.cpu_seconds)
        say(f"  CPU {point.label}: {cpu[point.label][0]:.1f} ms/request over {cpu[point.label][1]}")
    levels = []
    for users in args.levels:
        level = load(pool, points, users, args.seconds)
        levels.append(level)
        say(f"  {users} users: {len(level.latencies) / level.seconds:.1f} req/s, {level.errors} errors")
    return {"cpu": cpu, "levels": levels}


def report(results: dict[int, dict[str, Any]], args: argparse.Namespace, rows: int) -> bool:
    all_pass = True
    print(
        f"\nlawdesk load benchmark — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPU(s), "
        f"gunicorn {args.workers} worker(s) × {args.threads} thread(s) per app server, nginx, PostgreSQL, Redis, Celery"
    )
    print(f"ledger100: {rows} rows on the page\n")
    for n, result in results.items():
        cpu = result["cpu"]
        base = cpu["healthz"][0]
        print(f"== {n} app server{'s' if n > 1 else ''} ==")
        print(f"{'endpoint':<14}{'CPU ms/req':>11}{'× healthz':>11}{'target':>9}  verdict   (requests)")
        for label, (ms, count) in cpu.items():
            ratio = ms / base if base else float("inf")
            target = TARGETS.get(label)
            verdict = "" if target is None else ("PASS" if ratio <= target else "MISSED")
            all_pass &= verdict != "MISSED"
            shown = f"≤{target:.0f}×" if target else ""
            print(f"{label:<14}{ms:>11.1f}{ratio:>10.1f}×{shown:>9}  {verdict:<8}  ({count})")
        print(
            f"\n{'users':>5}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'requests':>10}"
        )
        for level in result["levels"]:
            lat = level.latencies
            print(
                f"{level.users:>5}{len(lat) / level.seconds:>9.1f}{percentile(lat, 0.5):>9.0f}{percentile(lat, 0.95):>9.0f}"
                f"{percentile(lat, 0.99):>9.0f}{level.errors:>8}{len(lat):>10}"
            )
        print()
    return all_pass


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/lawdesk_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--keep", type=Path, help="var dir kept between runs (and the database not dropped)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per concurrency level")
    parser.add_argument(
        "--cpu-seconds", type=float, default=3.0, help="seconds of sequential requests per endpoint"
    )
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32, 64])
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lawdesk-load-"))
    var_dir = args.keep or work / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lawdesk.settings",
        "DATABASE_URL": args.database,
        "LAWDESK_VAR_DIR": str(var_dir),
        "LAWDESK_DEMO": "1",
        "LAWDESK_REDIS_URL": args.redis,
        "LAWDESK_CELERY_BROKER_URL": args.redis,
        "LAWDESK_CELERY_EAGER": "0",
        "LAWDESK_JOBS": "celery",
        "LAWDESK_REMINDERS_IN_PROCESS": "0",
        "LAWDESK_CONN_MAX_AGE": "60",
        # one clerk's many sessions and intakes are not an attack
        "LAWDESK_API_RATE_CLIENT": "100000/min",
    }
    os.environ.update(env)
    began = time.perf_counter()
    layout = Layout(work, env, workers=args.workers, threads=args.threads)
    worker: subprocess.Popen[bytes] | None = None
    try:
        set_up(var_dir, env, args.database)
        points = endpoints()
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lawdesk", "worker", "--concurrency", "1", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, stdout=(work / "celery.log").open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        results: dict[int, dict[str, Any]] = {}
        first = layout.start_app()
        say("one app server")
        pool: list[User] = []
        results[1] = measure(layout, [first], points, pool, args)
        second = layout.start_app()
        say("two app servers")
        results[2] = measure(layout, [first, second], points, pool, args)
        import requests

        page = pool[0].session.get(f"{layout.url}{points[3].path}", timeout=60).text
        rows = len(re.findall(r"<tr", page.split("<tbody", 1)[-1]))
        ok = report(results, args, rows)
        print(f"total {time.perf_counter() - began:.0f} s; all targets met: {'yes' if ok else 'NO'}")
        if args.json:
            args.json.write_text(json.dumps({
                str(n): {"cpu": r["cpu"], "levels": [
                    {"users": lv.users, "rps": len(lv.latencies) / lv.seconds, "p50": percentile(lv.latencies, .5),
                     "p95": percentile(lv.latencies, .95), "p99": percentile(lv.latencies, .99), "errors": lv.errors}
                    for lv in r["levels"]]} for n, r in results.items()}, indent=2))  # fmt: skip
        del requests
        return 0
    finally:
        layout.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        if args.keep is None:
            from django.db import connections

            connections.close_all()
            pg(args.database, f'DROP DATABASE IF EXISTS "{args.database.rsplit("/", 1)[1]}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
