"""The public side (no login): the directory of platforms and institutions with its map, each platform's page,
the how-to guides and the touch-kiosk mode; and, for staff, the signage of 四(三) drawn from each platform's data."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from lawdesk.accounts import scoping
from lawdesk.core import kiosk as kiosk_frame
from lawdesk.core.audit import mark_export
from lawdesk.institutions.models import InstitutionKind
from lawdesk.orgs import access as node_access
from lawdesk.orgs import rules
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.orgs.rules import NodeKind
from lawdesk.public import guides, selectors, signage
from lawdesk.public.english import english_name

# The most platforms one signage PDF holds (WeasyPrint lays out about three platforms a second: 雁塔区's 19
# platforms, 49 pages, take 6.5 s); a bigger subtree is printed one judicial office at a time.
MAX_BATCH_PLATFORMS = 40

PLATFORM_KIND_CHOICES = [(k, rules.kind_label(k)) for k in selectors.PLATFORM_KIND_ORDER]
INSTITUTION_KIND_CHOICES = [
    (k, label) for k, label in InstitutionKind.choices if k != InstitutionKind.OTHER_DEPARTMENT
]


def _filters(request: HttpRequest) -> dict[str, str]:
    """The directory's filters from the query string; unknown values are ignored rather than refused."""
    district = request.GET.get("district", "").strip()
    if district not in selectors.districts():
        district = ""
    kind = request.GET.get("kind", "")
    if kind not in dict(PLATFORM_KIND_CHOICES) and kind not in dict(INSTITUTION_KIND_CHOICES):
        kind = ""
    service = request.GET.get("service", "")
    if service not in guides.Service.values:
        service = ""
    return {
        "district": district,
        "kind": kind,
        "service": service,
        "q": request.GET.get("q", "").strip()[:50],
    }


def _platforms_for(filters: dict[str, str]) -> list[selectors.PublicPlatform]:
    kind = filters["kind"]
    if kind and kind not in dict(PLATFORM_KIND_CHOICES):
        return []
    return selectors.public_platforms(
        district=filters["district"], kind=kind, service=filters["service"], query=filters["q"]
    )


def _institutions_for(filters: dict[str, str]) -> list[selectors.PublicInstitution]:
    kind = filters["kind"]
    if kind and kind not in dict(INSTITUTION_KIND_CHOICES):
        return []
    return [
        i
        for i in selectors.public_institutions(
            district=filters["district"], kind=kind, service=filters["service"], query=filters["q"]
        )
        if i.institution.kind != InstitutionKind.OTHER_DEPARTMENT
    ]


def _platform_url(node: OrgNode) -> str:
    return reverse("public:platform", args=[node.pk])


