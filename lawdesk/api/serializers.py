"""What the API shows and accepts. Output serializers read model attributes only; personal data (ID numbers and
phones) is always masked at the API door of ``lawdesk.people.policy`` (for every role and every token); a full
value comes only from the audited reveal endpoints. Every row whose personal data a response carries is noted
(``Served``) so that the response writes one ``personal_data.bulk_read`` audit row naming them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer, inline_serializer
from rest_framework import serializers

from lawdesk.api.filters import DATE_VALIDATORS
from lawdesk.appointments.models import Appointment, AppointmentStatus, Slot, SlotKind
from lawdesk.appointments.services import BOOKING_CHANNELS, taken
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import selectors as matter_selectors
from lawdesk.matters.events import EVENTS
from lawdesk.matters.models import (
    Adoption,
    Channel,
    LegalField,
    Matter,
    MatterEvent,
    MatterKind,
    MatterState,
    OneTripMode,
    ServiceType,
    ToldVia,
    Visit,
)
from lawdesk.orgs.models import OrgNode
from lawdesk.people.models import ClientKind, Gender, Person, VulnerableGroup
from lawdesk.people.policy import Disclosure, Door, Policy

Serializer = serializers.Serializer
BOOKING_CHANNEL_CHOICES = [(c.value, c.label) for c in BOOKING_CHANNELS]


class Served:
    """The rows whose personal data (masked or not) one API response carries, and the policy of its actor at the
    API door (asked once per node). Kept on the request; the view writes its one audit row."""

    def __init__(self, actor: Any) -> None:
        self.policy = Policy(actor, Door.API)
        self.rows: dict[str, list[Any]] = {}
        self.people: list[Any] = []
        self.nodes: set[Any] = set()

    def add(self, row: Any, *, node: Any, person_id: Any = None) -> Disclosure:
        ids = self.rows.setdefault(row._meta.label, [])
        if row.pk not in ids:
            ids.append(row.pk)
        if person_id is not None and person_id not in self.people:
            self.people.append(person_id)
        self.nodes.add(getattr(node, "pk", None))
        return self.policy.at(node)


def served(request: Any) -> Served:
    """The ``Served`` of this request (made on first use)."""
    http = getattr(request, "_request", request)
    record: Served | None = getattr(http, "lawdesk_served", None)
    if record is None:
        record = Served(request.user)
        http.lawdesk_served = record
    return record


def _disclosed(context: dict[str, Any], row: Any, node: Any, person: Person | None = None) -> Disclosure:
    return served(context["request"]).add(row, node=node, person_id=getattr(person, "pk", None))


def _name(user: Any) -> str | None:
    return str(user) if user is not None else None


# --- references -------------------------------------------------------------------------------------------


class NodeRefSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(label="名称")
    kind = serializers.CharField(label="类型")


class InstitutionRefSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(label="名称")
    kind = serializers.ChoiceField(label="类型", choices=InstitutionKind.choices)


def node_ref(node: OrgNode | None) -> dict[str, Any] | None:
    return None if node is None else {"id": node.pk, "name": node.name, "kind": node.kind}


def institution_ref(institution: Institution | None) -> dict[str, Any] | None:
    if institution is None:
        return None
    return {"id": institution.pk, "name": institution.name, "kind": institution.kind}


# --- people -----------------------------------------------------------------------------------------------


class PersonSerializer(Serializer):
    """A citizen as the actor may see them: ID number, phone and address masked (or left out) unless allowed."""

    id = serializers.IntegerField()
    name = serializers.CharField(label="姓名")
    gender = serializers.CharField(label="性别", allow_blank=True)
    phone = serializers.CharField(label="联系电话", allow_blank=True)
    id_number = serializers.CharField(label="身份证号", allow_blank=True)
    address = serializers.CharField(label="住址或单位", allow_null=True, help_text="无权查看时为 null。")
    groups = serializers.ListField(
        child=serializers.ChoiceField(choices=VulnerableGroup.choices), label="特殊群体"
    )
    client_kind = serializers.ChoiceField(label="来访对象", choices=ClientKind.choices)
    credit_code = serializers.CharField(label="统一社会信用代码", allow_blank=True)
    contact_name = serializers.CharField(label="联系人", allow_blank=True)
    masked = serializers.BooleanField(
        label="已遮蔽", help_text="true：身份证号和电话已遮蔽（接口中总是遮蔽）。"
    )
    can_reveal = serializers.BooleanField(
        label="可查看完整号码",
        help_text="true：可用 POST /api/v1/people/<id>/reveal/ 查看完整号码（每次查看都记入操作日志）。",
    )


def person_data(person: Person, shown: Disclosure, *, by_reference: bool = False) -> dict[str, Any]:
    """A citizen as the API shows them: numbers masked; ``can_reveal`` where the actor may ask for a full value
    (never for a visit registered by reference: it shows what was said there, not the shared record)."""
    return {
        "id": person.pk,
        "name": person.name,
        "gender": person.gender,
        "phone": shown.phone(person.phone),
        "id_number": shown.id_number(person.id_number),
        "address": shown.address(person.address),
        "groups": person.groups,
        "client_kind": person.client_kind,
        "credit_code": person.credit_code,
        "contact_name": person.contact_name,
        "masked": shown.masked,
        "can_reveal": shown.may_reveal and not by_reference,
    }


# The personal numbers the API reveals in full on request (the same audited services as the page's button).
REVEAL_FIELDS = [("phone", "联系电话"), ("id_number", "身份证号")]


class PersonRevealSerializer(Serializer):
    field = serializers.ChoiceField(
        label="查看项",
        choices=REVEAL_FIELDS,
        help_text="phone（联系电话）或 id_number（身份证号）。",
        error_messages={
            "invalid_choice": "“{input}”不是可查看的项，应为 phone（联系电话）或 id_number（身份证号）。",
            "required": "请说明要查看哪一项：phone（联系电话）或 id_number（身份证号）。",
        },
    )


CONTACT_LABELS = {"complainant": "投诉人电话", "appointment": "预约提醒电话", "party-<id>": "纠纷当事人电话"}


class ContactRevealSerializer(Serializer):
    which = serializers.CharField(
        label="联系电话类别",
        max_length=40,
        help_text="事项上另存的联系电话：complainant（投诉人电话）、appointment（预约提醒电话）或 party-<id>（纠纷当事人电话）。",
        error_messages={
            "required": "请说明要查看哪个联系电话：complainant（投诉人电话）或 appointment（预约提醒电话）。",
            "blank": "请说明要查看哪个联系电话：complainant（投诉人电话）或 appointment（预约提醒电话）。",
        },
    )

    def validate_which(self, value: str) -> str:
        from lawdesk.matters.personal_data import contact_kinds, is_contact

        kinds = contact_kinds()
        if not is_contact(value):
            named = "或 ".join(f"{k}（{CONTACT_LABELS.get(k, k)}）" for k in kinds)
            raise serializers.ValidationError(f"“{value}”不是事项上的联系电话，应为 {named}。")
        return value


class RevealedSerializer(Serializer):
    field = serializers.CharField(label="查看项", help_text="phone、id_number，或 <类别>_phone。")
    value = serializers.CharField(label="完整内容", allow_blank=True)


# --- visits -----------------------------------------------------------------------------------------------


class VisitMatterSerializer(Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MatterKind.choices, label="事项类别")
    state = serializers.ChoiceField(choices=MatterState.choices, label="状态")
    summary = serializers.CharField(label="事项摘要")


class VisitSerializer(Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, label="来访编号")
    node = serializers.SerializerMethodField(label="接待平台")
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True, label="来访方式")
    received_at = serializers.DateTimeField(read_only=True, label="来访时间")
    summary = serializers.CharField(read_only=True, label="来访事由")
    received_by = serializers.SerializerMethodField(label="接待人")
    person = serializers.SerializerMethodField(label="来访人")
    matters = serializers.SerializerMethodField(label="事项")

    @extend_schema_field(NodeRefSerializer)
    def get_node(self, visit: Visit) -> dict[str, Any] | None:
        return node_ref(visit.node)

    @extend_schema_field(OpenApiTypes.STR)
    def get_received_by(self, visit: Visit) -> str | None:
        return _name(visit.received_by)

    @extend_schema_field(PersonSerializer)
    def get_person(self, visit: Visit) -> dict[str, Any]:
        person = visit.person_as_told
        return person_data(
            person, _disclosed(self.context, visit, visit.node, person), by_reference=visit.by_reference
        )

    @extend_schema_field(VisitMatterSerializer(many=True))
    def get_matters(self, visit: Visit) -> list[dict[str, Any]]:
        return [
            {"id": m.pk, "kind": m.kind, "state": m.state, "summary": m.summary}
            for m in sorted(visit.matters.all(), key=lambda m: m.pk)
        ]


class PersonInputSerializer(Serializer):
    name = serializers.CharField(label="姓名", max_length=50)
    phone = serializers.CharField(
        label="联系电话", max_length=30, required=False, allow_blank=True, default=""
    )
    id_number = serializers.CharField(
        label="身份证号", max_length=18, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(
        label="住址或单位", max_length=200, required=False, allow_blank=True, default=""
    )
    gender = serializers.ChoiceField(
        label="性别", choices=Gender.choices, required=False, allow_blank=True, default=""
    )
    groups = serializers.ListField(
        child=serializers.ChoiceField(choices=VulnerableGroup.choices),
        label="特殊群体",
        required=False,
        default=list,
        max_length=len(VulnerableGroup.choices),
    )
    client_kind = serializers.ChoiceField(
        label="来访对象", choices=ClientKind.choices, required=False, default=ClientKind.PERSON,
        help_text="企业、事业单位、社会组织来访时 name 填单位名称，不填身份证号和特殊群体。",
    )  # fmt: skip
    credit_code = serializers.CharField(
        label="统一社会信用代码", max_length=18, required=False, allow_blank=True, default=""
    )
    contact_name = serializers.CharField(
        label="联系人", max_length=50, required=False, allow_blank=True, default=""
    )


class MatterInputSerializer(Serializer):
    kind = serializers.ChoiceField(label="事项类别", choices=MatterKind.choices)
    summary = serializers.CharField(label="事项摘要", max_length=2000)
    legal_field = serializers.ChoiceField(
        label="咨询领域", choices=LegalField.choices, required=False, allow_blank=True, default=""
    )
    service_type = serializers.ChoiceField(
        label="业务类别", choices=ServiceType.choices, required=False, allow_blank=True, default=""
    )
    answer = serializers.CharField(
        label="当场解答", max_length=5000, required=False, allow_blank=True, default="",
        help_text="填写即当场解答办结。",
    )  # fmt: skip
    one_trip_mode = serializers.ChoiceField(
        label="最多跑一次", choices=OneTripMode.choices, required=False, allow_blank=True, default=""
    )


class VisitCreateSerializer(Serializer):
    node = serializers.IntegerField(label="接待平台", min_value=1, help_text="登记来访的平台（节点编号）。")
    channel = serializers.ChoiceField(label="来访方式", choices=Channel.choices, default=Channel.PHONE)
    summary = serializers.CharField(
        label="来访事由", max_length=2000, required=False, allow_blank=True, default=""
    )
    client_token = serializers.UUIDField(
        label="请求编号",
        required=False,
        allow_null=True,
        default=None,
        help_text="调用方生成的UUID：同一编号重复提交时返回已登记的来访，不会重复登记。",
    )
    person_id = serializers.IntegerField(
        label="来访人编号",
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="选用已登记的来访人（须在查看范围内，或所填完整手机号、身份证号与其一致）。",
    )
    person = PersonInputSerializer(label="来访人")
    matters = MatterInputSerializer(many=True, label="事项", min_length=1, max_length=10)  # type: ignore[call-arg]


# --- matters ----------------------------------------------------------------------------------------------


class MatterListSerializer(Serializer):
    id = serializers.IntegerField()
    visit = serializers.IntegerField(source="visit_id", label="来访编号")
    node = serializers.SerializerMethodField(label="受理平台")
    kind = serializers.ChoiceField(choices=MatterKind.choices, label="事项类别")
    state = serializers.ChoiceField(choices=MatterState.choices, label="状态")
    summary = serializers.CharField(label="事项摘要")
    institution = serializers.SerializerMethodField(label="承接机构")
    owner = serializers.SerializerMethodField(label="首问负责人")
    current_due = serializers.SerializerMethodField(label="当前期限")
    is_overdue = serializers.SerializerMethodField(label="已超期")
    created_at = serializers.DateTimeField(label="受理时间")
    updated_at = serializers.DateTimeField(label="更新时间")

    @extend_schema_field(NodeRefSerializer)
    def get_node(self, matter: Matter) -> dict[str, Any] | None:
        return node_ref(matter.node)

    @extend_schema_field(InstitutionRefSerializer(allow_null=True))
    def get_institution(self, matter: Matter) -> dict[str, Any] | None:
        return institution_ref(matter.institution)

    @extend_schema_field(OpenApiTypes.STR)
    def get_owner(self, matter: Matter) -> str | None:
        return _name(matter.owner)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_current_due(self, matter: Matter) -> Any:
        return matter_selectors.current_due(matter)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, matter: Matter) -> bool:
        return matter_selectors.is_overdue(matter)


class MatterSerializer(MatterListSerializer):
    legal_field = serializers.CharField(label="咨询领域", allow_blank=True)
    service_type = serializers.CharField(label="业务类别", allow_blank=True)
    person = serializers.SerializerMethodField(label="来访人")
    handler = serializers.SerializerMethodField(label="承办人")
    answer = serializers.CharField(label="答复意见", allow_blank=True)
    redirect_reason = serializers.CharField(label="指引原因", allow_blank=True)
    redirect_to = serializers.CharField(label="指引去向", allow_blank=True)
    redirect_address = serializers.CharField(label="去向地址", allow_blank=True)
    redirect_phone = serializers.CharField(label="去向电话", allow_blank=True)
    outcome = serializers.CharField(label="办理结果", allow_blank=True)
    outcome_by_proxy = serializers.BooleanField(label="由司法所代为登记结果")
    told_via = serializers.CharField(label="反馈方式", allow_blank=True)
    rating = serializers.IntegerField(label="满意度评分", allow_null=True)
    rating_comment = serializers.CharField(label="群众意见", allow_blank=True)
    one_trip_mode = serializers.CharField(label="最多跑一次", allow_blank=True)
    one_trip_due = serializers.DateField(label="代办/上门期限", allow_null=True)
    accept_due = serializers.DateField(label="承接期限", allow_null=True)
    outcome_due = serializers.DateField(label="办结期限", allow_null=True)
    feedback_due = serializers.DateField(label="反馈期限", allow_null=True)
    transferred_at = serializers.DateTimeField(label="移交时间", allow_null=True)
    accepted_at = serializers.DateTimeField(label="承接时间", allow_null=True)
    outcome_at = serializers.DateTimeField(label="办结时间", allow_null=True)
    told_at = serializers.DateTimeField(label="反馈时间", allow_null=True)
    closed_at = serializers.DateTimeField(label="归档时间", allow_null=True)

    @extend_schema_field(PersonSerializer)
    def get_person(self, matter: Matter) -> dict[str, Any]:
        person = matter.visit.person_as_told
        shown = _disclosed(self.context, matter, matter.node, person)
        return person_data(person, shown, by_reference=matter.visit.by_reference)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_handler(self, matter: Matter) -> str | None:
        return _name(matter.handler)


class MatterEventSerializer(Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(label="事件")
    label = serializers.SerializerMethodField(label="事件名称")  # type: ignore[assignment]
    actor = serializers.SerializerMethodField(label="操作人")
    node = serializers.SerializerMethodField(label="操作节点")
    institution = serializers.SerializerMethodField(label="操作机构")
    from_state = serializers.CharField(label="原状态", allow_blank=True)
    to_state = serializers.CharField(label="新状态", allow_blank=True)
    note = serializers.CharField(label="说明", allow_blank=True)
    created_at = serializers.DateTimeField(label="时间")

    @extend_schema_field(OpenApiTypes.STR)
    def get_label(self, event: MatterEvent) -> str:
        spec = EVENTS.get(event.code)
        return spec.label if spec else event.code

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: MatterEvent) -> str | None:
        return _name(event.actor)

    @extend_schema_field(NodeRefSerializer(allow_null=True))
    def get_node(self, event: MatterEvent) -> dict[str, Any] | None:
        return node_ref(event.node)

    @extend_schema_field(InstitutionRefSerializer(allow_null=True))
    def get_institution(self, event: MatterEvent) -> dict[str, Any] | None:
        return institution_ref(event.institution)


class NoteSerializer(Serializer):
    note = serializers.CharField(label="说明", max_length=2000, required=False, allow_blank=True, default="")


class TransferSerializer(NoteSerializer):
    institution = serializers.IntegerField(label="承接机构", min_value=1, help_text="机构编号。")


class TransferTargetsQuerySerializer(Serializer):
    kind = serializers.ChoiceField(
        label="机构类型",
        choices=matter_selectors.TRANSFER_KINDS,
        required=False,
        help_text="只列这一类机构；不填则列出全部。",
    )


class DeclineSerializer(Serializer):
    reason = serializers.CharField(label="退回原因", max_length=2000)


class AnswerSerializer(Serializer):
    answer = serializers.CharField(label="答复意见", max_length=5000)


class RedirectSerializer(Serializer):
    reason = serializers.CharField(label="指引原因", max_length=200)
    redirect_to = serializers.CharField(label="指引去向", max_length=100)
    address = serializers.CharField(
        label="去向地址", max_length=200, required=False, allow_blank=True, default=""
    )
    phone = serializers.CharField(
        label="去向电话", max_length=30, required=False, allow_blank=True, default=""
    )


class OutcomeSerializer(Serializer):
    outcome = serializers.CharField(label="办理结果", max_length=5000)


class TellCitizenSerializer(NoteSerializer):
    told_via = serializers.ChoiceField(label="反馈方式", choices=ToldVia.choices)
    adoption = serializers.ChoiceField(
        label="意见采纳", choices=Adoption.choices, required=False, allow_blank=True, default="",
        help_text="群众是否采纳意见（七(七)）：采纳、部分采纳、未采纳；可不填。投诉的答复另填 satisfied（yes/no）。",
    )  # fmt: skip


# The command list's shape, for the schema only (the field names "label", "required" and "fields" are also
# attributes of DRF's own classes, so it is declared inline).
CommandListSerializer = inline_serializer(
    name="Command",
    many=True,
    fields={
        "key": serializers.CharField(help_text="步骤"),
        "label": serializers.CharField(help_text="名称"),
        "rule": serializers.CharField(help_text="规则"),
        "party": serializers.CharField(help_text="可办理的人"),
        "url": serializers.CharField(help_text="办理地址（POST）"),
        "page": serializers.CharField(help_text="页面", allow_blank=True),
        "fields": inline_serializer(
            name="CommandField",
            many=True,
            fields={
                "name": serializers.CharField(help_text="字段名"),
                "label": serializers.CharField(help_text="名称"),
                "required": serializers.BooleanField(help_text="必填"),
                "type": serializers.CharField(help_text="类型"),
                "choices": serializers.ListField(child=serializers.ListField(), help_text="可选值"),
            },
        ),
    },
)


class CommandResultSerializer(Serializer):
    command = serializers.CharField(label="步骤")
    message = serializers.CharField(label="结果")
    matter = serializers.DictField(label="事项")


def command_row(command: Any, form: Any, matter: Any) -> dict[str, Any]:
    """What ``GET /matters/<id>/commands/`` says of one command the actor may issue now."""
    from lawdesk.matters.commands import PARTY_LABELS

    api_names = {form_name: api for api, form_name in command.api_names.items()}
    fields = []
    for name, field in form.fields.items():
        choices = getattr(field, "choices", None)
        widget_choices = getattr(field.widget, "choices", None)
        listed = choices if choices is not None else widget_choices
        fields.append(
            {
                "name": api_names.get(name, name),
                "label": str(field.label or name),
                "required": bool(field.required),
                "type": type(field).__name__.removesuffix("Field").lower() or "char",
                "choices": [[str(k), str(v)] for k, v in list(listed or [])[:200]] if listed else [],
            }
        )
    return {
        "key": command.key,
        "label": command.label,
        "rule": command.rule,
        "party": str(PARTY_LABELS[command.party]),
        "url": f"/api/v1/matters/{matter.pk}/commands/{command.key}/",
        "page": command.page(matter) if command.page else "",
        "fields": fields,
    }


class CloseSerializer(Serializer):
    """Archiving takes no rating: staff (and the systems acting for them) never rate their own work."""


# --- institutions -----------------------------------------------------------------------------------------


class InstitutionSerializer(Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=InstitutionKind.choices, label="类型")
    name = serializers.CharField(label="名称")
    home_node = serializers.SerializerMethodField(label="主管节点")
    mediation_scope = serializers.CharField(label="调解类型", allow_blank=True)
    mediation_trade = serializers.CharField(label="调解行业", allow_blank=True)
    department_kind = serializers.CharField(label="部门类别", allow_blank=True)
    business_scope = serializers.CharField(label="业务范围", allow_blank=True)
    address = serializers.CharField(label="地址", allow_blank=True)
    phone = serializers.CharField(label="联系电话", allow_blank=True)
    hours = serializers.CharField(label="办公时间", allow_blank=True)
    materials = serializers.SerializerMethodField(label="需携带材料")
    is_active = serializers.BooleanField(label="启用")

    @extend_schema_field(NodeRefSerializer)
    def get_home_node(self, institution: Institution) -> dict[str, Any] | None:
        return node_ref(institution.home_node)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_materials(self, institution: Institution) -> list[str]:
        return [line.strip() for line in institution.materials.splitlines() if line.strip()]


# --- appointments -----------------------------------------------------------------------------------------


class SlotSerializer(Serializer):
    id = serializers.IntegerField()
    node = serializers.SerializerMethodField(label="服务平台")
    institution = serializers.SerializerMethodField(label="服务机构")
    kind = serializers.ChoiceField(choices=SlotKind.choices, label="服务方式")
    start = serializers.DateTimeField(label="开始时间")
    end = serializers.DateTimeField(label="结束时间")
    capacity = serializers.IntegerField(label="可预约人数")
    taken = serializers.SerializerMethodField(label="已预约人数")
    note = serializers.CharField(label="说明", allow_blank=True)

    @extend_schema_field(NodeRefSerializer(allow_null=True))
    def get_node(self, slot: Slot) -> dict[str, Any] | None:
        return node_ref(slot.node)

    @extend_schema_field(InstitutionRefSerializer(allow_null=True))
    def get_institution(self, slot: Slot) -> dict[str, Any] | None:
        return institution_ref(slot.institution)

    @extend_schema_field(OpenApiTypes.INT)
    def get_taken(self, slot: Slot) -> int:
        annotated = getattr(slot, "taken", None)
        return int(annotated) if annotated is not None else taken(slot)


class AppointmentSerializer(Serializer):
    id = serializers.IntegerField()
    slot = SlotSerializer(label="预约时段")
    matter = serializers.IntegerField(source="matter_id", label="事项编号")
    status = serializers.ChoiceField(choices=AppointmentStatus.choices, label="履约情况")
    phone = serializers.SerializerMethodField(label="提醒电话")
    person = serializers.SerializerMethodField(label="预约人")
    booked_at = serializers.DateTimeField(label="预约登记时间")
    cancelled_at = serializers.DateTimeField(label="取消时间", allow_null=True)
    cancel_reason = serializers.CharField(label="取消原因", allow_blank=True)
    served_at = serializers.DateTimeField(label="履约时间", allow_null=True)
    result = serializers.CharField(label="服务结果", allow_blank=True)

    def _shown(self, appointment: Appointment) -> Disclosure:
        person = appointment.matter.visit.person
        return _disclosed(self.context, appointment, appointment.matter.node, person)

    @extend_schema_field(
        serializers.CharField(
            help_text="已遮蔽；完整号码用 POST /api/v1/matters/<事项>/reveal/（which=appointment）查看。"
        )
    )
    def get_phone(self, appointment: Appointment) -> str:
        return self._shown(appointment).phone(appointment.phone)

    @extend_schema_field(PersonSerializer)
    def get_person(self, appointment: Appointment) -> dict[str, Any]:
        visit = appointment.matter.visit
        return person_data(visit.person_as_told, self._shown(appointment), by_reference=visit.by_reference)


class BookSerializer(Serializer):
    slot = serializers.IntegerField(label="预约时段", min_value=1)
    matter = serializers.IntegerField(
        label="事项",
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="把已登记的法律咨询直接约到律所时段时填写；否则登记一项新的预约事项。",
    )
    name = serializers.CharField(
        label="预约人姓名", max_length=50, required=False, allow_blank=True, default=""
    )
    phone = serializers.CharField(
        label="联系电话", max_length=30, required=False, allow_blank=True, default=""
    )
    summary = serializers.CharField(
        label="预约事项", max_length=2000, required=False, allow_blank=True, default=""
    )
    channel = serializers.ChoiceField(
        label="预约途径",
        choices=BOOKING_CHANNEL_CHOICES,
        required=False,
        default=Channel.PHONE,
    )


class CancelSerializer(Serializer):
    reason = serializers.CharField(label="取消原因", max_length=200)


# --- ledgers ----------------------------------------------------------------------------------------------


class LedgerSerializer(Serializer):
    code = serializers.IntegerField(label="台帐编号")
    title = serializers.CharField(label="台帐名称")
    headers = serializers.ListField(child=serializers.CharField(), label="栏目")


class LedgerRowSerializer(Serializer):
    number = serializers.CharField(label="编号")
    platform = NodeRefSerializer(label="平台")
    masked = serializers.BooleanField(
        label="已遮蔽", help_text="true：身份证号和电话已遮蔽（接口中总是遮蔽）。"
    )
    cells = serializers.ListField(
        child=serializers.CharField(allow_blank=True), label="各栏内容（与栏目对应）"
    )


class LedgerQuerySerializer(Serializer):
    node = serializers.IntegerField(
        label="节点", min_value=1, required=False, help_text="默认为您任职的节点；其下级平台的记录一并列出。"
    )
    date_from = serializers.DateField(
        label="开始日期", required=False, help_text="默认本月1日。", validators=DATE_VALIDATORS
    )
    date_to = serializers.DateField(
        label="结束日期", required=False, help_text="默认本月最后一天。", validators=DATE_VALIDATORS
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": "结束日期不能早于开始日期。"})
        return attrs


# --- reports ----------------------------------------------------------------------------------------------


class ReportRowSerializer(Serializer):
    code = serializers.CharField(label="指标")
    label = serializers.CharField(label="指标名称")  # type: ignore[assignment]
    unit = serializers.CharField(label="单位")
    value = serializers.FloatField(
        label="数值", allow_null=True, help_text="按报表显示的单位；无法计算时为 null。"
    )
    display = serializers.CharField(label="显示")
    is_part = serializers.BooleanField(label="分项", help_text="true：上一项总数中的“其中”项。")


class ReportGroupSerializer(Serializer):
    name = serializers.CharField(label="栏目")
    rows = ReportRowSerializer(many=True, label="指标")


class ReportChildSerializer(Serializer):
    node = NodeRefSerializer(label="下级节点")
    status = serializers.CharField(label="报送状态")
    status_label = serializers.CharField(label="报送状态名称")
    due_on = serializers.DateField(label="报送期限", allow_null=True)
    overdue = serializers.BooleanField(label="逾期未报")
    figures = serializers.DictField(child=serializers.IntegerField(), label="各指标数值（指标 → 数值）")


@extend_schema_serializer(many=False)  # one report, although served by the viewset's "list"
class MonthlyReportSerializer(Serializer):
    node = NodeRefSerializer(label="节点")
    month = serializers.CharField(label="月份", help_text="年-月，如2026-05。")
    label = serializers.CharField(label="月份名称")  # type: ignore[assignment]
    status = serializers.CharField(label="报送状态")
    status_label = serializers.CharField(label="报送状态名称")
    due_on = serializers.DateField(label="报送期限", allow_null=True)
    filled_at = serializers.DateTimeField(label="统计数据更新时间", allow_null=True)
    changed_since_snapshot = serializers.BooleanField(label="报送后数据有变化")
    groups = ReportGroupSerializer(many=True, label="报表")
    children = ReportChildSerializer(many=True, label="下级节点")


class ReportQuerySerializer(Serializer):
    node = serializers.IntegerField(
        label="节点", min_value=1, required=False, help_text="默认为您任职的节点。"
    )
    month = serializers.RegexField(
        r"^\d{4}-\d{2}$", label="月份", required=False, help_text="年-月，如2026-05；默认上个月。"
    )

    def validate_month(self, value: str) -> str:
        year, month = (int(part) for part in value.split("-"))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise serializers.ValidationError("月份无效（应为2000年至2100年间的年-月，如2026-05）。")
        return value
