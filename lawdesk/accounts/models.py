from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from lawdesk.core import clock
from lawdesk.core.tree import BUREAU_KINDS, PLATFORM_KINDS, NodeKind, kind_label
from lawdesk.core.validators import validate_phone


class StaffCategory(models.TextChoices):
    """Who staffs the windows (四(五))."""

    LAWYER = "lawyer", "律师"
    NOTARY = "notary", "公证员"
    FORENSIC_APPRAISER = "forensic_appraiser", "司法鉴定人员"
    GRASSROOTS_LEGAL_WORKER = "grassroots_legal_worker", "基层法律服务工作者"
    VOLUNTEER_NPC_DEPUTY = "volunteer_npc_deputy", "志愿者（人大代表）"
    VOLUNTEER_CPPCC_MEMBER = "volunteer_cppcc_member", "志愿者（政协委员）"
    VOLUNTEER_ACADEMIC = "volunteer_academic", "志愿者（院校师生）"
    VOLUNTEER_RETIRED_OFFICER = "volunteer_retired_officer", "志愿者（退休政法干警）"
    CIVIL_SERVANT = "civil_servant", "司法行政机关在编人员"
    CONTRACTED = "contracted", "政府购买服务人员"


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=30, blank=True, validators=[validate_phone])
    staff_category = models.CharField("人员类别", max_length=30, choices=StaffCategory.choices, blank=True)
    is_demo = models.BooleanField(
        "演示用户", default=False, help_text="演示用户只能在演示模式下登录；生产环境拒绝演示用户。"
    )
    password_changed_at = models.DateTimeField(
        "密码修改时间", default=clock.now, help_text="工作人员的密码每隔一定天数须更换（默认 90 天）。"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        """The name people know the worker by (the 姓名 kept on the account), the username only when unset."""
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = clock.now()


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", "窗口接待人员"
    OFFICE_STAFF = "office_staff", "司法所工作人员"
    DISTRICT_ADMIN = "district_admin", "区(县)司法局管理员"
    CITY_ADMIN = "city_admin", "市局管理员"
    LEADER = "leader", "局领导"
    HANDLER = "handler", "机构承办人"
    AUDITOR = "auditor", "审计人员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    # Community correction and resettlement staff (at the judicial office, or the district bureau's correction
    # section over its offices): the only role that sees those records.
    CORRECTION_OFFICER = "correction_officer", "社区矫正工作人员"
    # A village or community legal adviser (a lawyer or grassroots legal worker), held at the judicial office
    # that guides them; it sees only the adviser's own villages and service log.
    LEGAL_ADVISER = "legal_adviser", "村(社区)法律顾问"


# Separation of duties (三员分立): system, audit and security administration; no account holds two of them.
SEPARATED_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.AUDITOR, Role.SECURITY_ADMIN})


# Where each role may be held. The handler is held at an institution instead of a node.
ROLE_NODE_KINDS: dict[str, frozenset[str]] = {
    Role.WINDOW_CLERK: frozenset(PLATFORM_KINDS),
    Role.OFFICE_STAFF: frozenset({NodeKind.JUDICIAL_OFFICE}),
    Role.DISTRICT_ADMIN: frozenset({NodeKind.DISTRICT_BUREAU}),
    Role.CITY_ADMIN: frozenset({NodeKind.CITY_BUREAU}),
    Role.LEADER: frozenset(BUREAU_KINDS),
    Role.AUDITOR: frozenset(BUREAU_KINDS | {NodeKind.JUDICIAL_OFFICE}),
    Role.SYSTEM_ADMIN: frozenset({NodeKind.CITY_BUREAU}),
    Role.SECURITY_ADMIN: frozenset({NodeKind.CITY_BUREAU}),
    Role.CORRECTION_OFFICER: frozenset({NodeKind.JUDICIAL_OFFICE, NodeKind.DISTRICT_BUREAU}),
    Role.LEGAL_ADVISER: frozenset({NodeKind.JUDICIAL_OFFICE}),
}

# Roles whose grant does not open the node's subtree (its visits, matters, reports): they see only the records
# of their own app (community correction; an adviser's villages and service log).
NARROW_ROLES: frozenset[str] = frozenset({Role.CORRECTION_OFFICER, Role.LEGAL_ADVISER})


class RoleAssignment(models.Model):
    """A role held by a user at a node of the tree (or, for a handler, at an institution)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="所在节点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name="所在机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="handler", institution__isnull=False, node__isnull=True))
                | (~Q(role="handler") & Q(node__isnull=False, institution__isnull=True)),
                name="role_held_at_node_or_institution",
            ),
            models.UniqueConstraint(fields=["user", "role", "node"], name="role_unique_at_node"),
            models.UniqueConstraint(
                fields=["user", "role", "institution"], name="role_unique_at_institution"
            ),
        ]

    def __str__(self) -> str:
        where = self.institution or self.node
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        if self.role == Role.HANDLER:
            if self.institution_id is None:
                raise ValidationError({"institution": "机构承办人须指定所在机构。"})
            if self.node_id is not None:
                raise ValidationError({"node": "机构承办人只关联机构，不关联组织节点。"})
            return
        if self.node_id is None:
            raise ValidationError({"node": f"{self.get_role_display()}须指定所在节点。"})
        if self.institution_id is not None:
            raise ValidationError({"institution": "只有机构承办人关联机构。"})
        allowed = ROLE_NODE_KINDS.get(self.role, frozenset())
        if self.node is not None and self.node.kind not in allowed:
            places = "、".join(kind_label(k) for k in sorted(allowed))
            raise ValidationError(
                {
                    "node": f"{self.get_role_display()}不能设在{self.node.get_kind_display()}，只能设在：{places}。"
                }
            )
        self.validate_separation_of_duties()

    def validate_separation_of_duties(self, pending: list[str] | None = None) -> None:
        """System, audit and security administration are held by different accounts. ``pending`` names
        roles being given to the same user in the same form (the admin's inline rows)."""
        if self.role not in SEPARATED_ROLES or self.user_id is None:
            return
        held = set(
            RoleAssignment.objects.filter(user_id=self.user_id, role__in=SEPARATED_ROLES)
            .exclude(pk=self.pk)
            .values_list("role", flat=True)
        )
        held.update(r for r in (pending or []) if r in SEPARATED_ROLES)
        held.discard(self.role)
        if held:
            others = "、".join(str(Role(r).label) for r in sorted(held))
            raise ValidationError(
                {
                    "role": f"三员分立：该用户已是{others}，不能再担任{self.get_role_display()}"
                    "（系统管理员、审计人员、安全管理员须由不同账号担任）。"
                }
            )


class UserSession(models.Model):
    """A session a user logged in with, so that disabling the account can end all of them at once."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    created_at = models.DateTimeField("登录时间", auto_now_add=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
