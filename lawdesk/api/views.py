"""The REST API, version 1. Every read goes through ``lawdesk.accounts.scoping`` and the apps' selectors, every
change through the apps' services — the same calls the pages make. A record outside the actor's reach answers 404
exactly like a missing one; a service's refusal answers 403 or 400 with its Chinese message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from lawdesk.accounts import scoping
from lawdesk.api import serializers as s
from lawdesk.api.errors import LabelledValidationError, raise_service_error, validated
from lawdesk.api.filters import (
    AppointmentFilter,
    InstitutionFilter,
    LabelledFilterBackend,
    MatterFilter,
    SlotFilter,
    VisitFilter,
)
from lawdesk.api.models import ApiClient
from lawdesk.api.schema import ErrorSerializer
from lawdesk.appointments import selectors as appointment_selectors
from lawdesk.appointments import services as appointment_services
from lawdesk.appointments.models import Appointment, Slot
from lawdesk.core import clock
from lawdesk.institutions import access as institution_access
from lawdesk.institutions import selectors as institution_selectors
from lawdesk.institutions.models import Institution
from lawdesk.ledgers import selectors as ledger_selectors
from lawdesk.ledgers.definitions import LEDGERS, Ledger, get_ledger
from lawdesk.ledgers.views import NO_LEDGERS
from lawdesk.matters import access as matter_access
from lawdesk.matters import commands, services
from lawdesk.matters import people_search as people_selectors
from lawdesk.matters import personal_data as personal_data_services
from lawdesk.matters import selectors as matter_selectors
from lawdesk.matters.forms_intake import MATTER_FIELDS, PERSON_FIELDS
from lawdesk.matters.models import Matter, MatterEvent, MatterKind, Visit
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.people.policy import Door, record_bulk_read
from lawdesk.stats import selectors as stats_selectors
from lawdesk.stats.indicators import Indicator


def _pk(value: Any) -> int:
    """A path id, or 404 (never a server error) when it is not a number the database can hold."""
    try:
        pk = int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("没有找到。") from exc
    if not 0 < pk < 2**63:
        raise Http404("没有找到。")
    return pk


def _field_error(field: str, message: str) -> LabelledValidationError:
    return LabelledValidationError({field: [message]})


def _in_reach(field: str, message: str, lookup: Callable[[], Any]) -> Any:
    """An object named in a request body: out of reach is a 400 on that field (the body is what is wrong)."""
    try:
        return lookup()
    except Http404 as exc:
        raise _field_error(field, message) from exc


class ApiViewSet(viewsets.GenericViewSet):
    filter_backends = [LabelledFilterBackend]
    # Any path segment reaches the view (which answers a JSON 404 for what is not an id), not Django's HTML 404.
    lookup_value_regex = "[^/]+"

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        """A response that carried personal data (masked or not) writes one ``personal_data.bulk_read`` row
        naming the rows it returned (``serializers.Served``)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            _record_served(request)
        return response


def _record_served(request: Request) -> None:
    record: s.Served | None = getattr(request._request, "lawdesk_served", None)
    if record is None or not record.rows:
        return
    request._request.lawdesk_served = None  # type: ignore[attr-defined]  # once per request
    (object_type, ids), *others = record.rows.items()
    nodes = record.nodes - {None}
    data: dict[str, Any] = {"door": Door.API.value, "method": request.method}
    if others:
        data["others"] = {label: more for label, more in others}
    client = request.auth if isinstance(request.auth, ApiClient) else None
    if client is not None:
        data["client"] = {"id": client.pk, "name": client.name}
    record_bulk_read(
        actor=request.user,
        request=request,
        object_type=object_type,
        ids=ids,
        people=record.people,
        node=next(iter(nodes)) if len(nodes) == 1 else None,
        data=data,
    )


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@authentication_classes([])
def not_found(request: Request, path: str = "") -> Response:
    """Any other path under /api/: a JSON 404 like the rest of the API."""
    raise exceptions.NotFound("没有这个接口。请查看 /api/docs/。")


