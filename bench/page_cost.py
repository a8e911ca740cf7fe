"""What every staff page costs in server CPU, as a ratio to ``/healthz`` measured the same way in the same run
(issue 21: every staff page ≤ 10×, the intake POST ≤ 10×, a 100-row ledger page ≤ 15×). See docs/benchmarks.md.

    .venv/bin/python bench/page_cost.py                           # SQLite in a temporary directory, 5 repeats
    .venv/bin/python bench/page_cost.py --keep /tmp/lawdesk-cost  # set up once there, reuse it on the next run
    .venv/bin/python bench/page_cost.py --database-url postgres://postgres@127.0.0.1:5432/lawdesk_cost
    .venv/bin/python bench/page_cost.py --only ledger --repeat 20

Set-up as bench/pages.py (``migrate``, ``collectstatic``, ``import_laws``, ``LAWDESK_DEMO=1 load_demo``, each
in its own process; skipped when ``--keep DIR`` already holds it). Then, in this process, one Django test client
per demo role that reaches staff pages (``force_login``, the TOTP step marked done). The routes are those of
tests/test_url_matrix.py ``ROUTES`` (every staff route of the site, which that test keeps complete); a route whose
URL names a record gets one picked from the demo data (in 小寨路街道's subtree where the record has a node).
Each (route, role) is requested once to classify it: an HTML page answered 200 is measured; anything else is
listed under "not measured" with the reason (403/404: out of the role's reach; 405: not a GET page; an export;
no demo record to name). Exports (PDF, Excel) are skipped unless ``--files``.

Measured: after the classifying request and ``--warmup`` more, ``--repeat`` rounds over every page, each page's
request preceded by a ``/healthz`` request on the same client; CPU = ``time.process_time()`` around each request
(this process: all middleware, the view, the template, reading the response). Per page: the median CPU ms, the
ratio to the median ``/healthz`` CPU of the whole run, the SQL queries of one warm request and PASS/MISSED against
its target. The GET pages are measured first, then the intake POST, and every run starts from the data as set up
(``--keep``: the first run keeps a copy of the database, later runs restore it), so each run reads the same data. Besides the routes: the 100-row ledger page (ledger 1 of the station since 2000, enough visits added
through the intake service first if the demo has fewer than 100) and the intake POST (a new visit each time).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import _admin_url, _pg_execute, _pg_exists, say, set_up  # noqa: E402

PAGE_TARGET = 10.0
LEDGER100_TARGET = 15.0
# The demo roles that reach staff pages (README, Demo logins); admin and security work in the Django admin.
ROLES = ("clerk", "office", "district", "leader", "city", "auditor", "handler", "mediator", "correction",
         "adviser")  # fmt: skip
STATION = "小寨路街道公共法律服务站"
EXPORT_HINTS = ("_xlsx", "_pdf", "export", "_svg", "_batch_pdf")
# kind of record in a ROUTES entry -> the model it names (app_label.Model), plus an optional filter
KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    "institution": ("institutions.Institution", {}),
    "visit": ("matters.Visit", {}),
    "matter": ("matters.Matter", {"kind": "consultation"}),
    "person": ("people.Person", {}),
    "dispute": ("matters.Matter", {"kind": "dispute"}),
    "legal_aid": ("matters.Matter", {"kind": "legal_aid"}),
    "complaint": ("matters.Matter", {"kind": "complaint"}),
    "attachment": ("attachments.Attachment", {}),
    "video_room": ("video.VideoRoom", {}),
    "slot": ("appointments.Slot", {}),
    "appointment": ("appointments.Appointment", {}),
    "shift": ("duty.DutyShift", {}),
    "draw": ("leaderwindow.WindowDraw", {}),
    "service": ("outreach.PovertyService", {}),
    "photo": ("outreach.OutreachPhoto", {}),
    "publicity_duty": ("outreach.PublicityDuty", {}),
    "model_case": ("governance.ModelVillageCase", {}),
    "opinion": ("governance.LegalOpinion", {}),
    "staff_member": ("accounts.User", {"username": "clerk"}),
    "staff_role": ("accounts.RoleAssignment", {"user__username": "clerk"}),
    "course": ("staff.Course", {}),
    "milestone": ("bureau.Milestone", {}),
    "supervisee": ("correction.Supervisee", {}),
    "released": ("correction.ReleasedPerson", {}),
    "screening_round": ("screening.ScreeningRound", {}),
    "screening_finding": ("screening.ScreeningFinding", {}),
    "signal": ("screening.Signal", {}),
    "adviser_record": ("advisers.ServiceRecord", {}),
    "adviser_photo": ("advisers.ServicePhoto", {}),
    "town_group": ("advisers.TownGroup", {}),
    "group_member": ("advisers.TownGroupMember", {}),
    "lightbox": ("coverage.LightboxPoint", {}),
    "round": ("assessment.Round", {}),
    "entry": ("assessment.RoundEntry", {}),
    "score": ("assessment.Score", {}),
    "rectification": ("assessment.Rectification", {}),
    "assessment_file": ("assessment.AssessmentFile", {}),
    "division": ("bureau.Division", {}),
}


@dataclass
class Page:
    role: str
    label: str
    url: str
    target: float = PAGE_TARGET
    data: dict[str, str] | None = None  # a POST
    queries: int = 0
    cpu: list[float] = field(default_factory=list)


def intake_form(index: int) -> dict[str, str]:
    """A new visit with one consultation answered on the spot, a new citizen each time (as bench/load)."""
    return {
        "client_token": str(uuid.uuid4()),
        "name": f"测速{index % 1000:03d}",
        "phone": f"137{index % 100000000:08d}",
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


class Run:
    def __init__(self) -> None:
        from bench.pages import Bench
        from lawdesk.accounts.models import User
        from lawdesk.orgs.models import OrgNode

        self.users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
        self.clients = {role: Bench.client_for(self.users[role]) for role in ROLES if role in self.users}
        self.station = OrgNode.objects.get(name=STATION)
        self.district = self.station.parent
        while self.district is not None and self.district.kind != "district_bureau":
            self.district = self.district.parent
        self.posted = 0
        self.not_measured: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    # --- URLs ------------------------------------------------------------------------------------------

    def record(self, kind: str) -> Any:
        from django.apps import apps
        from django.core.exceptions import FieldDoesNotExist

        if kind == "station":
            return self.station
        if kind == "district":
            return self.district
        if kind not in KINDS:
            return None
        label, filters = KINDS[kind]
        try:
            model = apps.get_model(label)
        except LookupError:
            return None
        records = model.objects.filter(**filters).order_by("pk")
        try:
            model._meta.get_field("node")
            near = records.filter(node__path__startswith=self.station.path).first()
            if near is None and self.district is not None:
                near = records.filter(node__path__startswith=self.district.path).first()
            if near is not None:
                return near
        except FieldDoesNotExist:
            pass
        return records.first()

    def url(self, name: str, spec: tuple[str, dict[str, Any]] | None) -> tuple[str | None, str]:
        """The URL of route ``name`` on the demo data, or (None, why not)."""
        from django.urls import NoReverseMatch, reverse

        from tests.test_url_matrix import MONTH, _kwarg_name

        if spec is None:
            return reverse(name), ""
        kind, extra = spec
        if any(callable(v) for v in extra.values()):
            if name.startswith("bureau:"):
                division = self.record("division")
                if division is None:
                    return None, "no demo record (bureau division)"
                extra = {"pk": division.pk}
            else:
                round_ = self.record("round")
                if round_ is None:
                    return None, "no demo record (assessment round)"
                extra = {
                    k: (round_.pk if k == "pk" else self.district.pk) if callable(v) else v  # type: ignore[union-attr]
                    for k, v in extra.items()
                }
            kind = "list" if name.startswith("bureau:") else kind
        extra = {k: (MONTH if v == MONTH else v) for k, v in extra.items()}
        try:
            if kind == "list":
                return reverse(name, kwargs=extra), ""
            obj = self.record(kind)
            if obj is None:
                return None, f"no demo record to name ({kind})"
            return reverse(name, kwargs={_kwarg_name(name, extra): obj.pk, **extra}), ""
        except (NoReverseMatch, AssertionError) as error:
            return None, f"cannot build its URL ({error})"

    def pages(self, files: bool, only: str = "") -> list[Page]:
        from django.urls import reverse

        from tests.test_url_matrix import ROUTES

        out: list[Page] = []
        for name, spec in ROUTES.items():
            if only and only not in name and all(only not in role for role in self.clients):
                continue
            if name.startswith("api:"):
                self.not_measured["API (JSON, not a page)"][name].append("all")
                continue
            if not files and any(hint in name for hint in EXPORT_HINTS):
                self.not_measured["export (file; --files to measure)"][name].append("all")
                continue
            url, why = self.url(name, spec)
            if url is None:
                self.not_measured[why][name].append("all")
                continue
            for role, client in self.clients.items():
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                kind = response.get("Content-Type", "").split(";")[0]
                if response.status_code == 200 and kind == "text/html":
                    out.append(Page(role, name, url))
                    continue
                if response.status_code == 200:
                    reason = f"not an HTML page ({kind})"
                elif response.status_code in (403, 404):
                    reason = "out of the role's reach (403/404)"
                elif response.status_code == 405:
                    reason = "not a GET page (405)"
                elif response.status_code == 302:
                    reason = f"redirects (302 to {response['Location'].split('?')[0]})"
                else:
                    reason = f"answered {response.status_code}"
                del body
                self.not_measured[reason][name].append(role)
        today = datetime.date.today()
        ledger = (
            f"{reverse('desk:ledger', args=[1])}?node={self.station.pk}&from=2000-01-01&to={today:%Y-%m-%d}"
        )
        out.append(Page("clerk", "100-row ledger page (ledger 1)", ledger, LEDGER100_TARGET))
        out.append(Page("clerk", "intake POST", reverse("desk:intake"), PAGE_TARGET, data={}))
        return out

    def ensure_ledger_rows(self, rows: int = 100) -> int:
        """At least ``rows`` visits at the station (added through the intake service); returns their number."""
        from lawdesk.matters import services
        from lawdesk.matters.models import Visit

        have = Visit.objects.filter(node=self.station).count()
        for index in range(have, rows):
            services.visit_register(
                actor=self.users["clerk"],
                node=self.station,
                person_data=services.PersonInput(name=f"测速{index:03d}", phone=f"1360000{index:04d}"),
                matters=[services.MatterInput(kind="consultation", summary="公司拖欠工资如何维权")],
            )
        return max(have, rows)

    # --- requests --------------------------------------------------------------------------------------

    def request(self, page: Page) -> float:
        client = self.clients[page.role]
        self.posted += page.data is not None
        form = intake_form(self.posted) if page.data is not None else None
        began = time.process_time()
        response = client.get(page.url) if form is None else client.post(page.url, form)
        if response.streaming:
            b"".join(response.streaming_content)
        else:
            response.content  # noqa: B018 - read as a server would
        cpu = (time.process_time() - began) * 1000
        ok = response.status_code == (200 if page.data is None else 302)
        if not ok:
            raise RuntimeError(f"{page.role} {page.label}: {page.url} answered {response.status_code}")
        return cpu

    def healthz(self, role: str) -> float:
        from django.urls import reverse

        began = time.process_time()
        response = self.clients[role].get(reverse("healthz"))
        cpu = (time.process_time() - began) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"/healthz answered {response.status_code}")
        return cpu

    def queries(self, page: Page) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.request(page)
        return len(captured)


def start_from_set_up(var_dir: Path, database_url: str | None) -> str:
    """Every run starts from the data as set up: the first run keeps a copy of the database beside it (SQLite: a
    file in ``var_dir``; PostgreSQL: a template database ``<name>_setup``), later runs restore it. Without this, the
    visits each run's intake POSTs register would pile up in the month's ledgers of a ``--keep`` set-up."""
    if database_url is None:
        live = var_dir / "lawdesk.sqlite3"
        kept = var_dir / "lawdesk.setup.sqlite3"
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        if kept.exists():
            shutil.copyfile(kept, live)
            return f"database restored as set up ({kept.name})"
        shutil.copyfile(live, kept)
        return f"database as set up kept in {kept.name}"
    _, name = _admin_url(database_url)
    kept_name = f"{name}_setup"
    if _pg_exists(urlsplit(database_url)._replace(path=f"/{kept_name}").geturl()):
        _pg_execute(database_url, f'DROP DATABASE "{name}" WITH (FORCE)')
        _pg_execute(database_url, f'CREATE DATABASE "{name}" TEMPLATE "{kept_name}"')
        return f"database restored as set up (from {kept_name})"
    _pg_execute(database_url, f'CREATE DATABASE "{kept_name}" TEMPLATE "{name}"')
    return f"database as set up kept as {kept_name}"


def table(pages: list[Page], base: float) -> tuple[str, int]:
    header = ("role", "page", "cpu ms", "× healthz", "target", "SQL", "verdict")
    rows = []
    missed = 0
    for page in sorted(pages, key=lambda p: -statistics.median(p.cpu)):
        ms = statistics.median(page.cpu)
        ratio = ms / base
        ok = ratio <= page.target
        missed += not ok
        rows.append((page.role, page.label, f"{ms:.1f}", f"{ratio:.1f}", f"≤ {page.target:.0f}", str(page.queries),
                     "PASS" if ok else "MISSED"))  # fmt: skip
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(header, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds over every page (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed requests per page after the first (1)")
    parser.add_argument(
        "--database-url", help="PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/lawdesk_cost"
    )
    parser.add_argument("--keep", metavar="DIR", help="LAWDESK_VAR_DIR to set up once and reuse")
    parser.add_argument("--only", help="only the pages whose route name or role contains this text")
    parser.add_argument("--files", action="store_true", help="measure the exports (PDF, Excel) too")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")

    var_dir = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="lawdesk-cost-"))
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
    if args.database_url and not _pg_exists(args.database_url):
        _pg_execute(args.database_url, f'CREATE DATABASE "{_admin_url(args.database_url)[1]}"')
    elif args.database_url and not args.keep:
        parser.error(
            "the database exists: pass --keep DIR (its var dir with the keys) to reuse it, or drop it"
        )

    set_up(var_dir, args.database_url)
    say(start_from_set_up(var_dir, args.database_url))
    import django

    django.setup()
    from django.db import connection

    load_before = os.getloadavg()
    began = time.perf_counter()
    run = Run()
    rows = run.ensure_ledger_rows()
    pages = run.pages(args.files, args.only or "")
    if args.only:
        pages = [p for p in pages if args.only in p.label or args.only in p.role]
    say(f"{len(pages)} pages to measure on {connection.vendor}; {rows} visits at the station")
    # The pages first, on the data as set up; then the POSTs, whose new visits would otherwise grow the month's
    # ledgers under the pages still to be measured.
    base_runs: list[float] = []
    for group in ([p for p in pages if p.data is None], [p for p in pages if p.data is not None]):
        for page in group:
            for _ in range(args.warmup):
                run.request(page)
            page.queries = run.queries(page)
        for round_ in range(args.repeat if group else 0):
            for page in group:
                base_runs.append(run.healthz(page.role))
                page.cpu.append(run.request(page))
            say(f"round {round_ + 1}/{args.repeat} of {len(group)} {'POST' if group[0].data else 'page'}s")
    base = statistics.median(base_runs)
    elapsed = time.perf_counter() - began
    load_after = os.getloadavg()
    text, missed = table(pages, base)
    print(
        f"lawdesk page cost, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {connection.vendor}, demo "
        f"data; {os.cpu_count()} cores, load {load_before[0]:.2f} before / {load_after[0]:.2f} after; "
        f"{args.warmup} warm-up then {args.repeat} rounds; cpu = median time.process_time() ms per request in "
        f"this process; /healthz median {base:.2f} ms ({len(base_runs)} runs, each just before a page on its "
        f"client); {elapsed:.0f} s"
    )
    print()
    print(text)
    print()
    print(f"{len(pages)} measured, {len(pages) - missed} PASS, {missed} MISSED")
    print()
    measured = {p.label for p in pages}
    print(
        "not measured (route: roles; a route measured for some role is not listed for the roles it refuses):"
    )
    for reason, routes in sorted(run.not_measured.items()):
        shown = {n: r for n, r in routes.items() if not (reason.startswith("out of") and n in measured)}
        if shown:
            print(f"  {reason}:")
            for name, roles in sorted(shown.items()):
                print(f"    {name}: {', '.join(roles)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
