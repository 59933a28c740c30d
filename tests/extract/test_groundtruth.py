"""Extraction of the five seeds against hand-verified ground truth, field by field."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from kg.extract.evaluate import compare
from tests.conftest import FIXTURES, SEEDS

TRUTH = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / "groundtruth").glob("*.json"))}


@pytest.mark.parametrize("stem", [p.stem for p in SEEDS])
def test_seed_matches_ground_truth(stem, seed_reports):
    result = compare(seed_reports[stem], TRUTH[stem], stem)
    print(f"\n{stem}: facts={len(result.expected)} precision={result.precision:.3f} recall={result.recall:.3f}")
    misses = result.misses()[:15]
    assert result.recall >= 0.98, f"recall {result.recall:.3f}; first misses: {misses}"
    assert result.precision >= 0.98, f"precision {result.precision:.3f}; extras: {result.extras()[:15]}"


def wan(amount) -> Decimal:
    return amount.value / 10000


def test_seed_001_self_evaluations_match_the_report_statement(seed_reports):
    """二级项目绩效自评个数14个，涉及资金147.41万元：12个项目自评等级为“优”，2个项目自评等级为“良”。"""
    report = seed_reports["001_01b4697fa3395aa5"]
    evaluated = [p for p in report.projects if p.self_evaluation is not None]
    assert len(evaluated) == 14
    grades = [p.self_evaluation.grade for p in evaluated]
    assert grades.count("优") == 12 and grades.count("良") == 2
    executed = sum(wan(p.self_evaluation.executed) for p in evaluated)
    assert executed.quantize(Decimal("0.01")) == Decimal("147.41")


def test_seed_003_has_16_current_and_6_carried_over_projects(seed_reports):
    report = seed_reports["003_db945d665acd7731"]
    current = [p for p in report.projects if not p.carryover]
    carried = [p for p in report.projects if p.carryover]
    assert (len(current), len(carried)) == (16, 6)
    assert wan(report.figure("projects.total").amount) == Decimal("1384.20")
    assert all(any(a.source == "performance_table" for a in p.amounts) for p in report.projects)


def test_seed_004_has_six_projects_totalling_437_93(seed_reports):
    report = seed_reports["004_b0facb554ae335f5"]
    assert len(report.projects) == 6
    assert sum(wan(p.annual_total) for p in report.projects) == Decimal("437.93")
    categories = sorted(p.category for p in report.projects)
    assert categories == ["J", "QT", "QT", "XM", "XM", "Z"]


def test_seed_000_has_four_projects_totalling_59_05(seed_reports):
    report = seed_reports["000_f26fb4c08ebca23b"]
    assert len(report.projects) == 4
    assert sum(p.annual_total.value for p in report.projects) == Decimal("590500")
    assert wan(report.figure("projects.total").amount) == Decimal("59.05")


def test_money_is_exact_decimal_in_yuan_with_printed_unit_kept(seed_reports):
    report = seed_reports["001_01b4697fa3395aa5"]
    figure = report.figure("general_budget.expenditure")
    assert figure.amount.value == Decimal("17359200")
    assert (figure.amount.printed, figure.amount.unit) == ("1,735.92", "万元")
    assert figure.page == 9  # the table of contents puts 一般公共预算财政拨款支出决算表 on page 9


def test_report_metadata(seed_reports):
    hubei = seed_reports["002_3b05b2496e039e91"]
    assert hubei.unit == "通城县人力资源和社会保障局" and "通城县人社局" in hubei.unit_aliases
    assert (hubei.year, hubei.kind, hubei.scope) == (2024, "预算", "部门")
    assert (hubei.region.province, hubei.region.city, hubei.region.county) == ("湖北省", "咸宁市", "通城县")
    unit = seed_reports["000_f26fb4c08ebca23b"]
    assert (unit.department, unit.department_code) == ("大同市人力资源和社会保障局", "121")


@pytest.mark.parametrize("stem", [p.stem for p in SEEDS])
def test_document_model_round_trips_through_json(stem, seed_reports):
    from kg.model import Report

    data = seed_reports[stem].to_dict()
    assert Report.from_dict(data).to_dict() == data