# --- visits -----------------------------------------------------------------------------------------------

# The intake service's field names → where they are in the API's request body.
VISIT_KEYS = {**{k: f"person.{k}" for k in PERSON_FIELDS}, **{k: "matters" for k in MATTER_FIELDS}}


@extend_schema_view(
    list=extend_schema(summary="来访登记列表", description="您查看范围内的来访，新的在前。"),
    retrieve=extend_schema(summary="来访详情"),
)
class VisitViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter
    queryset = Visit.objects.none()

    def get_queryset(self) -> QuerySet[Visit]:
        return (
            matter_access.visible_visits(self.request.user)
            .select_related("node", "person", "received_by")
            .prefetch_related("matters")
            .order_by("-received_at", "-id")
        )

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        visit = matter_access.get_visit_for(request.user, _pk(pk))
        return Response(self.get_serializer(visit).data)

    @extend_schema(
        summary="登记来访",
        description=(
            "与窗口“来访登记”相同：在一个平台登记来访人及一项或多项事项（填写 answer 即当场解答办结）。"
            "同一 client_token 重复提交时返回已登记的来访（200）。"
        ),
        request=s.VisitCreateSerializer,
        responses={
            201: s.VisitSerializer,
            200: OpenApiResponse(s.VisitSerializer, description="同一 client_token 已登记过，返回原来访。"),
            409: OpenApiResponse(
                ErrorSerializer, description="与同时提交的登记冲突，请重新查找来访人后再提交。"
            ),
        },
    )
    def create(self, request: Request) -> Response:
        actor = request.user
        data = validated(s.VisitCreateSerializer(data=request.data))
        node: OrgNode = _in_reach(
            "node",
            "接待平台：没有找到该平台，或不在您的查看范围内。",
            lambda: node_access.get_node_for(actor, data["node"]),
        )
        person_in = data["person"]
        person = None
        if data.get("person_id"):
            person = people_selectors.person_for_intake(
                actor=actor, pk=data["person_id"], phone=person_in["phone"], id_number=person_in["id_number"]
            )
            if person is None:
                raise _field_error("person_id", "来访人编号：所选的来访人不存在或您无权选用，请重新查找。")
        groups = list(person_in["groups"])
        for index, item in enumerate(data["matters"]):
            if item["one_trip_mode"] and not groups:
                raise _field_error(
                    f"matters.{index}.one_trip_mode",
                    f"第{index + 1}项事项：“最多跑一次”只适用于特殊群体，请先填写来访人的特殊群体。",
                )
        started = clock.now()
        try:
            visit = services.visit_register(
                actor=actor,
                node=node,
                person=person,
                person_data=PersonInput(
                    name=person_in["name"],
                    phone=person_in["phone"],
                    id_number=person_in["id_number"],
                    address=person_in["address"],
                    gender=person_in["gender"],
                    groups=groups,
                    client_kind=person_in["client_kind"],
                    credit_code=person_in["credit_code"],
                    contact_name=person_in["contact_name"],
                ),
                matters=[
                    MatterInput(
                        kind=m["kind"],
                        summary=m["summary"],
                        legal_field=m["legal_field"] if m["kind"] == MatterKind.CONSULTATION else "",
                        service_type=m["service_type"] if m["kind"] == MatterKind.SERVICE_TRANSFER else "",
                        answer=m["answer"],
                        one_trip_mode=m["one_trip_mode"],
                    )
                    for m in data["matters"]
                ],
                channel=data["channel"],
                summary=data["summary"],
                client_token=data.get("client_token"),
            )
        except DjangoValidationError as exc:
            raise_service_error(exc, VISIT_KEYS)
        except IntegrityError as exc:
            raise exceptions.APIException(
                "保存时与他人的登记冲突（同一身份证号刚被登记），请重新查找该来访人后再提交。",
                code="conflict",
            ) from exc
        visit = matter_access.get_visit_for(actor, visit.pk)
        created = visit.created_at >= started
        return Response(
            self.get_serializer(visit).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


# --- matters ----------------------------------------------------------------------------------------------


def _matter_action(
    *, summary: str, description: str, request: type[s.Serializer] | None
) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary, description=description, request=request, responses={200: s.MatterSerializer}
    )


