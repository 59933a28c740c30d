"""Lines of the classification the explaining text takes one by one, filtered by what it states.

The national templates explain the 一般公共预算财政拨款 expenditure 项 by 项 in one sentence
each, and the question asks which lines the sentences single out:

- a budget: ``2.教育管理事务（款）其他教育管理事务支出（项）支出42,655.87万元，与上年相比增加
  22,788.18万元，增长114.7%。主要原因是…`` (also ``比上年执行数减少113.53万元，下降80.2%``);
- a final account: ``31.卫生健康支出（类）公共卫生（款）其他公共卫生支出（项）。年初预算4813.66万元，
  支出决算578.68万元，完成年初预算的12.02%。决算数小于年初预算数的主要原因是：…``.

``哪些项级科目比上年增长超过100%``, ``哪个比上年执行数是减少的``, ``哪些决算数超过了年初预算的
10倍`` are answered from these sentences of the named reports, each row with its page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask.answer import Answer, as_int
from search.ask.parser import Intent
from search.ask.report_rows import department_reports

_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
# one item: [enumerator] [X（类）][Y（款）]Z（项） or Z（its 7-digit code）, then its sentence up to the next item
_ITEM = re.compile(r"(?:^|(?<=[。；;\s]))(?:\d{1,3}\s*[.．、]|[（(]\d{1,3}[)）])?\s*"
                   r"(?:[^（(。；;，,]{1,30}[（(]类[)）])?(?:[^（(。；;，,]{1,30}[（(]款[)）])?"
                   r"(?P<name>[^（(。；;，,]{2,40})[（(](?:项|(?P<code>\d{7}))[)）]")  # 来华留学教育（2050602）: the 项 by its code
_AMOUNT = re.compile(r"^[。：:，,\s]*(?:支出(?:决算)?(?:为|数为)?)?\s*" + _NUMBER + r"\s*万元")
_FINAL = re.compile(r"(?:支出决算|决算)(?:数)?(?:为)?\s*" + _NUMBER + r"\s*万元")
_START = re.compile(r"年初预算(?:数)?(?:为)?\s*" + _NUMBER + r"\s*万元")
_CHANGE = re.compile(r"(增加|减少)\s*" + _NUMBER + r"\s*万元")
_RATE = re.compile(r"(增长|增幅|增加|下降|降幅|减少)\s*" + _NUMBER + r"\s*%")
_DONE = re.compile(r"完成年初预算的\s*" + _NUMBER + r"\s*%")
_FLAT = re.compile(r"与上年(?:相比)?持平|与上年执行数持平|比上年(?:执行数)?持平")


@dataclass
class StatedLine:
    name: str
    amount: Decimal | None
    change: Decimal | None  # signed, 万元
    rate: Decimal | None  # signed, %
    start: Decimal | None  # 年初预算, 万元
    done: Decimal | None  # 完成年初预算的 %
    sentence: str
    passage: object
    code: str | None = None  # the 项's code where the sentence prints it (行政运行（2050101）)


def _signed(word: str) -> int:
    return -1 if word in ("减少", "下降", "降幅") else 1


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def stated_lines(text: str, passage=None) -> list[StatedLine]:
    """Each 项 a paragraph explains, with the figures its sentence states."""
    text = re.sub(r"(?<=\d)\s+(?=[\d%])|(?<=\d)\s+(?=\.)", "", text)  # 81.6 % → 81.6%
    items = list(_ITEM.finditer(text))
    out = []
    for i, item in enumerate(items):
        sentence = text[item.end(): items[i + 1].start() if i + 1 < len(items) else len(text)]
        sentence = re.split(r"主要原因|原因是", sentence)[0]  # the reason's own numbers are not the line's
        amount = _AMOUNT.search(sentence) or _FINAL.search(sentence)
        change = _CHANGE.search(sentence)
        rate = _RATE.search(sentence)
        start, done = _START.search(sentence), _DONE.search(sentence)
        flat = _FLAT.search(sentence)
        if not (change or rate or done or flat):
            continue
        out.append(StatedLine(
            name=item.group("name").strip(),
            amount=_number(amount.group(1)) if amount else None,
            change=_signed(change.group(1)) * _number(change.group(2)) if change else (Decimal(0) if flat else None),
            rate=_signed(rate.group(1)) * _number(rate.group(2)) if rate else (Decimal(0) if flat else None),
            start=_number(start.group(1)) if start else None,
            done=_number(done.group(1)) if done else None,
            sentence=(item.group(0) + sentence).strip(), passage=passage, code=item.group("code")))
    return out


_ASKS_LINES = re.compile(r"哪(?:些|个|几个|几项|一个|一项)(?:项级|款级|类级)?(?:支出)?(?:功能)?(?:分类)?(?:科目|项(?!目))|"
                         r"(?:科目|项级|（项）)[^。？?]{0,30}(?:哪些|哪个|哪几个|哪一)")
_TIMES = re.compile(r"年初预算的\s*(\d+(?:\.\d+)?|[两三四五六七八九十])\s*倍")
_CN = {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EXACT_RATE = re.compile(r"(?:下降|减少|降低|增长|增加|上升)了?\s*(\d+(?:\.\d+)?)\s*[%％](?![^，。？?]{0,3}(?:以上|以下|以内|左右))")
_ZERO = re.compile(r"(?:预算|支出|安排|金额)(?:数)?(?:为|是)(?:0|零)(?![.\d])")
_DOWN = re.compile(r"减少|下降|降低|压减|少于上年|比上年少")
_UP = re.compile(r"增加|增长|上升|多于上年|比上年多")
_OVER_START = re.compile(r"(?:超过|超出|大于|高于)(?:了)?年初预算|完成年初预算|年初预算(?:数)?的\s*\d")  # 不到年初预算的60%: the completion


class LineStatementAnswers:
    """Handler of line questions the explaining sentences answer (needs ``_passages_of`` and
    ``_reports_of`` of the class it is mixed into)."""

    def _stated_lines_of(self, intent: Intent) -> dict[tuple, StatedLine]:
        """The 项 the explaining paragraphs of the asked reports take one by one, (report, name, code)
        → line, the first statement of each."""
        lines: dict[tuple, StatedLine] = {}
        for passage in self._passages_of(intent):
            if getattr(passage, "kind", "paragraph") != "paragraph":
                continue
            for line in stated_lines(passage.text, passage):
                lines.setdefault((passage.report, line.name, line.code), line)  # 行政运行 of 2010501 and of 2050101
        return lines

    def _stated_line_changes(self, intent: Intent, answer: Answer) -> bool:
        question = normalise(intent.question)
        if not intent.units or intent.projects or not _ASKS_LINES.search(question):
            return False
        times = _TIMES.search(question)
        percent = intent.comparison if intent.comparison and intent.comparison.value.unit == "%" else None
        over_start = bool(times or _OVER_START.search(question))
        direction = -1 if _DOWN.search(question) else 1 if _UP.search(question) else 0
        exact = _EXACT_RATE.search(question) if percent is None else None  # 比上年下降了100%: that rate
        money = intent.comparison if intent.comparison and intent.comparison.value.unit != "%" and \
            _CHANGE_BOUND.search(question) else None  # 减少超过1000万元: a bound on the change, not on the amount
        sized = intent.comparison if intent.comparison and intent.comparison.value.unit != "%" and money is None else None
        zero = bool(_ZERO.search(question))  # 今年预算为0: the lines at nothing this year
        if not (times or percent or over_start or direction):
            return False
        lines = self._stated_lines_of(intent)
        if not lines:
            return False
        kept_reports = set(department_reports(intent, self.lexicon, {key[0] for key in lines}))  # 无锡教育局: its 部门 report
        lines = {key: line for key, line in lines.items() if key[0] in kept_reports}
        within = _WITHIN.search(question)  # “检察”款下的项级科目: the lines of that 款
        kept = []
        for line in lines.values():
            if within and not any(re.search(re.escape(within.group(1)[i:]) + r"\W{0,2}款", normalise(line.sentence))
                                  for i in range(len(within.group(1)) - 1)):
                continue  # the words before 款 may carry the question's own (2019年检察款下: 检察)
            if times or over_start:
                if line.done is None:
                    continue
                bound = Decimal(str(_CN.get(times.group(1)) or times.group(1))) * 100 if times else Decimal(100)
                if not (percent.admits(line.done) if percent is not None and not times else line.done > bound):
                    continue  # 完成年初预算超过1000%: the bound asked, else above the budget itself
            elif percent is not None:
                if line.rate is None or not percent.admits(line.rate if direction >= 0 else -line.rate):
                    continue
                if direction and (line.rate > 0) != (direction > 0):
                    continue
            elif exact is not None:
                if line.rate is None or abs(line.rate) != Decimal(exact.group(1)) or (line.rate > 0) != (direction > 0):
                    continue
            elif money is not None and direction:  # 比上年减少超过1000万元: the change's size in 元
                if line.change is None or line.change == 0 or (line.change > 0) != (direction > 0) or \
                        not money.admits_yuan(abs(line.change) * 10000):
                    continue
            elif direction:
                moved = line.change if line.change is not None else line.rate
                if moved is None or moved == 0 or (moved > 0) != (direction > 0):
                    continue
            if zero and (line.amount is None or line.amount != 0):
                continue
            if sized is not None and (line.amount is None or not sized.admits_yuan(line.amount * 10000)):
                continue  # 比上年增加了，且支出超过1亿元: a bound on the line's own amount
            kept.append(line)
        if intent.order and kept:
            kept = _ranked(kept, intent, question, direction, over_start)
        answer.columns = ["单位", "年度", "科目", "金额(万元)", "比上年增减(万元)", "增减率(%)", "年初预算(万元)",
                          "完成年初预算(%)", "页码"]
        for line in kept:
            label = self.lexicon.reports.get(line.passage.report)
            answer.add_row({"单位": label.unit if label else None, "年度": label.year if label else None,
                            "科目": line.name, "金额(万元)": float(line.amount) if line.amount is not None else None,
                            "比上年增减(万元)": float(line.change) if line.change is not None else None,
                            "增减率(%)": float(line.rate) if line.rate is not None else None,
                            "年初预算(万元)": float(line.start) if line.start is not None else None,
                            "完成年初预算(%)": float(line.done) if line.done is not None else None,
                            "页码": line.passage.page, **({"原文科目": f"{line.name}（{line.code}）"} if line.code else {})},
                           line.passage.report, {"report": line.passage.source, "page": line.passage.page,
                                                 "text": line.sentence})
        answer.intent["type"] = "stated_lines"
        answer.answer = (f"报告说明中逐项说明的科目里，符合条件的有{len(kept)}个：" +
                         "、".join(f"{line.name}（{line.sentence[:60]}…）" for line in kept) + "。") if kept else \
            f"报告说明中逐项说明的{len(lines)}个科目里没有符合条件的 (no line the text explains meets the condition)。"
        return True


    def _stated_line_against_start(self, intent: Intent, answer: Answer) -> bool:
        """“突发公共卫生事件应急处理”科目决算数比年初预算多了多少: the named 项's 支出决算 less its 年初预算,
        as the explaining sentence states both."""
        question = normalise(intent.question)
        if not intent.units or intent.projects or not _AGAINST_START.search(question):
            return False
        found = {(report, normalise(name)): line for (report, name, _), line in self._stated_lines_of(intent).items()
                 if len(normalise(name)) >= 3 and normalise(name) in question
                 and line.amount is not None and line.start is not None}
        longest = max((len(name) for _, name in found), default=0)
        chosen = [line for (_, name), line in found.items() if len(name) == longest]
        if len(chosen) != 1:
            return False
        line = chosen[0]
        difference = line.amount - line.start
        answer.mode, answer.sparql = "prose", ""
        answer.intent["type"] = "stated_line_against_start"
        answer.columns = ["单位", "年度", "科目", "决算比年初预算(万元)", "支出决算(万元)", "年初预算(万元)"]
        answer.add_row({"单位": line.passage.facets.get("unit"), "年度": as_int(line.passage.facets.get("year")),
                        "科目": line.name, "决算比年初预算(万元)": float(difference), "支出决算(万元)": float(line.amount),
                        "年初预算(万元)": float(line.start)}, line.passage.id,
                       {"report": line.passage.source, "page": line.passage.page, "text": line.sentence})
        answer.answer = (f"{line.name}：年初预算{line.start}万元，支出决算{line.amount}万元，决算比年初预算"
                         f"{'多' if difference >= 0 else '少'}{abs(difference)}万元（{line.passage.source} "
                         f"第{line.passage.page}页：{line.sentence[:80]}）")
        return True


_CHANGE_BOUND = re.compile(r"(?:增加|减少|增长|下降|降低)了?(?:超过|不少于|不低于|不足|低于|达到|大于|小于|多于|少于|逾)?\s*\d")
_AGAINST_START = re.compile(r"决算(?:数|支出)?(?:比|较|超过|超出|与)(?:了)?年初预算")
_WITHIN = re.compile(r"[“\"']?([\u4e00-\u9fff]{2,16})[”\"']?(?:[（(〔]款[)）〕]|款)(?:下|中|里|之下|当中)")
_BY_RATE = re.compile(r"百分比|幅度|比例|比率|增长率|增速|降幅|增幅|%|率")


def _ranked(lines: list[StatedLine], intent: Intent, question: str, direction: int, over_start: bool) -> list[StatedLine]:
    """The line(s) a superlative picks (下降百分比最大的那个科目): by completion rate, change rate
    or change amount, in the direction asked; ties kept."""
    if over_start:
        value = lambda line: line.done  # noqa: E731
    elif _BY_RATE.search(question):
        value = lambda line: line.rate  # noqa: E731
    else:
        value = lambda line: line.change  # noqa: E731
    measured = [line for line in lines if value(line) is not None]
    if not measured:
        return lines
    sign = -1 if direction < 0 else 1  # 下降最多: the most negative change is the largest fall
    top = sorted(measured, key=lambda line: sign * value(line), reverse=intent.order == "desc")
    limit = intent.limit or 1
    edge = sign * value(top[min(limit, len(top)) - 1])
    return [line for line in top if (sign * value(line) >= edge if intent.order == "desc" else sign * value(line) <= edge)]
