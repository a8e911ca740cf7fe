from django.db import models

from lawdesk.core.validators import validate_phone


class InstitutionKind(models.TextChoices):
    LAW_FIRM = "law_firm", "律师事务所"
    LEGAL_AID_CENTRE = "legal_aid_centre", "法律援助中心"
    NOTARY_OFFICE = "notary_office", "公证处"
    FORENSIC_OFFICE = "forensic_office", "司法鉴定所"
    GRASSROOTS_LEGAL_OFFICE = "grassroots_legal_office", "基层法律服务所"
    MEDIATION_COMMITTEE = "mediation_committee", "人民调解委员会"
    OTHER_DEPARTMENT = "other_department", "其他部门"


class MediationScope(models.TextChoices):
    PLACE = "place", "属地"
    TRADE = "trade", "行业"


class MediationTrade(models.TextChoices):
    MEDICAL = "medical", "医疗纠纷"
    TRAFFIC = "traffic", "道路交通"
    LABOUR = "labour", "劳动争议"
    PROPERTY = "property", "物业纠纷"
    CONSUMER = "consumer", "消费纠纷"
    OTHER = "other", "其他行业"


class DepartmentKind(models.TextChoices):
    """Departments outside the justice system that a clerk redirects people to (五(三)5)."""

    COMPREHENSIVE_GOVERNANCE = "comprehensive_governance", "综治"
    CIVIL_AFFAIRS = "civil_affairs", "民政"
    HUMAN_RESOURCES = "human_resources", "人社"
    PETITIONS = "petitions", "信访"
    POLICE_STATION = "police_station", "公安派出所"
    PEOPLES_TRIBUNAL = "peoples_tribunal", "人民法庭"
    OTHER = "other", "其他"


class Institution(models.Model):
    """A back-office institution, or another department a clerk sends people to."""

    kind = models.CharField("类型", max_length=30, choices=InstitutionKind.choices)
    name = models.CharField("名称", max_length=100, unique=True)
    home_node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="主管节点",
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text="登记或主管该机构的司法行政节点；其管理员可维护该机构信息。",
    )
    served_nodes = models.ManyToManyField(
        "orgs.OrgNode", verbose_name="服务节点", related_name="serving_institutions", blank=True
    )
    mediation_scope = models.CharField("调解类型", max_length=10, choices=MediationScope.choices, blank=True)
    mediation_trade = models.CharField("调解行业", max_length=20, choices=MediationTrade.choices, blank=True)
    department_kind = models.CharField("部门类别", max_length=30, choices=DepartmentKind.choices, blank=True)
    business_scope = models.TextField("业务范围", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True, validators=[validate_phone])
    hours = models.CharField("办公时间", max_length=100, blank=True)
    materials = models.TextField("需携带材料", blank=True, help_text="每行一项。")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "后台机构"
        verbose_name_plural = "后台机构"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        if self.kind == InstitutionKind.MEDIATION_COMMITTEE:
            if not self.mediation_scope:
                errors["mediation_scope"] = "人民调解委员会须注明调解类型（属地或行业）。"
            elif self.mediation_scope == MediationScope.TRADE and not self.mediation_trade:
                errors["mediation_trade"] = "行业性人民调解委员会须注明所属行业。"
            elif self.mediation_scope == MediationScope.PLACE and self.mediation_trade:
                errors["mediation_trade"] = "属地人民调解委员会不填写行业。"
        else:
            if self.mediation_scope or self.mediation_trade:
                errors["mediation_scope"] = "只有人民调解委员会填写调解类型和行业。"
        if self.kind == InstitutionKind.OTHER_DEPARTMENT:
            if not self.department_kind:
                errors["department_kind"] = (
                    "其他部门须注明部门类别（综治、民政、人社、信访、公安派出所、人民法庭等）。"
                )
        elif self.department_kind:
            errors["department_kind"] = "只有“其他部门”填写部门类别。"
        if errors:
            raise ValidationError(errors)

    @property
    def materials_list(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


class Terminal(models.Model):
    """四(四)2: a mediation committee's 12348 terminals (the platforms' and judicial offices' are facilities of
    their node, ``orgs.Facility``), present or not and since (or as of) when."""

    institution = models.ForeignKey(
        Institution, verbose_name="机构", on_delete=models.CASCADE, related_name="terminals"
    )
    item = models.CharField(
        "终端",
        max_length=30,
        choices=[
            ("terminal_12348_web", "12348中国法网终端"),
            ("terminal_12348_hotline", "12348热线服务终端"),
        ],
    )
    present = models.BooleanField("已配备", default=False)
    as_of = models.DateField("日期")

    class Meta:
        verbose_name = "12348终端"
        verbose_name_plural = "12348终端"
        ordering = ["institution", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "item"],
                name="terminal_unique_item",
                violation_error_message="该机构已登记此终端。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution}：{self.get_item_display()}（{'有' if self.present else '无'}）"
