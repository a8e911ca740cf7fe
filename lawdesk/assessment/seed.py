"""The default star-rating standard, drafted from the plan (四(一)–(五), 七 and the operation figures).

Weights are points out of 100; a group weighs the sum of its items. Used by the data migration and by tests
(a flushed test database loses migrated rows)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

DEFAULT_NAME = "公共法律服务平台星级评定标准"

# (code, group name, [(code, item name, weight, method, metric, target, guidance)])
DEFAULT_TREE: list[tuple[str, str, list[tuple[str, str, int, str, str, int | None, str]]]] = [
    ("A", "名称与场所（四(一)(二)）", [
        ("A1", "名称规范、地址电话及办公时间公开", 8, "auto", "name_place", None,
         "按平台登记信息自动核对：名称符合方案格式，地址、场所、办公时间、办公/预约/监督电话齐全。"),
        ("A2", "场所功能分区（接待区、等候区、调解室）", 7, "manual", "", None,
         "现场查看：设在便民服务中心或政务大厅，接待、等候、调解等功能区齐全、整洁。"),
    ]),
    ("B", "标识（四(三)）", [
        ("B1", "标识灯箱A、B面及窗口背景标识", 6, "auto", "signage", None, "按平台设施登记自动核对三项标识是否具备。"),
        ("B2", "标识悬挂规范、信息准确", 4, "manual", "", None, "现场查看标识位置醒目、内容与登记一致、无破损。"),
    ]),
    ("C", "设备与系统（四(四)）", [
        ("C1", "办公设备、12348终端、微信群", 10, "auto", "equipment", None,
         "按平台设施登记自动核对电脑、电话、复印机、打印机、高拍仪、资料柜、宣传资料柜、触摸查询一体机、12348终端、微信群。"),
        ("C2", "设备运行与系统使用", 5, "manual", "", None, "现场检查设备能正常使用，工作人员会用系统登记。"),
    ]),
    ("D", "人员与值班（四(五)）", [
        ("D1", "值班时段覆盖", 10, "auto", "duty_coverage", None, "考核期内工作日办公时间每个时段均有人值班。"),
        ("D2", "定人定岗定责", 5, "auto", "staffing", None, "考核期内有值班安排，且值班人员不少于2人。"),
    ]),
    ("E", "台帐与制度（七）", [
        ("E1", "台帐记录完整", 8, "auto", "ledger_completeness", None, "考核期内登记事项的台帐编号、摘要、答复、反馈等要素齐全。"),
        ("E2", "按期办理", 6, "auto", "timeliness", None, "截止日前到期的承接、办结、反馈期限均按期完成。"),
        ("E3", "制度上墙与执行", 6, "manual", "", None, "现场查看首问负责、限时办结、一次性告知等制度上墙并执行。"),
    ]),
    ("F", "运行成效", [
        ("F1", "群众满意率", 6, "auto", "satisfaction", None, "考核期内评价为4分、5分的事项占比。"),
        ("F2", "每千人服务量", 6, "auto", "services_per_thousand", 2,
         "考核期内受理事项数 ÷ 服务人口 × 1000，达到目标值得满分；服务人口由区(县)司法局登记。"),
        ("F3", "局长驻窗口达标", 4, "auto", "leader_window", None, "所在区(县)考核期内每周局长驻窗口不少于2小时。"),
        ("F4", "贫困村法律服务覆盖", 4, "auto", "poverty_area", None, "平台服务的贫困村考核期内均有专项法律服务；无贫困村的不扣分。"),
    ]),
    ("G", "服务规范（现场检查）", [
        ("G1", "着装、礼仪与服务态度", 5, "manual", "", None, "现场观察接待过程，着装整洁、用语文明、一次性告知。"),
    ]),
]  # fmt: skip
# Star bands: the lowest band is the pass mark (及格线). A platform scoring under it gets no star at all (the
# plan, 八(四), rates platforms that meet the standard; one under the pass mark is not rated, it is rectified).
PASS_MARK = 60
DEFAULT_BANDS = [(95, 5), (90, 4), (80, 3), (70, 2), (PASS_MARK, 1)]
# The bands of version 1 before the pass mark (0 → 1 star): replaced by migration 0003 where still in use.
OLD_DEFAULT_BANDS = [(90, 5), (80, 4), (70, 3), (60, 2), (0, 1)]


def create_default_standard(standard_model: Any, indicator_model: Any, band_model: Any) -> Any:
    """Create the default standard (active, version 1) unless a standard of that name exists."""
    existing = standard_model.objects.filter(name=DEFAULT_NAME).order_by("-version").first()
    if existing is not None:
        return existing
    standard = standard_model.objects.create(
        name=DEFAULT_NAME, version=1, status="active", note="依据《实施方案》四、七、八起草的默认标准"
    )
    position = 0
    for group_code, group_name, items in DEFAULT_TREE:
        position += 1
        group = indicator_model.objects.create(
            standard=standard, code=group_code, name=group_name, position=position,
            weight=Decimal(sum(i[2] for i in items)),
        )  # fmt: skip
        for code, name, weight, method, metric, target, guidance in items:
            position += 1
            indicator_model.objects.create(
                standard=standard, parent=group, code=code, name=name, weight=Decimal(weight), method=method,
                metric=metric, target=Decimal(target) if target is not None else None, guidance=guidance,
                position=position,
            )  # fmt: skip
    for minimum, stars in DEFAULT_BANDS:
        band_model.objects.create(standard=standard, min_score=Decimal(minimum), stars=stars)
    return standard


def ensure_default_standard() -> Any:
    from lawdesk.assessment.models import Indicator, Standard, StarBand

    return create_default_standard(Standard, Indicator, StarBand)


# --- standards of judicial offices and districts, and the reward/penalty standards ---------------------------------

OFFICE_NAME = "司法所公共法律服务考核标准"
DISTRICT_NAME = "区(县)公共法律服务年度责任考核标准"

OFFICE_TREE: list[tuple[str, str, list[tuple[str, str, int, str, str, int | None, str]]]] = [
    ("A", "统计报送（七(八)）", [
        ("A1", "月报按期报送", 20, "auto", "report_on_time", None, "考核期内到期的月报均于每月25日前报送区(县)司法局。"),
    ]),
    ("B", "投诉处理（七(一)6）", [
        ("B1", "投诉按期办理", 20, "auto", "complaint_handling", None, "辖区考核期内受理的投诉在期限内承接、办结、反馈。"),
    ]),
    ("C", "所辖平台运行（五(三)1）", [
        ("C1", "所辖平台考核平均分", 30, "auto", "platform_average", None, "考核期内最近一次已发布的平台考核中所辖平台的平均得分。"),
        ("C2", "整改按期完成", 10, "auto", "rectification_on_time", None, "所辖平台考核期内到期的整改任务按期验收。"),
    ]),
    ("D", "组织领导（五(三)1）", [
        ("D1", "对服务站的组织领导和日常运行管理", 20, "manual", "", None, "区(县)司法局检查：对所辖服务站的组织、指导和日常管理。"),
    ]),
]  # fmt: skip

DISTRICT_TREE: list[tuple[str, str, list[tuple[str, str, int, str, str, int | None, str]]]] = [
    ("A", "建设与运行管理（五(二)1）", [
        ("A1", "中心(站)建设方案制定落实、运行管理、工作协调、业务指导", 15, "manual", "", None, "市局检查建设方案及落实、运行管理情况。"),
    ]),
    ("B", "服务人员（五(二)2）", [
        ("B1", "服务人员遴选、配备、培训、教育及管理", 10, "manual", "", None, "市局检查人员配备与培训记录。"),
    ]),
    ("C", "统筹协调（五(二)3）", [
        ("C1", "律师、法律援助、公证、司法鉴定等力量对接与监督", 10, "manual", "", None, "市局检查工作对接关系和监督指导情况。"),
    ]),
    ("D", "督导考核（五(二)4、七(九)）", [
        ("D1", "每季组织一次平台考核", 10, "auto", "district_rounds", None, "考核期内每个完整季度均发布了区(县)组织的平台考核。"),
    ]),
    ("E", "统计报送（七(八)）", [
        ("E1", "月报按期报送", 15, "auto", "report_on_time", None, "考核期内到期的月报均于每月29日前报送市局基层处。"),
    ]),
    ("F", "投诉处理（七(一)6）", [
        ("F1", "投诉按期办理", 10, "auto", "complaint_handling", None, "辖区考核期内受理的投诉在期限内承接、办结、反馈。"),
    ]),
    ("G", "平台运行成效（八(四)）", [
        ("G1", "辖区平台考核平均分", 20, "auto", "platform_average", None, "考核期内最近一次已发布的平台考核中辖区平台的平均得分。"),
    ]),
    ("H", "局长驻窗口（七(三)）", [
        ("H1", "局长驻窗口达标", 10, "auto", "leader_window", None, "考核期内每周局长驻窗口不少于1人次、每次不少于2小时。"),
    ]),
]  # fmt: skip

# (name, unit kind, measure, grade, min_total, max_total, points, wording) — 七(九) leaves the figures to the city;
# these defaults follow 九(三): commend the excellent, criticise and urge rectification of those that fail.
DEFAULT_RULES: list[tuple[str, str, str, str, int | None, int | None, int, str]] = [
    ("年度责任考核优秀通报表扬", "district", "commend", "excellent", None, None, 2,
     "公共法律服务工作得力、进展较快、效果明显，年度责任考核等次为优秀，予以通报表扬，推广其经验做法，作为评先创优的重要依据。"),
    ("年度责任考核不合格通报批评", "district", "criticise", "fail", None, None, -2,
     "公共法律服务工作敷衍塞责、行动迟缓、工作不力，年度责任考核等次为不合格，予以通报批评，督促限期整改。"),
    ("司法所考核优秀通报表扬", "office", "commend", "excellent", None, None, 0,
     "公共法律服务工作成效明显，考核等次为优秀，予以通报表扬。"),
    ("司法所考核不合格通报批评", "office", "criticise", "fail", None, None, 0,
     "公共法律服务工作不力，考核等次为不合格，予以通报批评，督促限期整改。"),
    ("平台考核低于及格线通报批评", "platform", "criticise", "", None, PASS_MARK, 0,
     "公共法律服务平台考核得分低于及格线，未评星级，予以通报批评，督促限期整改。"),
]  # fmt: skip


def create_unit_standard(
    standard_model: Any, indicator_model: Any, name: str, unit_kind: str, tree: list[Any], note: str
) -> Any:
    existing = standard_model.objects.filter(name=name).order_by("-version").first()
    if existing is not None:
        return existing
    standard = standard_model.objects.create(
        name=name, version=1, status="active", unit_kind=unit_kind, note=note
    )
    position = 0
    for group_code, group_name, items in tree:
        position += 1
        group = indicator_model.objects.create(
            standard=standard, code=group_code, name=group_name, position=position,
            weight=Decimal(sum(i[2] for i in items)),
        )  # fmt: skip
        for code, item_name, weight, method, metric, target, guidance in items:
            position += 1
            indicator_model.objects.create(
                standard=standard, parent=group, code=code, name=item_name, weight=Decimal(weight),
                method=method, metric=metric, target=Decimal(target) if target is not None else None,
                guidance=guidance, position=position,
            )  # fmt: skip
    return standard


def create_unit_standards(standard_model: Any, indicator_model: Any, rule_model: Any) -> tuple[Any, Any]:
    office = create_unit_standard(standard_model, indicator_model, OFFICE_NAME, "office", OFFICE_TREE,
                                  "依据《实施方案》五(二)4、五(三)、七起草：区(县)司法局对司法所的考核评定")  # fmt: skip
    district = create_unit_standard(standard_model, indicator_model, DISTRICT_NAME, "district", DISTRICT_TREE,
                                    "依据《实施方案》五(二)、七(九)起草：市局对区(县)的年度责任考核")  # fmt: skip
    if not rule_model.objects.exists():
        for name, unit_kind, measure, grade, low, high, points, wording in DEFAULT_RULES:
            rule_model.objects.create(
                name=name, unit_kind=unit_kind, measure=measure, grade=grade,
                min_total=Decimal(low) if low is not None else None,
                max_total=Decimal(high) if high is not None else None, points=Decimal(points), wording=wording,
            )  # fmt: skip
    return office, district


def ensure_unit_standards() -> tuple[Any, Any]:
    from lawdesk.assessment.models import Indicator, RewardRule, Standard

    return create_unit_standards(Standard, Indicator, RewardRule)
