"""The plan's rules for the organisation tree (section 四(一)), in one place.

Each check returns a Chinese message saying which rule is broken, or None. Model validation, forms and the
Excel import all call these, so a rule is written once.
"""

import re
from dataclasses import dataclass

# The node kinds are the shared vocabulary of lawdesk.core.tree; re-exported here beside the naming rules.
from lawdesk.core.tree import BUREAU_KINDS as BUREAU_KINDS
from lawdesk.core.tree import PLATFORM_KINDS as PLATFORM_KINDS
from lawdesk.core.tree import NodeKind as NodeKind
from lawdesk.core.tree import kind_label as kind_label

# Which kinds a node of each kind may hang under. The city bureau is the root.
PARENT_KINDS: dict[str, frozenset[str]] = {
    NodeKind.CITY_BUREAU: frozenset(),
    NodeKind.DISTRICT_BUREAU: frozenset({NodeKind.CITY_BUREAU}),
    NodeKind.SERVICE_CENTRE: frozenset({NodeKind.DISTRICT_BUREAU}),
    NodeKind.JUDICIAL_OFFICE: frozenset({NodeKind.DISTRICT_BUREAU}),
    NodeKind.TOWN_STATION: frozenset({NodeKind.JUDICIAL_OFFICE}),
    NodeKind.VILLAGE_STATION: frozenset({NodeKind.JUDICIAL_OFFICE}),
    NodeKind.SPECIAL_CENTRE: frozenset({NodeKind.CITY_BUREAU, NodeKind.DISTRICT_BUREAU}),
}


@dataclass(frozen=True)
class NameRule:
    pattern: re.Pattern[str]
    template: str  # the form the plan gives, shown to the user


NAME_RULES: dict[str, NameRule] = {
    NodeKind.CITY_BUREAU: NameRule(re.compile(r"^\S+市司法局$"), "××市司法局"),
    NodeKind.DISTRICT_BUREAU: NameRule(re.compile(r"^\S+(区|县)司法局$"), "××区(县)司法局"),
    NodeKind.SERVICE_CENTRE: NameRule(
        re.compile(r"^\S+(区|县)公共法律服务中心$"), "××区(县)公共法律服务中心（方案四(一)1）"
    ),
    NodeKind.JUDICIAL_OFFICE: NameRule(re.compile(r"^\S+(镇|乡|街道)?司法所$"), "××镇(街道)司法所"),
    NodeKind.TOWN_STATION: NameRule(
        re.compile(r"^\S+(镇|乡|街道)公共法律服务站$"), "××镇(街道)公共法律服务站（方案四(一)2）"
    ),
    NodeKind.VILLAGE_STATION: NameRule(
        re.compile(r"^\S+(村|居|社区)公共法律服务站$"), "××村(居、社区)公共法律服务站（方案四(一)2）"
    ),
    NodeKind.SPECIAL_CENTRE: NameRule(
        re.compile(r"^\S{2,}公共法律服务中心$"), "专项领域名称+公共法律服务中心（方案四(一)3）"
    ),
}

# Region codes: GB/T 2260 six digits for the city and districts; the twelve-digit statistical codes
# (统计用区划代码) below county level.
CODE_LENGTH: dict[str, tuple[int, ...]] = {
    NodeKind.CITY_BUREAU: (6,),
    NodeKind.DISTRICT_BUREAU: (6,),
    NodeKind.SERVICE_CENTRE: (6,),
    NodeKind.JUDICIAL_OFFICE: (12,),
    NodeKind.TOWN_STATION: (12,),
    NodeKind.VILLAGE_STATION: (12,),
    NodeKind.SPECIAL_CENTRE: (6, 12),
}


def check_kind(kind: str) -> str | None:
    if kind not in NodeKind.values:
        allowed = "、".join(str(label) for label in NodeKind.labels)
        return f"类型“{kind}”无效，应为以下之一：{allowed}。"
    return None


def check_name(kind: str, name: str) -> str | None:
    name = name.strip()
    if not name:
        return "名称不能为空。"
    if len(name) > 100:
        return "名称过长（最多100个字）。"
    rule = NAME_RULES.get(kind)
    if rule and not rule.pattern.match(name):
        return f"名称“{name}”不符合命名规范：{kind_label(kind)}应命名为“{rule.template}”。"
    return None


def check_region_code(kind: str, code: str, parent_kind: str | None, parent_code: str | None) -> str | None:
    """The code's form for the kind, and that it lies inside the parent's area."""
    if not code:
        if kind == NodeKind.SPECIAL_CENTRE:
            return None
        return f"区划代码不能为空：{kind_label(kind)}须填写区划代码。"
    if not code.isdigit() or not code.isascii():
        return f"区划代码“{code}”只能由数字组成。"
    lengths = CODE_LENGTH.get(kind)
    if lengths is None:  # an unknown kind is reported by check_kind
        return None
    if len(code) not in lengths:
        expected = "或".join(f"{n}位" for n in lengths)
        return f"区划代码“{code}”位数不对：{kind_label(kind)}的区划代码应为{expected}。"
    if kind == NodeKind.CITY_BUREAU and not code.endswith("00"):
        return f"区划代码“{code}”不是地级市代码（应以00结尾，如610100）。"
    if kind in (NodeKind.DISTRICT_BUREAU, NodeKind.SERVICE_CENTRE) and code.endswith("00"):
        return f"区划代码“{code}”不是区(县)代码（区县代码后两位不为00，如610113）。"
    if kind in (NodeKind.JUDICIAL_OFFICE, NodeKind.TOWN_STATION) and not code.endswith("000"):
        return f"区划代码“{code}”不是镇(街道)级代码（镇街12位代码以000结尾，如610113001000）。"
    if kind == NodeKind.VILLAGE_STATION and code.endswith("000"):
        return f"区划代码“{code}”是镇(街道)级代码，村(社区)的代码后三位不为000。"
    if parent_code and parent_kind in _PARENT_PREFIX:
        n = _PARENT_PREFIX[parent_kind]
        if code[:n] != parent_code[:n]:
            return (
                f"区划代码“{code}”不在上级（区划代码{parent_code}）的辖区内：前{n}位应为{parent_code[:n]}。"
            )
    return None


# How many leading digits a child's code shares with its parent's, by the parent's kind.
_PARENT_PREFIX: dict[str, int] = {
    NodeKind.CITY_BUREAU: 4,
    NodeKind.DISTRICT_BUREAU: 6,
    NodeKind.JUDICIAL_OFFICE: 9,
}


def check_parent(kind: str, parent_kind: str | None) -> str | None:
    allowed = PARENT_KINDS.get(kind, frozenset())
    if parent_kind is None:
        if allowed:
            names = "或".join(kind_label(k) for k in sorted(allowed))
            return f"{kind_label(kind)}必须有上级（{names}）。"
        return None
    if not allowed:
        return f"{kind_label(kind)}是最高一级，不能有上级。"
    if parent_kind not in allowed:
        names = "或".join(kind_label(k) for k in sorted(allowed))
        return f"{kind_label(kind)}不能挂在{kind_label(parent_kind)}下，只能挂在{names}下。"
    return None