def _query_string(filters: dict[str, str]) -> str:
    return "&".join(f"{k}={quote(v)}" for k, v in filters.items() if v)


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    platforms = _platforms_for(filters)
    institutions = _institutions_for(filters)
    query = _query_string(filters)
    return render(
        request,
        "public/directory.html",
        {
            "filters": filters,
            "platforms": platforms,
            "institutions": institutions,
            "districts": selectors.districts(),
            "platform_kinds": PLATFORM_KIND_CHOICES,
            "institution_kinds": INSTITUTION_KIND_CHOICES,
            "services": guides.Service.choices,
            "map_url": reverse("public:map_data") + (f"?{query}" if query else ""),
            "approximate": sum(1 for p in platforms if p.position and p.position.approximate),
        },
    )


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """The map's points (platforms only) for the same filters as the directory, and the count per district."""
    filters = _filters(request)
    platforms = _platforms_for(filters)
    counts: dict[str, int] = {}
    for p in platforms:
        if p.district:
            counts[p.district] = counts.get(p.district, 0) + 1
    return JsonResponse(
        {
            "points": selectors.map_points(platforms, _platform_url),
            "districts": [
                {"name": d, "value": counts.get(d, 0), "bounds": selectors.district_bounds().get(d)}
                for d in selectors.districts()
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _platform_context(pk: int) -> dict[str, Any]:
    platform = selectors.get_public_platform(pk)
    return {
        "p": platform,
        "node": platform.node,
        "kind_label": rules.kind_label(platform.node.kind),
        "guides": [guides.GUIDES[s] for s in platform.services if s in guides.GUIDES],
        "institutions": selectors.platform_institutions(platform.node),
    }


@require_GET
def platform(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "public/platform.html", _platform_context(pk))


@require_GET
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_public_institution(pk)
    guide = guides.GUIDES.get(item.services[0]) if item.services else None
    return render(request, "public/institution.html", {"item": item, "i": item.institution, "guide": guide})


def _guide(service: str) -> guides.Guide:
    guide = guides.GUIDES.get(service)
    if guide is None:
        raise Http404("没有这项服务的办事指南。")
    return guide


@require_GET
def guide(request: HttpRequest, service: str) -> HttpResponse:
    return render(
        request, "public/guide.html", {"guide": _guide(service), "all_guides": guides.GUIDES.values()}
    )


# --- the kiosk -------------------------------------------------------------------------------------------


def _kiosk(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**context, **kiosk_frame.idle_context(request)})


@require_GET
def kiosk(request: HttpRequest) -> HttpResponse:
    return _kiosk(request, "public/kiosk/home.html", {"guides": guides.GUIDES.values()})


@require_GET
def kiosk_guides(request: HttpRequest) -> HttpResponse:
    return _kiosk(request, "public/kiosk/guides.html", {"guides": guides.GUIDES.values()})


@require_GET
def kiosk_guide(request: HttpRequest, service: str) -> HttpResponse:
    return _kiosk(request, "public/kiosk/guide.html", {"guide": _guide(service)})


@require_GET
def kiosk_laws(request: HttpRequest) -> HttpResponse:
    return _kiosk(request, "public/kiosk/laws.html", {"topics": guides.LAW_TOPICS})


@require_GET
def kiosk_points(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    filters["kind"] = filters["kind"] if filters["kind"] in dict(PLATFORM_KIND_CHOICES) else ""
    platforms = _platforms_for(filters) if filters["district"] else []
    return _kiosk(
        request,
        "public/kiosk/points.html",
        {
            "filters": filters,
            "districts": selectors.districts(),
            "platforms": platforms,
            "services": guides.Service.choices,
        },
    )


@require_GET
def kiosk_platform(request: HttpRequest, pk: int) -> HttpResponse:
    return _kiosk(request, "public/kiosk/platform.html", _platform_context(pk))


# --- signage (staff) -------------------------------------------------------------------------------------


def _can_make_signage(actor: Any, node: OrgNode) -> bool:
    """Office staff and district, city and system admins, for nodes of their subtree."""
    return any(node.path.startswith(p) for p in scoping.scope_for(actor).facility_paths)


def _signage_node(request: HttpRequest, pk: int, *, platform: bool) -> OrgNode:
    node = node_access.get_node_for(request.user, pk)  # 404 outside the actor's reach
    if platform and not node.is_platform:
        raise Http404("该节点不是公共法律服务中心(站)。")
    if not _can_make_signage(request.user, node):
        raise PermissionDenied("只有司法所工作人员和区(县)、市司法局管理员可以制作标识。")
    return node


def _qr_url(request: HttpRequest, node: OrgNode) -> str:
    """The platform's public page as printed in the QR code: on the site's public address
    (``LAWDESK_PUBLIC_BASE_URL``) when set, not on whatever intranet host the admin happens to use."""
    base = str(getattr(settings, "LAWDESK_PUBLIC_BASE_URL", "") or "").rstrip("/")
    if base:
        return base + _platform_url(node)
    return request.build_absolute_uri(_platform_url(node))


LOCAL_HOSTS = ("localhost", "127.", "::1", "0.0.0.0", "[::1]")
NO_PUBLIC_ADDRESS = (
    "网站的对外地址尚未设置，二维码会指向本机地址（{url}），群众扫码打不开。"
    "请联系系统管理员设置网站对外地址后再打印标识。"
)


def qr_problem(url: str) -> str:
    """Why a QR code for ``url`` must not be printed ("" when it may): a local address nobody outside reaches."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if not host or host.startswith(LOCAL_HOSTS):
        return NO_PUBLIC_ADDRESS.format(url=url)
    return ""


def _refused(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _pdf_response(content: bytes, filename: str, node: Any = None) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=signage.pdf; filename*=UTF-8''{quote(filename)}"
    # a platform's public details (the sign's own content): no personal data
    return mark_export(response, personal_data="none", node=node)


@login_required
def signage_index(request: HttpRequest) -> HttpResponse:
    roots = [n for n in node_access.root_nodes_for(request.user) if _can_make_signage(request.user, n)]
    if not roots:
        raise PermissionDenied("只有司法所工作人员和区(县)、市司法局管理员可以制作标识。")
    root = roots[0]
    if root.is_platform:
        return redirect("public:signage", pk=root.pk)
    return redirect("public:signage_batch", pk=root.pk)


@login_required
def signage_platform(request: HttpRequest, pk: int) -> HttpResponse:
    node = _signage_node(request, pk, platform=True)
    signs = [
        {
            "sign": s,
            "missing": signage.missing_fields(node, s),
            "url": reverse("public:signage_svg", args=[pk, s.key]),
        }
        for s in signage.SIGNS
    ]
    return render(
        request,
        "public/signage/platform.html",
        {
            "node": node,
            "signs": signs,
            "english": english_name(node.name),
            "public_url": _qr_url(request, node),
            "qr_problem": qr_problem(_qr_url(request, node)),
            "drawable": any(not s["missing"] for s in signs),
        },
    )


@login_required
def signage_svg(request: HttpRequest, pk: int, sign: str) -> HttpResponse:
    node = _signage_node(request, pk, platform=True)
    chosen = signage.SIGNS_BY_KEY.get(sign)
    if chosen is None:
        raise Http404("没有这种标识。")
    missing = signage.missing_fields(node, chosen)
    if missing:
        raise Http404(f"{node.name}缺少{'、'.join(missing)}，不能绘制{chosen.label}。")
    svg = signage.draw(node, chosen, _qr_url(request, node))
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml")


@login_required
def signage_platform_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    node = _signage_node(request, pk, platform=True)
    if problem := qr_problem(_qr_url(request, node)):
        return _refused(problem)
    try:
        pdf = signage.signage_pdf([(node, _qr_url(request, node))])
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return _pdf_response(pdf, f"{node.name}-标识.pdf", node)


def _batch_platforms(request: HttpRequest, node: OrgNode) -> list[OrgNode]:
    nodes = node_access.visible_nodes(request.user).filter(subtree_q(node.path), is_active=True)
    nodes = nodes.filter(kind__in=rules.PLATFORM_KINDS)
    return list(nodes.order_by("path"))


@login_required
def signage_batch(request: HttpRequest, pk: int) -> HttpResponse:
    node = _signage_node(request, pk, platform=False)
    rows = []
    for platform_node in _batch_platforms(request, node):
        missing = signage.missing_by_sign(platform_node)
        rows.append(
            {
                "node": platform_node,
                "missing": [(signage.SIGNS_BY_KEY[k].label, fields) for k, fields in missing.items()],
            }
        )
    offices = node_access.visible_nodes(request.user).filter(
        parent=node, kind__in=[NodeKind.JUDICIAL_OFFICE, NodeKind.DISTRICT_BUREAU]
    )
    return render(
        request,
        "public/signage/batch.html",
        {
            "node": node,
            "complete": [r for r in rows if not r["missing"]],
            "incomplete": [r for r in rows if r["missing"]],
            "total": len(rows),
            "too_many": len(rows) > MAX_BATCH_PLATFORMS,
            "max_platforms": MAX_BATCH_PLATFORMS,
            "children": offices,
            "signs": signage.SIGNS,
            "qr_problem": qr_problem(_qr_url(request, node)),
        },
    )


@login_required
def signage_batch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    node = _signage_node(request, pk, platform=False)
    platforms = _batch_platforms(request, node)
    if len(platforms) > MAX_BATCH_PLATFORMS:
        return HttpResponse(
            f"{node.name}下共有{len(platforms)}个平台，一次最多打印{MAX_BATCH_PLATFORMS}个，请按司法所分批打印。",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if platforms and (problem := qr_problem(_qr_url(request, platforms[0]))):
        return _refused(problem)
    sign_key = request.GET.get("sign", "")
    signs = [signage.SIGNS_BY_KEY[sign_key]] if sign_key in signage.SIGNS_BY_KEY else list(signage.SIGNS)
    try:
        pdf = signage.signage_pdf([(p, _qr_url(request, p)) for p in platforms], signs)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return _pdf_response(pdf, f"{node.name}-标识.pdf", node)