@extend_schema_view(
    list=extend_schema(
        summary="事项列表", description="您查看范围内的事项：您本人未办结的在前，其余新的在前。"
    ),
    retrieve=extend_schema(summary="事项详情"),
)
class MatterViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = s.MatterListSerializer
    filterset_class = MatterFilter
    queryset = Matter.objects.none()

    def get_queryset(self) -> QuerySet[Matter]:
        return matter_selectors.matter_list(actor=self.request.user)

    def _matter(self, pk: Any) -> Matter:
        matter: Matter = matter_access.get_matter_for(self.request.user, _pk(pk))
        return matter

    def _done(self, matter: Matter) -> Response:
        return Response(s.MatterSerializer(matter, context=self.get_serializer_context()).data)

    def _issue(self, pk: Any, key: str) -> tuple[Matter, commands.Issued]:
        """One command of the matter kind's table, exactly as the matter page issues it (``commands.issue``):
        the same form, the same rules, the same Chinese messages. Field names keep the API's (``api_names``)."""
        matter = self._matter(pk)
        command = commands.command_for(matter, key)
        form_names = dict(command.api_names)
        api_names = {form: api for api, form in form_names.items()}
        incoming = self.request.data
        if not isinstance(incoming, Mapping):
            raise LabelledValidationError({"non_field_errors": ["请求体应为JSON对象（各项的名称和值）。"]})
        data = {form_names.get(str(k), str(k)): incoming[k] for k in incoming}
        if hasattr(incoming, "getlist"):  # a form post: keep repeated keys (lists) as lists
            data = {form_names.get(str(k), str(k)): incoming.getlist(k) for k in incoming}
            data = {k: v[0] if len(v) == 1 else v for k, v in data.items()}
        try:
            issued = commands.issue(actor=self.request.user, matter=matter, key=key, data=data)
        except commands.CommandInputError as exc:
            raise LabelledValidationError(
                {api_names.get(k, k): v for k, v in commands.form_errors(exc.form).items()}
            ) from exc
        except DjangoValidationError as exc:
            raise_service_error(exc, api_names)
        changed = (
            matter_access.get_matter_for(self.request.user, matter.pk)
            if matter_access.can_see_matter(self.request.user, matter)
            else Matter.objects.select_related("node", "visit", "visit__person", "institution").get(
                pk=matter.pk
            )
        )
        return changed, issued

    def _act(self, pk: Any, key: str) -> Response:
        matter, _ = self._issue(pk, key)
        return self._done(matter)

    @extend_schema(responses={200: s.MatterSerializer})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._done(self._matter(pk))

    @extend_schema(
        summary="查看事项上的完整联系电话",
        description=(
            "事项上另存的联系电话（投诉人电话 complainant、预约提醒电话 appointment）在接口中总是遮蔽；"
            "可查看完整号码的角色用此接口查看一次，与页面上的“显示完整”相同，每次查看都记入操作日志"
            "（personal_data.read）。事项不在查看范围内或没有该电话时返回404，角色只能查看遮蔽号码时返回403。"
        ),
        request=s.ContactRevealSerializer,
        responses={
            200: s.RevealedSerializer,
            403: OpenApiResponse(ErrorSerializer, description="您的角色只能查看隐去部分的个人信息。"),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reveal(self, request: Request, pk: Any = None) -> Response:
        matter = self._matter(pk)  # out of reach: 404 before the body is read, like every matter action
        which = validated(s.ContactRevealSerializer(data=request.data))["which"]
        value = personal_data_services.contact_reveal(actor=request.user, matter_pk=matter.pk, which=which)
        return Response({"field": f"{which}_phone", "value": value})

    @extend_schema(
        summary="事项的办理记录",
        description="受理、移交、承接、办结、反馈、归档等每一步。",
        responses=s.MatterEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request: Request, pk: Any = None) -> Response:
        matter = self._matter(pk)
        events: QuerySet[MatterEvent] = matter.events.select_related("actor", "node", "institution").order_by(
            "created_at", "id"
        )
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.MatterEventSerializer(page, many=True).data)

    @_matter_action(
        summary="移交",
        description="首问负责人（或其上级）把事项移交给后台机构。",
        request=s.TransferSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def transfer(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "transfer")

    @extend_schema(
        summary="现在可办理的步骤",
        description=(
            "按该类事项的办理规则，您现在可以对该事项办理的每一步（与事项页面显示的完全相同）：步骤、"
            "说明、规则和要填写的项。用 POST commands/<步骤>/ 办理。"
        ),
        responses={200: s.CommandListSerializer},
    )
    @action(detail=True, methods=["get"], url_path="commands", filter_backends=[], pagination_class=None)
    def command_list(self, request: Request, pk: Any = None) -> Response:
        matter = self._matter(pk)
        rows = [
            s.command_row(command, commands.make_form(command, request.user, matter), matter)
            for command in commands.available(request.user, matter)
        ]
        return Response(rows)

    @extend_schema(
        summary="办理一步",
        description=(
            "办理该类事项规则中的一步（步骤名见 GET commands/），与事项页面提交同一表单、同一规则：不能办理的"
            "步骤返回403或400及其中文原因。法律援助的申请表、初审、受理决定，矛盾纠纷的纠纷详情、调解结果，"
            "投诉的补充记录等都在这里办理。"
        ),
        request=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter("key", str, OpenApiParameter.PATH, description="步骤，见 GET commands/")
        ],
        responses={200: s.CommandResultSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"commands/(?P<key>[^/.]+)", filter_backends=[])
    def command(self, request: Request, pk: Any = None, key: str = "") -> Response:
        if key not in commands.all_keys():
            raise exceptions.NotFound("没有这个办理步骤。请查看 GET commands/。")
        matter, issued = self._issue(pk, key)
        return Response(
            {
                "command": key,
                "message": issued.message,
                "matter": s.MatterSerializer(matter, context=self.get_serializer_context()).data,
            }
        )

    @extend_schema(
        summary="可移交的机构",
        description="为该事项的受理平台（或其上级）服务、您可查看的后台机构，可按类型筛选：移交时从中选择。",
        parameters=[s.TransferTargetsQuerySerializer],
        responses=s.InstitutionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="transfer-targets", filter_backends=[])
    def transfer_targets(self, request: Request, pk: Any = None) -> Response:
        matter = self._matter(pk)
        query = validated(s.TransferTargetsQuerySerializer(data=request.query_params))
        institutions = matter_selectors.kind_transfer_targets(
            actor=request.user, matter=matter, kind=query.get("kind", "")
        ).select_related("home_node")
        page = self.paginate_queryset(institutions)
        return self.get_paginated_response(s.InstitutionSerializer(page, many=True).data)

    @_matter_action(
        summary="承接", description="承接机构的承办人承接移交来的事项。", request=s.NoteSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "accept")

    @_matter_action(
        summary="退回", description="承接机构把事项退回移交方，须说明原因。", request=s.DeclineSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decline(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "decline")

    @_matter_action(
        summary="当场解答办结", description="首问负责人登记答复意见。", request=s.AnswerSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def answer(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "answer")

    @_matter_action(
        summary="指引",
        description="不属本平台办理：说明原因和去向（可打印指引单）。",
        request=s.RedirectSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def redirect(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "redirect")

    @_matter_action(
        summary="登记办理结果",
        description="承办人登记结果；司法所可代为登记（标记为代登记）。",
        request=s.OutcomeSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def outcome(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "outcome")

    @_matter_action(
        summary="告知群众",
        description="首问负责人登记告知群众办理结果的方式。",
        request=s.TellCitizenSerializer,
    )
    @action(detail=True, methods=["post"], url_path="tell-citizen", filter_backends=[])
    def tell_citizen(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "tell")

    @_matter_action(
        summary="归档",
        description="首问负责人归档事项。满意度只由群众本人评价（平板、一体机或短信链接），接口不接受评分。",
        request=s.CloseSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "close")


# --- people -----------------------------------------------------------------------------------------------


class PersonViewSet(ApiViewSet):
    """A person's numbers are always masked in the API; this is the one way to read one in full."""

    filter_backends: list[Any] = []
    pagination_class = None
    serializer_class = s.PersonRevealSerializer
    queryset = Visit.objects.none()

    @extend_schema(
        summary="查看来访人的完整号码",
        description=(
            "来访人的联系电话和身份证号在接口中总是遮蔽；可查看完整号码的角色用此接口查看一项，"
            "与页面上的“显示完整”相同，每次查看都记入操作日志（personal_data.read）。"
            "来访人不在查看范围内时返回404，角色只能查看遮蔽号码时返回403。"
        ),
        request=s.PersonRevealSerializer,
        responses={
            200: s.RevealedSerializer,
            403: OpenApiResponse(ErrorSerializer, description="您的角色只能查看隐去部分的个人信息。"),
        },
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: Any = None) -> Response:
        person_pk = _pk(pk)
        if not matter_access.visible_visits(request.user).filter(person_id=person_pk).exists():
            raise Http404("没有找到。")  # out of reach: 404 before the body is read, like a missing person
        field = validated(s.PersonRevealSerializer(data=request.data))["field"]
        value = personal_data_services.person_reveal(actor=request.user, person_pk=person_pk, field=field)
        return Response({"field": field, "value": value})


# --- institutions -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="后台机构名录", description="您可查看的机构，按类型、服务节点、名称或业务范围筛选。"
    ),
    retrieve=extend_schema(summary="机构详情"),
)
class InstitutionViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = s.InstitutionSerializer
    filterset_class = InstitutionFilter
    queryset = Institution.objects.none()

    def get_queryset(self) -> QuerySet[Institution]:
        actor = self.request.user
        filterset = InstitutionFilter(
            self.request.query_params,
            queryset=institution_access.visible_institutions(actor),
            request=self.request,
        )
        if not filterset.is_valid():
            return Institution.objects.none()  # the filter backend answers 400 with the reasons
        cleaned = filterset.form.cleaned_data
        return institution_selectors.institution_list(
            actor=actor,
            kind=cleaned.get("kind") or "",
            node=cleaned.get("node"),
            query=cleaned.get("q") or "",
        )

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        institution = institution_access.get_institution_for(request.user, _pk(pk))
        return Response(self.get_serializer(institution).data)


# --- appointments -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="预约时段", description="您可查看的平台和机构的预约时段，按开始时间排序。"),
    retrieve=extend_schema(summary="预约时段详情"),
)
class SlotViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = s.SlotSerializer
    filterset_class = SlotFilter
    queryset = Slot.objects.none()

    def get_queryset(self) -> QuerySet[Slot]:
        return appointment_selectors.visible_slots(self.request.user)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(self.get_serializer(appointment_selectors.get_slot_for(request.user, _pk(pk))).data)


@extend_schema_view(
    list=extend_schema(
        summary="预约列表", description="您查看范围内事项的预约，以及您所在机构时段上的预约。"
    ),
    retrieve=extend_schema(summary="预约详情"),
)
class AppointmentViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = s.AppointmentSerializer
    filterset_class = AppointmentFilter
    queryset = Appointment.objects.none()

    def get_queryset(self) -> QuerySet[Appointment]:
        return appointment_selectors.appointments_for(self.request.user).order_by("slot__start", "id")

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(
            self.get_serializer(appointment_selectors.get_appointment_for(request.user, _pk(pk))).data
        )

    @extend_schema(
        summary="预约",
        description=(
            "在一个时段登记预约：新的预约事项（填写 name、summary，按所在平台登记来访），"
            "或把已登记的法律咨询（matter）直接约到律所时段。"
        ),
        request=s.BookSerializer,
        responses={201: s.AppointmentSerializer},
    )
    def create(self, request: Request) -> Response:
        actor = request.user
        data = validated(s.BookSerializer(data=request.data))
        slot: Slot = _in_reach(
            "slot",
            "预约时段：没有找到该时段，或不在您的查看范围内。",
            lambda: appointment_selectors.get_slot_for(actor, data["slot"]),
        )
        matter: Matter | None = None
        if data.get("matter"):
            matter = _in_reach(
                "matter",
                "事项：没有找到该事项，或不在您的查看范围内。",
                lambda: matter_access.get_matter_for(actor, data["matter"]),
            )
        try:
            if matter is not None:
                appointment = appointment_services.appointment_book(
                    actor=actor, slot=slot, matter=matter, phone=data["phone"]
                )
            else:
                if not data["name"].strip():
                    raise _field_error("name", "预约人姓名：请填写预约人姓名。")
                appointment = appointment_services.appointment_book(
                    actor=actor,
                    slot=slot,
                    summary=data["summary"],
                    person_data=PersonInput(name=data["name"], phone=data["phone"]),
                    channel=data["channel"],
                    phone=data["phone"],
                )
        except DjangoValidationError as exc:
            raise_service_error(exc)
        return Response(
            self.get_serializer(appointment_selectors.get_appointment_for(actor, appointment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="取消预约", request=s.CancelSerializer, responses={200: s.AppointmentSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        actor = request.user
        appointment = appointment_selectors.get_appointment_for(actor, _pk(pk))
        data = validated(s.CancelSerializer(data=request.data))
        try:
            appointment_services.appointment_cancel(
                actor=actor, appointment=appointment, reason=data["reason"]
            )
        except DjangoValidationError as exc:
            raise_service_error(exc)
        return Response(
            self.get_serializer(appointment_selectors.get_appointment_for(actor, appointment.pk)).data
        )


# --- ledgers ----------------------------------------------------------------------------------------------

LEDGER_CODE = OpenApiParameter(
    "code", OpenApiTypes.INT, OpenApiParameter.PATH, description="台帐编号（1–6）。", enum=sorted(LEDGERS)
)


def _require_ledgers(actor: Any) -> None:
    if not scoping.scope_for(actor).view_paths:
        raise exceptions.PermissionDenied(NO_LEDGERS)


def _person_id(record: Any) -> Any:
    """The person a ledger record is about (a visit's, or its matter's visit's), when it says so cheaply."""
    person_id = getattr(record, "person_id", None)
    if person_id is None and getattr(record, "visit_id", None) is not None:
        person_id = getattr(getattr(record, "visit", None), "person_id", None)
    return person_id


def _ledger_info(ledger: Ledger) -> dict[str, Any]:
    return {"code": ledger.code, "title": ledger.title, "headers": ledger.headers}


class LedgerViewSet(ApiViewSet):
    lookup_url_kwarg = "code"
    filter_backends: list[Any] = []
    serializer_class = s.LedgerSerializer

    @extend_schema(
        summary="六本台帐", description="台帐编号、名称和栏目。", responses=s.LedgerSerializer(many=True)
    )
    def list(self, request: Request) -> Response:
        _require_ledgers(request.user)
        page = self.paginate_queryset([_ledger_info(ledger) for ledger in LEDGERS.values()])
        return self.get_paginated_response(page)

    @extend_schema(
        summary="台帐记录",
        description=(
            "一个节点（及其下级平台）在一段时间内的台帐记录，按平台和编号排序；"
            "无权查看个人信息时身份证号和电话已遮蔽。"
        ),
        parameters=[LEDGER_CODE, s.LedgerQuerySerializer],
        responses=s.LedgerRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def rows(self, request: Request, code: Any = None) -> Response:
        actor = request.user
        _require_ledgers(actor)
        ledger = get_ledger(_pk(code))
        if ledger is None:
            raise exceptions.NotFound("没有这个台帐。")
        query = validated(s.LedgerQuerySerializer(data=request.query_params))
        node = (
            node_access.get_node_for(actor, query["node"])
            if query.get("node")
            else ledger_selectors.default_node(actor)
        )
        if node is None:
            raise exceptions.PermissionDenied(NO_LEDGERS)
        default = ledger_selectors.this_month()
        period = ledger_selectors.Period(
            query.get("date_from") or default.start, query.get("date_to") or default.end
        )
        if period.start > period.end:
            raise _field_error("date_to", "结束日期：结束日期不能早于开始日期。")
        records = ledger_selectors.ledger_records(ledger, actor=actor, node=node, period=period)
        page = self.paginate_queryset(records)
        shown = list(page if page is not None else records)
        rows = ledger_selectors.ledger_rows(ledger, actor=actor, records=shown, door=Door.API)
        data = [
            {
                "number": row.number,
                "platform": s.node_ref(row.node),
                "masked": row.masked,
                "cells": [ledger_selectors.display(value) for value in row.cells],
            }
            for row in rows
        ]
        record = s.served(request)
        for item in shown:
            record.add(item, node=item.node, person_id=_person_id(item))
        return self.get_paginated_response(data)


# --- reports ----------------------------------------------------------------------------------------------


def _shown(item: Any, value: int | float | None) -> int | float | None:
    """A figure in the unit the report prints (amounts are stored in fen)."""
    if value is None or not isinstance(item, Indicator) or item.scale == 1:
        return value
    return value / item.scale


class MonthlyReportViewSet(ApiViewSet):
    filter_backends: list[Any] = []
    pagination_class = None
    serializer_class = s.MonthlyReportSerializer

    @extend_schema(
        summary="月度统计报表",
        description=(
            "一个节点（含下级）某月的统计报表（与“统计”页面相同，来自月度汇总），"
            "以及直属下级节点的数值和报送情况。默认为您任职的节点、上个月。"
        ),
        parameters=[s.ReportQuerySerializer],
        responses=s.MonthlyReportSerializer,
    )
    def list(self, request: Request) -> Response:
        actor = request.user
        if not scoping.scope_for(actor).view_paths:
            raise exceptions.PermissionDenied(
                "统计报表按节点查看：只有在平台、司法所或司法局任职的人员可以查看。"
            )
        query = validated(s.ReportQuerySerializer(data=request.query_params))
        node = (
            node_access.get_node_for(actor, query["node"])
            if query.get("node")
            else node_access.root_nodes_for(actor).first()
        )
        if node is None:
            raise exceptions.PermissionDenied("您没有可查看的统计报表。")
        if query.get("month"):
            month = stats_selectors.parse_month(query["month"])
        else:
            month = stats_selectors.Month.of(clock.today()).previous()
        report = stats_selectors.monthly_report(
            actor=actor, node=node, year=month.year, month=month.month, with_children=True
        )
        data = {
            "node": s.node_ref(node),
            "month": month.slug,
            "label": month.label,
            "status": report.status,
            "status_label": report.status_label,
            "due_on": report.due_on,
            "filled_at": report.filled_at,
            "changed_since_snapshot": report.changed_since_snapshot,
            "groups": [
                {
                    "name": group.name,
                    "rows": [
                        {
                            "code": row.item.code,
                            "label": row.item.label,
                            "unit": row.item.unit,
                            "value": _shown(row.item, row.value),
                            "display": row.display,
                            "is_part": row.is_part,
                        }
                        for row in group.rows
                    ],
                }
                for group in report.groups
            ],
            "children": [
                {
                    "node": s.node_ref(child.node),
                    "status": child.status,
                    "status_label": child.status_label,
                    "due_on": child.due_on,
                    "overdue": child.overdue,
                    "figures": child.figures,
                }
                for child in report.children
            ],
        }
        return Response(s.MonthlyReportSerializer(data).data)
