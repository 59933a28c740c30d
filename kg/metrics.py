"""The catalogue of headline metrics (report-level figures).

One table feeds extraction (labels to look for in tables and narratives), the graph
(``bkg:metric`` values and their labels) and the question parser (synonyms users type).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # Chinese label used in answers
    english: str
    kind: str = "money"  # money | count | area | percent
    synonyms: tuple[str, ...] = field(default_factory=tuple)  # what users type, longest first matters


METRICS: list[Metric] = [
    Metric("income.total", "收入总计", "total income", synonyms=("收入预算总额", "收入总计", "收入总额", "预算收入总计", "收入预算总计", "收入合计", "收入预算", "预算收入")),
    Metric("income.current_year", "本年收入合计", "income of the year", synonyms=("本年收入合计", "本年收入", "当年收入")),
    Metric("income.carryover", "上年结转", "carry-over from previous years", synonyms=("上年结转", "年初结转和结余", "结转收入", "上年结余结转", "上年结转结余", "上年结转和结余", "上年结余和结转", "年初结转结余", "上年结余")),
    Metric("income.general_budget", "一般公共预算财政拨款收入", "general public budget appropriation income",
           synonyms=("一般公共预算财政拨款收入", "一般公共预算拨款收入", "一般公共预算收入", "一般公共预算拨款",
                     "一般公共预算财政拨款")),
    Metric("income.fund_budget", "政府性基金预算财政拨款收入", "government fund budget income",
           synonyms=("政府性基金预算财政拨款收入", "政府性基金预算拨款收入", "政府性基金收入", "政府性基金预算财政拨款",
                     "政府性基金预算拨款", "政府性基金拨款")),
    Metric("income.other", "其他收入", "other income", synonyms=("其他收入",)),
    Metric("income.business", "事业收入", "service income of public institutions", synonyms=("事业收入",)),
    Metric("income.special_account", "财政专户管理资金收入", "income managed in special fiscal accounts",
           synonyms=("财政专户管理资金收入", "财政专户管理资金", "财政专户拨款收入", "财政专户")),
    Metric("expenditure.total", "支出总计", "total expenditure", synonyms=("支出预算总额", "支出总计", "支出总额", "预算总额", "支出预算", "总预算", "预算总规模", "预算规模", "预算盘子",
                                                                                "收支预算总计", "收支总预算", "收支总计", "预算总计", "全部支出", "总支出")),
    Metric("expenditure.current_year", "本年支出合计", "expenditure of the year", synonyms=("本年支出合计", "本年支出", "当年支出")),
    Metric("expenditure.closing_balance", "年末结转和结余", "closing balance", synonyms=("年末结转和结余", "年终结转", "年末结转")),
    Metric("expenditure.basic", "基本支出", "basic expenditure", synonyms=("基本支出", "基本保障支出")),
    Metric("expenditure.project", "项目支出", "project expenditure", synonyms=("项目支出合计", "项目支出总额", "项目支出")),
    Metric("general_budget.expenditure", "一般公共预算财政拨款支出", "general public budget expenditure",
           synonyms=("一般公共预算财政拨款支出决算", "一般公共预算财政拨款支出", "一般公共预算拨款支出", "一般公共预算支出", "一般公共预算当年支出")),
    Metric("general_budget.basic", "一般公共预算基本支出", "general budget basic expenditure", synonyms=("一般公共预算基本支出", "一般公共预算拨款基本支出",
                                                                                                   "一般公共预算财政拨款基本支出")),
    Metric("general_budget.project", "一般公共预算项目支出", "general budget project expenditure", synonyms=("一般公共预算项目支出", "一般公共预算拨款项目支出",
                                                                                                      "一般公共预算财政拨款项目支出")),
    Metric("fiscal.income_total", "财政拨款收入总计", "fiscal appropriation income", synonyms=("财政拨款收入总计", "财政拨款收入", "财政拨款收支总预算", "财政拨款总额")),
    Metric("fiscal.expenditure_total", "财政拨款支出总计", "fiscal appropriation expenditure", synonyms=("财政拨款支出总计", "财政拨款支出")),
    Metric("basic.personnel", "人员经费", "personnel costs", synonyms=("人员类经费", "人员经费")),
    Metric("basic.public", "公用经费", "public (office) costs", synonyms=("公用类经费", "公用经费")),
    Metric("three_public.total", "“三公”经费", "'three public' expenses", synonyms=("三公经费", "“三公”经费", "三公", "\"三公\"经费",
                                                                                      "三公经费财政拨款支出", "“三公”经费财政拨款支出",
                                                                                      "三公经费财政拨款", "“三公”经费财政拨款")),
    Metric("three_public.overseas", "因公出国（境）费", "overseas travel", synonyms=("因公出国（境）费", "因公出国(境)费", "因公出国费", "出国费", "因公出国")),
    Metric("three_public.reception", "公务接待费", "official reception", synonyms=("公务接待费", "接待费")),
    Metric("three_public.vehicle_total", "公务用车购置及运行费", "official vehicles", synonyms=("公务用车购置及运行维护费", "公务用车购置及运行费", "公务用车购置和运行费", "公车费用", "公务用车")),
    Metric("three_public.vehicle_purchase", "公务用车购置费", "vehicle purchase", synonyms=("公务用车购置费", "公车购置费", "车辆购置费")),
    Metric("three_public.vehicle_operation", "公务用车运行维护费", "vehicle operation", synonyms=("公务用车运行维护费", "公务用车运行费", "公车运行维护费", "公车运维费")),
    Metric("operating_costs", "机关运行经费", "administrative operating costs", synonyms=("机关运行经费", "运行经费")),
    # the 会议费 and 培训费 columns of a “三公”经费、会议费、培训费 table (all the year's money for them, not
    # only the 基本支出 table's line); asked as cost items, so no question words route to them
    Metric("meetings", "会议费", "meeting costs"),
    Metric("training", "培训费", "training costs"),
    Metric("procurement.total", "政府采购", "government procurement", synonyms=("政府采购预算总额", "政府采购支出总额", "政府采购总额", "政府采购预算", "政府采购")),
    Metric("procurement.goods", "政府采购货物", "procurement: goods", synonyms=("政府采购货物", "货物采购", "采购货物")),
    Metric("procurement.works", "政府采购工程", "procurement: works", synonyms=("政府采购工程", "工程采购", "采购工程")),
    Metric("procurement.services", "政府采购服务", "procurement: services", synonyms=("政府采购服务", "服务采购", "采购服务")),
    Metric("projects.total", "项目支出预算合计", "total of listed projects", synonyms=("项目合计", "项目支出预算合计")),
    Metric("performance.project_count", "绩效目标管理项目个数", "projects under performance targets", kind="count",
           synonyms=("绩效目标管理项目个数", "绩效项目个数")),
    Metric("performance.amount", "绩效目标管理项目金额", "amount under performance targets", synonyms=("绩效目标管理金额",)),
    Metric("self_eval.count", "绩效自评项目个数", "self-evaluated projects", kind="count", synonyms=("自评项目个数", "绩效自评个数")),
    Metric("self_eval.amount", "绩效自评涉及资金", "amount self-evaluated", synonyms=("自评涉及资金", "绩效自评资金")),
    Metric("assets.vehicles", "车辆数", "vehicles", kind="count", synonyms=("车辆数", "公务用车数量", "车辆", "公车数量", "几辆车", "多少辆车")),
    Metric("assets.building_area", "办公用房面积", "office floor area", kind="area", synonyms=("办公用房面积", "办公用房建筑总面积", "办公用房", "房屋面积")),
]

BY_KEY = {m.key: m for m in METRICS}
