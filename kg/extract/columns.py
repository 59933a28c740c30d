"""Printed column headers → canonical column keys.

A header is the path of header cells above a column (``2024年预算数 / 基本支出``). The
leaf decides the key; the path decides between budget and final columns of 决算
tables (``basis``). Unknown headers keep a key derived from their text so nothing is lost.
"""
from __future__ import annotations

import re

from kg.extract.normalize import squash

# (key, pattern on the squashed leaf header); first match wins, so specific before general
COLUMN_KEYS: list[tuple[str, str]] = [
    ("row_number", r"^(行次|栏次|序号)$"),
    ("unit_code", r"^(单位|部门|预算单位)(编码|代码)$"),
    ("code", r"(科目编码|科目代码|功能分类科目编码|编码|代码)$"),
    ("code_class", r"^类$"),
    ("code_item", r"^款$"),
    ("code_subitem", r"^项$"),
    ("name", r"科目[（(]按[大类款项]+[)）]$"),  # a 收支总表's group of 支出 by class: 部门预算支出经济分类科目（按大类）
    ("economic_department", r"^部门预算支出经济(分类)?科目(名称)?$"),
    ("economic_government", r"^政府预算支出经济(分类)?科目(名称)?$"),
    ("unit_name", r"^(?:(?:单位|部门|预算单位)名称|预算单位)$"),
    ("name", r"(科目名称|项目名称|单位名称|^项目$|^项目\(?按功能分类\)?$|^名称$)"),
    ("opening_balance", r"^年初(财政拨款)?结转和结余$"),
    ("closing_balance", r"^年末(财政拨款)?结转和结余$"),
    ("carryover", r"(上年结转|上年结余|上年财政拨款结转)(安排)?$"),
    ("current_year", r"^(当年预算安排|本年预算|当年拨款|本年收入)$"),
    ("basic", r"^基本支出$"),
    ("project", r"^(项目支出|专项业务经费(支出)?)$"),
    ("personnel", r"^人员(经费|类|支出)(支出)?$"),
    ("public_expense", r"^(日常)?公用(经费|支出|类)(支出)?$"),
    ("general_budget", r"^一般公共预算(财政拨款)?(拨款)?(收入)?$"),
    ("fund_budget", r"^政府性基金(预算)?(财政拨款)?(拨款)?(收入)?$"),
    ("state_capital_budget", r"^国有资本经营(预算)?(财政拨款)?(拨款)?(收入)?$"),
    ("special_account", r"^财政专户管理资金(收入)?$"),
    ("unit_funds", r"^单位资金$"),
    ("fiscal_appropriation", r"^财政拨款(收入)?$"),
    ("superior_subsidy", r"^上级补助(收入)?$"),
    ("business_income", r"^事业收入$"),
    ("operating_income", r"^经营收入$"),
    ("affiliate_income", r"^附属单位上缴收入$"),
    ("other_income", r"^其他收入$"),
    ("payment_to_superior", r"^上缴上级支出$"),
    ("operating_expenditure", r"^经营支出$"),
    ("affiliate_subsidy", r"^对附属单位补助支出$"),
    ("overseas", r"^因公出国[（(]境[)）]费(用)?$"),
    ("reception", r"^公务接待费$"),
    ("vehicle_total", r"^公务用车购置及运行(维护)?费$"),
    ("vehicle_purchase", r"^公务用车购置费$"),
    ("vehicle_operation", r"^公务用车运行(维护)?费$"),
    ("total", r"^小计$"),
    ("total", r"(合计|总计|^金额$|^统计数$|^决算数$|^预算数?$|^\d{4}年$|^\d{4}年预算数?$|年度资金总额|^本年支出$)"),
]
_COMPILED = [(key, re.compile(pattern)) for key, pattern in COLUMN_KEYS]


def column_key(leaf: str) -> str:
    text = re.sub(r"^其中[:：]", "", squash(leaf))
    text = re.sub(r"[\d]+$", "", text) if re.search(r"[\u4e00-\u9fff]\d+$", text) else text
    for key, pattern in _COMPILED:
        if pattern.search(text):
            return key
    return "col:" + text if text else "col:"


def basis_of(path: list[str]) -> str | None:
    """'预算数'/'决算数' when the header path says which side of a 决算 table a column is on."""
    joined = "".join(squash(p) for p in path)
    if "决算" in joined:
        return "决算数"
    if "预算" in joined and "一般公共预算" not in joined and "国有资本经营预算" not in joined \
            and "政府性基金预算" not in joined:
        return "预算数"
    return None
