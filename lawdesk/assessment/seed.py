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
