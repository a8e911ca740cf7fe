"""Page speed on the demo data: each role's main pages through Django's test client (all middleware, templates
rendered, PDFs and workbooks built), beside a bare view (``/healthz``, same client) timed in the same run,
interleaved with them. See docs/benchmarks.md.

    .venv/bin/python bench/pages.py                            # SQLite in a temporary directory, 15 repetitions
    .venv/bin/python bench/pages.py --repeat 30 --json out.json
    .venv/bin/python bench/pages.py --keep /tmp/lawdesk-pages  # set up once there, reuse it on the next run
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/lawdesk_pages

Setup (skipped when ``--keep DIR`` already holds it): ``migrate``, ``collectstatic``, ``import_laws`` and
``LAWDESK_DEMO=1 load_demo``, each in its own process, into ``LAWDESK_VAR_DIR`` = the temporary directory (the
SQLite database, the keys, the collected static files) or into the PostgreSQL database of ``--database-url``
(created if missing; dropped at the end unless ``--keep``).

Then, in this process: one client per demo persona (``force_login``; the TOTP step marked done with the user's
own demo device). Every page is requested once ("first": the first request of that page in a fresh process;
the process's very first request is the bare view's), then ``--warmup`` more times untimed, then ``--repeat``
rounds, each round going through every page in turn, each page preceded by the bare view on the same client.
Per page: first, median, p95, max (ms, wall clock), the median CPU time of this process, the bare view's median
beside it, the ratio and difference, the SQL queries of one warm request (``CaptureQueriesContext``) and a
verdict against the targets (a page < 300 ms median, a PDF or workbook < 1 s median). The test client keeps its
database connection between requests, so connecting is not in the figures.

The monthly report PDFs are kept by content (``lawdesk.stats.exports``), and the bureaus' are printed ahead after
each fill: their "first" is the layout itself, their median a kept copy.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
MARKER = "bench-pages.json"
PAGE_TARGET_MS = 300.0
FILE_TARGET_MS = 1000.0
PASSWORD = "lawdesk2026"  # every demo user's (README, Demo logins)
LAW_QUERY = "老板拖欠工资"
STATION = "小寨路街道公共法律服务站"
MODEL_BACKEND = "lawdesk.demo.backends.DemoAwareModelBackend"


def say(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- setup -----------------------------------------------------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl(), parts.path.lstrip("/")


def _pg_exists(url: str) -> bool:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _pg_execute(url: str, sql: str) -> None:
    import psycopg

    admin, _ = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def manage(*args: str) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, env=os.environ.copy())
    return time.perf_counter() - began


def set_up(var_dir: Path, database_url: str | None) -> dict[str, float]:
    """Migrate, collect the static files, import the laws and load the demo, unless ``var_dir`` has done it
    for this database already. Returns the seconds each step took."""
    marker = var_dir / MARKER
    target = database_url or "sqlite"
    if marker.exists() and json.loads(marker.read_text()).get("database") == target:
        say(f"reusing the demo set up in {var_dir} ({target})")
        return {}
    seconds = {}
    for name, args in (
        ("migrate", ("migrate", "--noinput", "-v0")),
        ("collectstatic", ("collectstatic", "--noinput", "-v0")),
        ("import_laws", ("import_laws", "--no-vectors")),  # pages, not the law search: no 4-min embedding
        ("load_demo", ("load_demo",)),
    ):
        say(f"manage.py {' '.join(args)}")
        seconds[name] = manage(*args)
    marker.write_text(json.dumps({"database": target, "at": datetime.datetime.now(datetime.UTC).isoformat()}))
    say("set up: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()))
    return seconds


# --- what is measured ------------------------------------------------------------------------------------


@dataclass
class Page:
    persona: str
    label: str
    url: str
    kind: str = "page"  # page | file (PDF, xlsx) | login (POST) | submit (POST)
    data: dict[str, str] | None = None
    first: float = 0.0
    first_queries: int = 0
    queries: int = 0
    runs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)

    @property
    def target(self) -> float:
        return FILE_TARGET_MS if self.kind == "file" else PAGE_TARGET_MS


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Bench:
    def __init__(self) -> None:
        from django.test import Client

        from lawdesk.accounts.models import User
        from lawdesk.core import clock
        from lawdesk.orgs.models import OrgNode
        from lawdesk.stats.selectors import Month

        self.users = {u.username: u for u in User.objects.filter(username__in=PERSONAS.values())}
        self.clients: dict[str, Any] = {"anonymous": Client()}
        for persona, username in PERSONAS.items():
            self.clients[persona] = self.client_for(self.users[username])
        self.station = OrgNode.objects.get(name=STATION)
        self.month = Month.of(clock.today()).previous()

    @staticmethod
    def client_for(user: Any) -> Any:
        """A client logged in as ``user``; for the roles with a second factor, its demo TOTP device is marked
        verified in the session, as after a real login with the code."""
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    def node(self, persona: str) -> Any:
        from lawdesk.accounts.models import RoleAssignment

        return RoleAssignment.objects.filter(user=self.users[PERSONAS[persona]]).first().node  # type: ignore[union-attr]

    def pages(self) -> list[Page]:
        from django.db.models import Count
        from django.urls import reverse

        from lawdesk.accounts.models import RoleAssignment
        from lawdesk.legalaid.models import LegalAidApplication
        from lawdesk.matters.models import Matter

        m = self.month.slug
        period = f"from={self.month.start:%Y-%m-%d}&to={self.month.end:%Y-%m-%d}"
        busiest = (
            Matter.objects.filter(node=self.station)
            .annotate(n=Count("events"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)[0]
        )
        legal_aid = LegalAidApplication.objects.filter(matter__node=self.station).values_list(
            "matter_id", flat=True
        )[0]
        mediator_matter = (
            Matter.objects.filter(
                institution__in=RoleAssignment.objects.filter(user=self.users["mediator"]).values(
                    "institution"
                )
            )
            .values_list("pk", flat=True)
            .first()
        )
        out: list[Page] = []

        def add(persona: str, label: str, url: str, kind: str = "page", **data: str) -> None:
            out.append(Page(persona, label, url, kind, data or None))

        def stats(persona: str, node: Any, files: bool) -> None:
            add(persona, "统计 monthly report", reverse("stats:report", args=[node.pk, m]))
            if files:
                add(persona, "统计 report PDF", reverse("stats:report_pdf", args=[node.pk, m]), "file")
                add(persona, "统计 report xlsx", reverse("stats:report_xlsx", args=[node.pk, m]), "file")

        st = self.station
        add("clerk", "home", reverse("home"))
        add("clerk", "事项 list", reverse("desk:matters"))
        add("clerk", f"matter page #{busiest}", reverse("desk:matter", args=[busiest]))
        add("clerk", "intake", reverse("desk:intake"))
        add("clerk", "台帐 ledger 1, month", f"{reverse('desk:ledger', args=[1])}?node={st.pk}&{period}")
        stats("clerk", st, files=True)
        add(
            "clerk",
            "legal-aid application PDF",
            reverse("legalaid:application_pdf", args=[legal_aid]),
            "file",
        )
        add("clerk", "quality scorecard", reverse("quality:index"))
        add("clerk", "督办 overdue", reverse("desk:overdue"))
        add("clerk", "notifications", reverse("desk:notifications"))
        add("clerk", "网上申请 desk", reverse("online:desk"))
        add(
            "clerk",
            "报送 POST (submit)",
            reverse("stats:submit", args=[st.pk, m]),
            "submit",
            confirm_missing="1",
        )

        office = self.node("office")
        add("office", "home", reverse("home"))
        add("office", "事项 list", reverse("desk:matters"))
        add("office", "台帐 ledger 1, month", f"{reverse('desk:ledger', args=[1])}?node={office.pk}&{period}")
        stats("office", office, files=False)
        add("office", "quality scorecard", reverse("quality:index"))
        add("office", "督办 overdue", reverse("desk:overdue"))

        district = self.node("district")
        add("district", "home", reverse("home"))
        add("district", "事项 list", reverse("desk:matters"))
        add(
            "district",
            "台帐 ledger 1, month",
            f"{reverse('desk:ledger', args=[1])}?node={district.pk}&{period}",
        )
        stats("district", district, files=True)
        add("district", "统计 dashboard", reverse("stats:dashboard", args=[district.pk]))
        add("district", "quality scorecard", reverse("quality:index"))
        add("district", "督办 overdue", reverse("desk:overdue"))

        city = self.node("city")
        add("city", "home", reverse("home"))
        add("city", "事项 list", reverse("desk:matters"))
        stats("city", city, files=True)
        add("city", "quality scorecard", reverse("quality:index"))
        add("city", "督办 overdue", reverse("desk:overdue"))

        add("handler", "home", reverse("home"))
        add("handler", "inbox", reverse("desk:inbox"))
        add("handler", f"matter page #{legal_aid}", reverse("desk:matter", args=[legal_aid]))
        add("handler", "legal-aid application", reverse("legalaid:application", args=[legal_aid]))
        add(
            "handler",
            "legal-aid application PDF",
            reverse("legalaid:application_pdf", args=[legal_aid]),
            "file",
        )
        add("handler", "notifications", reverse("desk:notifications"))

        add("mediator", "home", reverse("home"))
        add("mediator", "inbox", reverse("desk:inbox"))
        if mediator_matter is not None:
            add("mediator", f"matter page #{mediator_matter}", reverse("desk:matter", args=[mediator_matter]))

        add("anonymous", "/public/", reverse("public:directory"))
        add("anonymous", "/online/", reverse("online:index"))
        add("anonymous", f"/laws/search/?q={LAW_QUERY}", f"{reverse('laws:search')}?q={LAW_QUERY}")
        add("anonymous", "login GET", reverse("login"))
        add("anonymous", "login POST (clerk)", reverse("login"), "login", username="clerk", password=PASSWORD)
        return out

    # --- one request -----------------------------------------------------------------------------------

    def request(self, page: Page) -> tuple[float, float]:
        """Time one request of ``page``; check its answer. Returns (wall ms, CPU ms)."""
        from django.test import Client

        client = Client() if page.kind == "login" else self.clients[page.persona]
        began, began_cpu = time.perf_counter(), time.process_time()
        response: Any = client.get(page.url) if page.data is None else client.post(page.url, page.data)
        if response.streaming:
            b"".join(response.streaming_content)
        else:
            response.content  # noqa: B018 - built already; read as a server would
        wall, cpu = (time.perf_counter() - began) * 1000, (time.process_time() - began_cpu) * 1000
        self.check(page, response)
        return wall, cpu

    def check(self, page: Page, response: Any) -> None:
        from django.urls import reverse

        status, location = response.status_code, response.get("Location", "")
        if page.kind == "login":
            ok = status == 302 and reverse("login") not in location and "otp" not in location
        elif page.kind == "submit":
            ok = status == 302 and self.reopen()
        else:
            ok = status == 200
            if ok and page.kind == "file":
                ok = response["Content-Type"].split(";")[0] in {
                    "application/pdf",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }
        if not ok:
            raise RuntimeError(f"{page.persona} {page.label}: {page.url} answered {status} {location}")

    def reopen(self) -> bool:
        """After a timed 报送: was it submitted? Reopen it through the service (untimed) so it can repeat."""
        from lawdesk.stats import services
        from lawdesk.stats.models import MonthlyReport, ReportStatus

        report = MonthlyReport.objects.get(node=self.station, year=self.month.year, month=self.month.month)
        if report.status != ReportStatus.SUBMITTED:
            return False
        services.report_reopen(
            actor=self.users["clerk"],
            node=self.station,
            year=self.month.year,
            month=self.month.month,
            reason="页面测速：重新打开以便再次报送",
        )
        return True

    def baseline(self, persona: str) -> float:
        from django.urls import reverse

        client = self.clients[persona]
        began = time.perf_counter()
        response = client.get(reverse("healthz"))
        wall = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"/healthz answered {response.status_code}")
        return wall

    def counted(self, page: Page) -> tuple[float, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            wall, _ = self.request(page)
        return wall, len(queries)


PERSONAS = {
    "clerk": "clerk",
    "office": "office",
    "district": "district",
    "city": "city",
    "handler": "handler",
    "mediator": "mediator",
}
PERSONA_LABELS = {
    "clerk": "clerk (窗口, station)",
    "office": "office (司法所)",
    "district": "district (区局 admin)",
    "city": "city (市局 admin)",
    "handler": "handler (法援中心)",
    "mediator": "mediator (调委会)",
    "anonymous": "anonymous citizen",
}


def measure(
    bench: Bench, pages: list[Page], repeat: int, warmup: int, progress: Callable[[str], None]
) -> Page:
    """First requests, warm-ups, then ``repeat`` rounds over every page, each after a bare-view request on the
    same client. Returns the bare view's own figures (first request of the process, and every interleaved run)."""
    from django.urls import reverse

    bare = Page("anonymous", "bare view /healthz", reverse("healthz"))
    bare.first, bare.first_queries = bench.counted(bare)
    _, bare.queries = bench.counted(bare)
    for page in pages:
        page.first, page.first_queries = bench.counted(page)
        page.queries = page.first_queries
        for _ in range(warmup):
            _, page.queries = bench.counted(page)
    progress(f"first requests and {warmup} warm-up(s) of {len(pages)} pages done")
    for round_ in range(repeat):
        for page in pages:
            page.base.append(bench.baseline(page.persona))
            wall, cpu = bench.request(page)
            page.runs.append(wall)
            page.cpu.append(cpu)
        bare.runs.extend(p.base[-1] for p in pages)
        if (round_ + 1) % 5 == 0 or round_ + 1 == repeat:
            progress(f"round {round_ + 1}/{repeat}")
    return bare


