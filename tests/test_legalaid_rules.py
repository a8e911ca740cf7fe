"""The eligibility rules of the Legal Aid Law, one or more cases per clause (arts. 31, 32, 34, 42; plan 五(四)4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from lawdesk.legalaid import rules


@dataclass
class Std:
    monthly_income_per_head: Decimal
    lowered_for_vulnerable: Decimal


STD = Std(Decimal("1000.00"), Decimal("1500.00"))


def run(**overrides: Any) -> rules.Assessment:
    args: dict[str, Any] = {
        "category": "labour",
        "art32_situation": "",
        "exempt_group": "",
        "household_size": 3,
        "monthly_income": Decimal("2400"),
        "standard": STD,
        "vulnerable_groups": [],
    }
    args.update(overrides)
    return rules.assess(**args)


# Art. 31: every item of the list is in scope and cited by its clause.
ART31_CASES = [
    ("state_compensation", "第三十一条第（一）项"),
    ("social_insurance", "第三十一条第（二）项"),
    ("pension", "第三十一条第（三）项"),
    ("maintenance", "第三十一条第（四）项"),
    ("labour", "第三十一条第（五）项"),
    ("capacity", "第三十一条第（六）项"),
    ("personal_injury", "第三十一条第（七）项"),
    ("environment", "第三十一条第（八）项"),
    ("other", "第三十一条第（九）项"),
]


@pytest.mark.parametrize(("category", "clause"), ART31_CASES)
def test_art31_items_are_in_scope(category: str, clause: str) -> None:
    result = run(category=category)
    assert result.eligible_in_scope
    first = result.reasons[0]
    assert first.article == f"《中华人民共和国法律援助法》{clause}"
    assert first.quote == rules.ART31_ITEMS[category]
    assert rules.ART31_ITEMS[category] in first.text_cn


def test_art31_other_asks_for_the_basis() -> None:
    assert "须注明所依据的法律、法规或规章" in run(category="other").reasons[0].text_cn


def test_outside_art31_and_art32_is_out_of_scope() -> None:
    result = run(category="")
    assert not result.eligible_in_scope
    assert result.eligible is False
    assert result.reasons[0].article == "《中华人民共和国法律援助法》第三十一条"
    assert "不属于第三十一条" in result.reasons[0].text_cn
    assert result.summary == "不符合法律援助条件。"


# Art. 32: no hardship test at all, even with a high income and no standard.
ART32_CASES = [
    ("hero_martyr", "第三十二条第（一）项"),
    ("good_samaritan", "第三十二条第（二）项"),
    ("acquitted_retrial", "第三十二条第（三）项"),
    ("abuse_victim", "第三十二条第（四）项"),
    ("other", "第三十二条第（五）项"),
]


@pytest.mark.parametrize(("situation", "clause"), ART32_CASES)
@pytest.mark.parametrize("category", ["", "maintenance"])
def test_art32_situations_have_no_hardship_test(situation: str, clause: str, category: str) -> None:
    result = run(category=category, art32_situation=situation, monthly_income=Decimal("99999"), standard=None)
    assert result.eligible_in_scope
    assert result.hardship == "exempt_art32"
    assert result.eligible is True
    cited = [r for r in result.reasons if "第三十二条" in r.article]
    assert cited[0].article.endswith(clause)
    assert cited[0].quote == rules.ART32_ITEMS[situation]
    assert "不受经济困难条件的限制" in cited[0].text_cn


def test_art32_wins_over_art42() -> None:
    assert run(art32_situation="abuse_victim", exempt_group="relief_recipient").hardship == "exempt_art32"


# Art. 42: verification of hardship waived for the listed people.
ART42_CASES = [
    ("no_income_group", "第四十二条第（一）项"),
    ("relief_recipient", "第四十二条第（二）项"),
    ("migrant_worker", "第四十二条第（三）项"),
    ("other", "第四十二条第（四）项"),
]


@pytest.mark.parametrize(("group", "clause"), ART42_CASES)
def test_art42_groups_are_exempt_from_verification(group: str, clause: str) -> None:
    result = run(exempt_group=group, monthly_income=None, standard=None)
    assert result.hardship == "exempt_art42"
    assert result.eligible is True
    cited = [r for r in result.reasons if "第四十二条" in r.article]
    assert cited[0].article.endswith(clause)
    assert "免予核查经济困难状况" in cited[0].text_cn


def test_art42_does_not_bring_an_out_of_scope_matter_in() -> None:
    result = run(category="", exempt_group="relief_recipient")
    assert not result.eligible_in_scope
    assert result.eligible is False


# Art. 34: household income per head against the district's standard, at the boundary.
HARDSHIP_CASES = [
    # (monthly income, household size, vulnerable groups, poverty area, lowered?, expected, per head)
    (Decimal("3000.00"), 3, [], "", False, "passed", Decimal("1000.00")),  # exactly at the standard
    (Decimal("3000.03"), 3, [], "", False, "failed", Decimal("1000.01")),  # one cent above per head
    (Decimal("2999.97"), 3, [], "", False, "passed", Decimal("999.99")),
    (Decimal("0"), 1, [], "", False, "passed", Decimal("0.00")),  # no income
    (Decimal("1000.01"), 1, [], "", False, "failed", Decimal("1000.01")),
    # 五(四)4's groups are measured against the lowered (higher) threshold: the poor anywhere …
    (Decimal("4500.00"), 3, ["poor"], "", True, "passed", Decimal("1500.00")),
    (Decimal("4500.03"), 3, ["poor"], "", True, "failed", Decimal("1500.01")),
    # … the left-behind and the disabled only in a poverty area;
    (Decimal("1400.00"), 1, ["left_behind_women"], "东坡村", True, "passed", Decimal("1400.00")),
    (Decimal("1400.00"), 1, ["left_behind_women"], "", False, "failed", Decimal("1400.00")),
    (Decimal("1400.00"), 1, ["disabled"], "东坡村", True, "passed", Decimal("1400.00")),
    (Decimal("1400.00"), 1, ["disabled"], "", False, "failed", Decimal("1400.00")),
    (Decimal("1400.00"), 1, ["left_behind_children", "left_behind_elderly"], "东坡村", True, "passed",
     Decimal("1400.00")),
    # … and no other group, poverty area or not (the plan names none).
    (Decimal("1400.00"), 1, ["elderly"], "东坡村", False, "failed", Decimal("1400.00")),
    (Decimal("1400.00"), 1, ["pregnant", "sick", "migrant_worker", "infirm"], "东坡村", False, "failed",
     Decimal("1400.00")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("income", "size", "groups", "area", "lowered", "expected", "per_head"), HARDSHIP_CASES
)
def test_hardship_test(
    income: Decimal, size: int, groups: list[str], area: str, lowered: bool, expected: str, per_head: Decimal
) -> None:
    result = run(monthly_income=income, household_size=size, vulnerable_groups=groups, poverty_area=area)
    assert result.hardship == expected
    assert result.income_per_head == per_head
    assert result.threshold == (STD.lowered_for_vulnerable if lowered else STD.monthly_income_per_head)
    assert result.eligible is (expected == "passed")
    reason = next(r for r in result.reasons if "第三十四条" in r.article)
    assert f"人均{per_head}元" in reason.text_cn
    assert ("符合经济困难条件" if expected == "passed" else "不符合经济困难条件") in reason.text_cn
    assert ("实施方案五(四)4适用的放宽标准" in reason.text_cn) is lowered
    assert result.fast_track is lowered


def test_the_fast_track_is_for_whom_the_plan_names_and_cites_it() -> None:
    result = run(vulnerable_groups=["left_behind_women"], poverty_area="东坡村")
    assert result.fast_track
    plan = next(r for r in result.reasons if r.article == "实施方案五(四)4")
    assert "留守妇女" in plan.text_cn and "东坡村" in plan.text_cn and "快速办理" in plan.text_cn
    assert "降低法律援助门槛" in plan.quote
    for groups in (["pregnant"], ["migrant_worker"], ["sick"], ["elderly"], ["left_behind_women"], []):
        assert not run(vulnerable_groups=groups).fast_track, groups
    # Fast track does not depend on the hardship path.
    assert run(art32_situation="good_samaritan", vulnerable_groups=["poor"]).fast_track


def test_missing_standard_cannot_decide() -> None:
    result = run(standard=None)
    assert result.hardship == "no_standard"
    assert result.eligible is None
    assert "未设定经济困难标准" in result.summary
    assert result.reasons[-1].article == "《中华人民共和国法律援助法》第三十四条"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"household_size": 0}, "家庭人口数至少为1人"),
        ({"monthly_income": None}, "请填写家庭月收入"),
        ({"monthly_income": Decimal("-1")}, "不能为负数"),
        ({"category": "bogus"}, "事项类别"),
        ({"art32_situation": "bogus"}, "第三十二条情形"),
        ({"exempt_group": "bogus"}, "免予核查人员类别"),
    ],
)
def test_bad_input_is_refused_in_chinese(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run(**overrides)


def test_article_texts_match_the_corpus_shape() -> None:
    assert len(rules.ART31_ITEMS) == 9
    assert len(rules.ART32_ITEMS) == 5
    assert len(rules.ART42_ITEMS) == 4
    assert (
        rules.citation(31, rules.ART31_ITEMS, "labour") == "《中华人民共和国法律援助法》第三十一条第（五）项"
    )