# --- the table -------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int, right: bool) -> str:
    pad = " " * max(0, width - _width(text))
    return pad + text if right else text + pad


def verdict(page: Page) -> str:
    median = statistics.median(page.runs)
    if median >= page.target:
        return f"SLOW (> {page.target:.0f})"
    if p95(page.runs) >= page.target:
        return f"ok, p95 > {page.target:.0f}"
    return f"ok (< {page.target:.0f})"


def table(pages: list[Page], bare: Page) -> str:
    header = ("persona", "page", "first", "median", "p95", "max", "cpu med", "bare", "x bare", "+ bare", "SQL",
              "verdict (ms)")  # fmt: skip
    right = (False, False, True, True, True, True, True, True, True, True, True, False)
    rows = []
    for page in pages:
        median, base = statistics.median(page.runs), statistics.median(page.base)
        rows.append(
            (
                PERSONA_LABELS[page.persona],
                page.label,
                f"{page.first:.0f}",
                f"{median:.1f}",
                f"{p95(page.runs):.1f}",
                f"{max(page.runs):.1f}",
                f"{statistics.median(page.cpu):.1f}",
                f"{base:.1f}",
                f"{median / base:.1f}",
                f"{median - base:.1f}",
                str(page.queries),
                verdict(page),
            )
        )
    rows.append(
        (
            "(each persona's client)",
            bare.label,
            f"{bare.first:.0f}",
            f"{statistics.median(bare.runs):.1f}",
            f"{p95(bare.runs):.1f}",
            f"{max(bare.runs):.1f}",
            "",
            "",
            "1.0",
            "0.0",
            str(bare.queries),
            "",
        )
    )
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_cell(c, w, r) for c, w, r in zip(header, widths, right, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    previous = ""
    for row in rows:
        shown = ("" if row[0] == previous else row[0], *row[1:])
        previous = row[0]
        lines.append("  ".join(_cell(c, w, r) for c, w, r in zip(shown, widths, right, strict=True)).rstrip())
    return "\n".join(lines)


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=15, help="timed rounds over every page (default 15)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed requests per page after the first (1)")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/lawdesk_pages (default SQLite)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="LAWDESK_VAR_DIR to set up once and reuse (kept, with the PostgreSQL database if any)",
    )
    parser.add_argument("--json", metavar="FILE", help="write every figure and run as JSON too")
    parser.add_argument("--only", help="only the pages whose persona or label contains this text")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")

    var_dir = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="lawdesk-pages-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["LAWDESK_VAR_DIR"] = str(var_dir)
    os.environ["LAWDESK_DEMO"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lawdesk.settings"
    os.environ["LAWDESK_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LAWDESK_LOG_LEVEL", "ERROR")
    os.environ.pop("LAWDESK_DEBUG", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))

    created_db = False
    if args.database_url and not _pg_exists(args.database_url):
        _pg_execute(args.database_url, f'CREATE DATABASE "{_admin_url(args.database_url)[1]}"')
        created_db = True
    elif args.database_url and not args.keep:
        parser.error(
            "the database exists: pass --keep DIR (its var dir with the keys) to reuse it, or drop it"
        )
    load_before = os.getloadavg()
    say(f"machine: {platform.node()}, {os.cpu_count()} cores, load {load_before}; var dir {var_dir}")
    try:
        setup_seconds = set_up(var_dir, args.database_url)
        import django

        began = time.perf_counter()
        django.setup()
        startup = {"django_setup_ms": (time.perf_counter() - began) * 1000}
        from django.db import connection
        from django.urls import get_resolver

        began = time.perf_counter()
        get_resolver().url_patterns  # noqa: B018 - imports every view module (WeasyPrint among them)
        startup["urlconf_ms"] = (time.perf_counter() - began) * 1000

        bench = Bench()
        pages = bench.pages()
        if args.only:
            pages = [p for p in pages if args.only in p.label or args.only in p.persona]
        say(f"{len(pages)} pages on {connection.vendor}, month {bench.month.slug}, {args.repeat} rounds")
        began = time.perf_counter()
        bare = measure(bench, pages, args.repeat, args.warmup, say)
        elapsed = time.perf_counter() - began
        load_after = os.getloadavg()
        when = datetime.datetime.now(datetime.UTC)
        print(
            f"lawdesk page speed, {when:%Y-%m-%d %H:%M} UTC, commit {git_commit()}, {connection.vendor}, "
            f"demo data, month {bench.month.slug}; {platform.node()} {os.cpu_count()} cores, load average "
            f"{load_before[0]:.2f} before / {load_after[0]:.2f} after; first request, then {args.warmup} "
            f"warm-up, then {args.repeat} rounds (ms, wall clock; cpu = this process; bare = /healthz on the "
            f"same client just before each run; SQL = queries of one warm request); {elapsed:.0f} s. "
            f"Before any request: django.setup() {startup['django_setup_ms']:.0f} ms, importing the URLconf "
            f"(every view module, WeasyPrint among them) {startup['urlconf_ms']:.0f} ms"
        )
        print()
        print(table(pages, bare))
        if args.json:
            data = {
                "at": when.isoformat(),
                "commit": git_commit(),
                "database": connection.vendor,
                "machine": {
                    "node": platform.node(),
                    "cores": os.cpu_count(),
                    "load": [load_before, load_after],
                },
                "month": bench.month.slug,
                "repeat": args.repeat,
                "warmup": args.warmup,
                "setup_seconds": setup_seconds,
                "startup_ms": startup,
                "targets_ms": {"page": PAGE_TARGET_MS, "file": FILE_TARGET_MS},
                "pages": [
                    {
                        "persona": p.persona,
                        "label": p.label,
                        "url": p.url,
                        "method": "GET" if p.data is None else "POST",
                        "kind": p.kind,
                        "first_ms": p.first,
                        "first_queries": p.first_queries,
                        "queries": p.queries,
                        "median_ms": statistics.median(p.runs),
                        "p95_ms": p95(p.runs),
                        "max_ms": max(p.runs),
                        "cpu_median_ms": statistics.median(p.cpu) if p.cpu else None,
                        "bare_median_ms": statistics.median(p.base) if p.base else None,
                        "target_ms": p.target,
                        "verdict": verdict(p),
                        "runs_ms": p.runs,
                        "bare_runs_ms": p.base,
                    }
                    for p in [*pages, bare]
                    if p.runs
                ],
            }
            Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            say(f"written to {args.json}")
    finally:
        if args.database_url and created_db and not args.keep:
            from django.db import connections

            connections.close_all()
            _pg_execute(
                args.database_url,
                f'DROP DATABASE IF EXISTS "{_admin_url(args.database_url)[1]}" WITH (FORCE)',
            )
            say("database dropped")
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
