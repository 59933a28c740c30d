"""Lists and rankings of a report's classification lines: 哪些项级科目超过2000万元, 商品和服务支出中
金额最大的科目, 公用经费里哪些经济科目超过50万元, 住房公积金、提租补贴、购房补贴中最多的一项.

The lines come from one table of each asked report (the table holding most of the candidate
lines, in the order the question's words prefer: 财政拨款/一般公共预算 tables first when it names
them), so figures of two tables are never mixed. The candidates are the children of a parent line
the question names (by code: 30211 under 302, 2080505 under 20805), the lines of a level it names
(类/款/项, 经济科目), the lines of a column it names (公用经费, 人员经费), or the lines it lists
itself; the condition is the question's comparison, its 为0/有, or its ranking.

A line may also be one side of a share (住房公积金占住房保障支出的比重, 政府性基金预算资金占收入合计的
比重): each side is a line the question names or a report figure, both of the same report.

``LineAnswers`` is mixed into ``search.ask.engine.Asker``; it uses the asker's store, lexicon,
``_reports_of``, ``_printing_reports``, ``_named_line``, ``_line_rows``, ``_best_per_report``,
``_figure_evidence`` and ``_run``.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask import prose
from search.ask import sparql as q
from search.ask.answer import Answer, wan
from search.ask.differences import ASKS_SHARE
from search.ask.parser import Intent
from search.ask.summed_items import SHARED_TABLE
from search.ask.question_metrics import report_metric_of
from search.ask.indicators import pairs
from search.ask.numbers import ADDING
from search.ask.report_rows import department_reports, in_scope
from search.ask.reports import cost_items, line_evidence, table_order

_ASKS_LINES = re.compile(r"(?:哪些|哪个|哪一|哪几|哪项|最大|最多|最高|最少|最低).*?(?:科目|[“\"]?[类款项][”\"]?级|功能(?:分类)?[类款项])|"
                         r"(?:科目|[类款项]级)[^，。？]*?(?:哪些|哪个|哪一|哪几|哪项|最大|最多|最高|最少|最低)|"
                         r"(?:多少|几)个[^，。？?]{0,8}?科目")
_COUNTS_LINES = re.compile(r"(?:多少|几)个[^，。？?]{0,8}?科目")  # 一共列了多少个款级经济科目: the lines counted
# the 机关运行经费 table's own lines (办公费, 工会经费 …), asked item by item
_OPERATING = re.compile(r"机关运行经费(?:中|里|当中)?[，,]?[^，。？?]*?(?:哪几项|哪些项|哪一项|哪项|哪些明细|明细科目|哪些(?:经济)?科目|"
                        r"哪个(?:经济)?科目|最大的一项|最多的一项)|"
                        r"(?:哪几项|哪些项|哪一项)[^，。？?]*?机关运行经费")
_ASKS_ONE = re.compile(r"哪一项|哪项|哪个|哪些|哪几")  # with the lines listed in the question itself
_LISTING = re.compile(r"[\u4e00-\u9fff]{2,}(?:、[\u4e00-\u9fff]{2,})+")
_LISTED = re.compile(r"[、和及与]")
_LEFT_OUT = re.compile(r"^.*(?:除(?:了|去)?[^，,。；]{1,24}?(?:以外|之外|外)[，,]?|(?:除去|扣除|剔除)[^，,。；]{1,24}[，,])")
_SPOKEN_CLASSES = {"社保": "社会保障和就业", "社保就业": "社会保障和就业", "卫健": "卫生健康", "文旅": "文化旅游体育与传媒",
                   "住房": "住房保障"}  # a function class said short
_COUNTED_KINDS = re.compile(r"(?:这|那)?[两二三四五六七八九十几]?(?:类|项|个|笔)(?:[类款项]级)?(?:支出|科目|费用)?$")  # …住房保障这三类
_ASIDE = re.compile(r"[（(〔][^（）()〔〕]*[）)〕]")  # 小学教育和高中教育两项（附小、附中）: a gloss, not a piece
_WHERE_LISTED = re.compile(r"^.*[，,：:；;]|^[^、和及与]*?(?:支出|预算|决算|表)(?:中|里|当中)")  # …支出中，A、B
_EXCEPT = re.compile(r"除(?:了)?[^，。？?]{2,30}?(?:外|以外|之外)")
# a parent line the question ranks the lines under (商品和服务支出里…金额最大的是哪一项)
_UNDER_LINE = re.compile(r"(?:支出|经费|费用)[〕）)]?(?:里|中|下面|下|当中)[，,]?[^，。？?]*?(?:最大|最多|最高|最少|最低|哪一项|哪项|哪些)")
_CHANGED = re.compile(r"增加|减少|增长|下降|增减|变化|多了|少了|多出|少出")
_COUNT_ASKED = re.compile(r"(?:多少|几)(?:个|项|家|人|名|次)")  # 一共列了多少个项目: a count, no sum
_THINGS_COUNTED = re.compile(r"(?:多少|几)(?:辆|台|套|人次|人|名|次|平方米|栋|间|处|所)")
_SUM_WORDS = re.compile(ADDING)
_WITHOUT = re.compile(r"没有(?:安排)?(?:基本支出|项目支出)|(?:基本支出|项目支出)(?:为0|为零)")
_VERSUS = re.compile(r"比(?P<other>[^，。？?]{2,16}?)(?:多|少|高|低)(?:出|了)?(?:多少|几)")
_EARLIER = re.compile(r"上一?年|去年|(?:19|20)\d{2}|年初|预算数|^(?:预算|决算)$")
_ASKS_RATE = re.compile(r"百分之几|百分之多少|百分比|增幅|降幅|增长率|下降率|多少%|几%|幅度")
_ASKS_CHANGE = re.compile(r"(?:比|较|与)(?:上一?年|去年|(?:19|20)\d{2}年)|增长率|增幅|降幅|增速|(?:增长|增加|减少|下降)(?:最|的|了的)")
_LEVEL = {"类": 3, "款": 5, "项": 7}
_LEVEL_WORD = re.compile(r"[“\"（(〔]?([类款项])[”\"）)〕]?级|功能(?:分类)?([类款项])(?:科目)?")  # 项级, （项）级, 功能类科目
# columns a question may name, in the order they are tried (人员经费 before 基本支出: 基本支出的人员经费)
_COLUMNS = [("公用经费", "public_expense"), ("机关运行经费", "public_expense"), ("人员经费", "personnel"),
            ("项目支出", "project"), ("基本支出", "basic")]
_ECONOMIC_COLUMNS = {"public_expense", "personnel"}
_PERSONNEL_CLASSES = ("301", "303")  # 工资福利支出, 对个人和家庭的补助: 人员经费 in the national template


_WHOLE_FIRST = re.compile(r"^(?P<whole>.+?)(?:中|里|当中|之中)[，,]?(?P<part>[^，,]+)$")
_SHARE_WORDS = re.compile(r"(?:多大|多少|的|是)?(?:比例|比重|百分之几|百分之多少|百分比|多少%|份额|几成)|[是为的了？?]")

class LineAnswers:
    """The line-list intent: several lines of one table, filtered or ranked."""

    def _line_list(self, intent: Intent, answer: Answer) -> bool:
        text = normalise(intent.rest or intent.question)
        excepted = _EXCEPT.search(text)  # 除“其他商品和服务支出”外金额最大的: that line is no candidate
        text = text.replace(excepted.group(0), " ") if excepted else text
        listing = bool(_ASKS_ONE.search(text) and _LISTING.search(text))  # 住房公积金、提租补贴、购房补贴中…
        operating = bool(_OPERATING.search(text))
        if "项目" in text.replace("项目支出", "") or not (_ASKS_LINES.search(text) or listing or operating
                                                         or _UNDER_LINE.search(text)):
            return False
        reports = self._reports_of(intent) or self._printing_reports(intent)
        if not reports:
            return False
        rows = self._run(answer, q.classified_lines_query(reports, coded_only=not listing))
        found = []
        changes = _ASKS_CHANGE.search(text)
        for report in reports:
            mine = [r for r in rows if r["report"] == report]
            chosen = (operating and _operating_lines(text, mine)) or \
                _chosen_lines(text, mine, bool(_ASKS_LINES.search(text) or _UNDER_LINE.search(text)))
            if changes:  # 比上年增加的项级科目, 增长率最高的那项: the changes the 支出说明 states line by line
                if not chosen:  # no level asked (哪些支出科目比2022年减少了): the coded lines of any level
                    chosen = list({r["line_name"]: r for r in rows if r["report"] == report and r.get("code")
                                   and r["fund"] == "total" and not r.get("total")}.values())
                stated = prose.stated_line_changes(self._report_passages([report]))
                found.extend((report, r) for r in _by_change(text, chosen, stated))
            else:
                whole = sum((Decimal(str(r["amount"])) for r in chosen), Decimal(0))
                kept = [r for r in chosen if not (excepted and normalise(_bare(r["line_name"])) in excepted.group(0))]
                found.extend((report, dict(r, share=whole)) for r in _filtered(intent, text, kept))
        if not found:
            answer.sparql = ""
            return False
        shares = bool(ASKS_SHARE.search(text)) and not changes  # 最大的科目占公用经费合计的百分比: of the lines' sum
        if shares:  # …占财政拨款支出总额的比例: of the report's figure the question names, where it prints one
            found = self._of_named_whole(intent, text, found)
        answer.intent["type"] = "line_list"
        answer.columns = ["单位", "年度", "报告", "科目", "编码", "金额(万元)", "表"] + (["比上年增减(万元)"] if changes else []) \
            + (["占比(%)"] if shares else [])
        for report, row in found:
            label = self.lexicon.reports[report]
            shown = {"单位": label.unit, "年度": label.year, "报告": label.report_kind,
                     "科目": _bare(row["line_name"]), "编码": row.get("code") or "",
                     "金额(万元)": wan(row["amount"]), "表": row["title"]}
            if changes:
                shown["比上年增减(万元)"] = float(row["change"].amount) if row["change"].amount is not None else None
            if shares and row.get("share"):
                shown["占比(%)"] = float((Decimal(str(row["amount"])) / row["share"] * 100).quantize(Decimal("0.01")))
            answer.add_row(shown, report, line_evidence(label, row))
        answer.answer = "符合条件的科目{}个：{}。".format(len(answer.rows), "、".join(
            f"{r['科目']}（{r['金额(万元)']}万元" + (f"，占{r['占比(%)']}%" if r.get("占比(%)") else "") + "）"
            for r in answer.rows))
        if _COUNTS_LINES.search(text):
            _counted(answer)
        return True

    def _of_named_whole(self, intent: Intent, text: str, found: list) -> list:
        """``found`` (report, line) with each line's ``share`` base the report figure named after 占."""
        at = text.find("占")
        named = report_metric_of(text[at + 1:]) if at >= 0 else None
        if named is None:
            return found
        rows = in_scope(self._run(Answer(intent.question), q.report_metric_query(intent, named[0].key)), intent.report_scope)
        wholes = self._best_per_report(rows)
        return [(report, dict(row, share=Decimal(str(wholes[report]["value"]))))
                if report in wholes and wholes[report].get("value") else (report, row) for report, row in found]

    def _line_share(self, intent: Intent, answer: Answer) -> bool:
        """``X占Y的比重`` where X or Y is a table line: X ÷ Y of each asked report."""
        text = normalise(intent.rest or intent.question)
        asked = ASKS_SHARE.search(text)
        if not asked:
            return False
        part, whole = text[:asked.start()], asked.group(0)[1:]
        inside = _WHOLE_FIRST.match(part)
        if inside and not _SHARE_WORDS.sub("", whole):  # 住房保障支出中，提租补贴占多大比例: the whole named first
            part, whole = inside.group("part"), inside.group("whole")
        elif len(re.split(r"[，,]", part)[-1]) >= 2:  # 财政拨款支出决算中，高等教育占…: the part is the clause before 占
            part = re.split(r"[，,]", part)[-1]
        sides = [s for s in self._two_sides(intent, answer, part, whole) if s[3][0]]
        if not sides:
            return False
        answer.intent["type"] = "line_share"
        answer.columns = ["单位", "年度", "报告", "部分", "部分(万元)", "整体", "整体(万元)", "占比(%)"]
        for report, label, (a, a_name, evidence), (b, b_name, _) in sides:
            share = (Decimal(str(a)) / Decimal(str(b)) * 100).quantize(Decimal("0.01"))
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "部分": a_name,
                            "部分(万元)": wan(a), "整体": b_name, "整体(万元)": wan(b), "占比(%)": float(share)},
                           report, evidence)
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{r['部分']}{r['部分(万元)']}万元，占{r['整体']}"
                                 f"{r['整体(万元)']}万元的{r['占比(%)']}%" for r in answer.rows) + "。"
        return True

    def _line_difference(self, intent: Intent, answer: Answer) -> bool:
        """``X比Y多多少`` where X or Y is a table line (培训费比会议费多多少): X − Y of each asked report."""
        text = normalise(intent.rest or intent.question)
        asked = _VERSUS.search(text)
        sides = asked and not _EARLIER.search(asked.group("other")) and \
            self._two_sides(intent, answer, text[:asked.start()], asked.group("other"))
        if not sides:
            return False
        answer.intent["type"] = "line_difference"
        answer.columns = ["单位", "年度", "报告", "比较", "差额(万元)", "方向"]
        for report, label, (a, a_name, evidence), (b, b_name, _) in sides:
            difference = Decimal(str(a)) - Decimal(str(b))
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind,
                            "比较": f"{a_name}{wan(a)}万元 − {b_name}{wan(b)}万元", "差额(万元)": wan(abs(difference)),
                            "方向": "多" if difference >= 0 else "少"}, report, evidence)
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}：{r['比较']}，{r['方向']}{r['差额(万元)']}万元"
                                 for r in answer.rows) + "。"
        return True

    def _line_sum(self, intent: Intent, answer: Answer) -> bool:
        """``会议费和培训费合计`` where each item is a table line (or a cost the text states): their sum in
        each asked report holding all of them, in the table the question's words prefer."""
        text = normalise(intent.rest or intent.question)
        asked = _SUM_WORDS.search(text)
        if not asked or intent.projects or intent.yoy or _ASKS_CHANGE.search(text) or ASKS_SHARE.search(text) \
                or _COUNT_ASKED.search(text) or _THINGS_COUNTED.search(text):
            return False  # 两种车合计多少辆: things counted, not money
        reports = department_reports(intent, self.lexicon, self._reports_of(intent))  # 无锡教育局: its 部门 report
        pieces = self._listed_lines(intent, reports, text[:asked.start()])
        if len(pieces) < 2 or not reports or len(intent.summed) >= 2 and intent.kind in ("report_lookup", "report_rank") \
                and any(report_metric_of(item) for item in intent.summed):
            return False  # “三公”经费、会议费和培训费: a report figure's sum, which the report lookup adds
        sides = []
        for piece in pieces:  # each item as _item_amounts reads it: a figure, a table line or the text
            items = cost_items(piece)
            found = self._item_amounts(intent, answer, reports, items[-1] if items else piece)
            if not found:
                return False
            sides.append({r: (amount, name, evidence) for r, (amount, name, evidence) in found.items()})
        answer.sparql = ""
        answer.intent["type"] = "line_sum"
        answer.columns = ["单位", "年度", "报告", "科目", "合计(万元)", "明细"]
        for report in reports:
            if not all(report in side for side in sides):
                continue
            parts = [side[report] for side in sides]
            label = self.lexicon.reports[report]
            total = sum((Decimal(str(a)) for a, _, _ in parts), Decimal(0))
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind,
                            "科目": "＋".join(name for _, name, _ in parts), "合计(万元)": wan(total),
                            "明细": "；".join(f"{name}{wan(a)}万元" for a, name, _ in parts)}, report, parts[0][2])
        if not answer.rows:
            return False
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{r['明细']}，合计{r['合计(万元)']}万元"
                                 for r in answer.rows) + "。"
        return True

    def _listed_lines(self, intent: Intent, reports: list[str], listed: str) -> list[str]:
        """The items a sum lists (会议费、培训费; 社会保障和就业、卫生健康、住房保障这三类): split at 、和及与
        except where two pieces joined by 和, 与 or 及 are one line's name (社会保障和就业支出, 灾害防治及应急管理支出)."""
        listed = _LEFT_OUT.sub("", listed)  # 除科学技术支出以外，社保、卫生健康…: not a piece of the sum
        listed = _WHERE_LISTED.sub("", _ASIDE.sub("", listed))
        parts = re.split(r"([、和及与])", _COUNTED_KINDS.sub("", SHARED_TABLE.sub("", _COUNTED_KINDS.sub("", listed))))
        pieces = [re.sub(r"^(?:19|20)\d{2}年度?", "", p.split("的")[-1]) for p in parts[0::2]]
        pieces = [_SPOKEN_CLASSES.get(p, p) for p in pieces]
        joins = parts[1::2]
        merged = [pieces[0]] if pieces else []
        for join, piece in zip(joins, pieces[1:]):
            whole = merged[-1] + join + piece
            line = self._named_line(intent, reports, whole + "支出") if join in "和与及" and merged[-1] and piece else None
            if line and normalise(whole) in line[0]:
                merged[-1] = whole
            else:
                merged.append(piece)
        merged = self._shared_head(intent, reports, merged)
        return [p + "支出" if p and not p.endswith("支出") and not self._named_line(intent, reports, p) and
                self._named_line(intent, reports, p + "支出") else p for p in merged if p]  # 卫生健康: 卫生健康支出

    def _shared_head(self, intent: Intent, reports: list[str], pieces: list[str]) -> list[str]:
        """学前、小学、初中、高中教育: the last piece's head (教育) said once for all of them — each
        earlier piece that names no line of its own, completed by the shortest ending of the last
        piece that makes it one."""
        if len(pieces) < 2:
            return pieces
        last = normalise(pieces[-1])
        heads = [last[-n:] for n in range(2, len(last))]
        completed = []
        for piece in pieces[:-1]:
            found = self._named_line(intent, reports, piece)
            if found is None or normalise(piece) not in found[0]:
                whole = next((piece + head for head in heads if not piece.endswith(head)
                              and (line := self._named_line(intent, reports, piece + head)) is not None
                              and line[0].startswith(normalise(piece + head))), None)
                piece = whole or piece
            completed.append(piece)
        return completed + pieces[-1:]

    def _line_across_years(self, intent: Intent, answer: Answer) -> bool:
        """``津贴补贴预算，2019年比2018年增加了多少``: a line both years' reports of the unit print, the
        later amount less the earlier, each from its own report's table."""
        years = sorted(set(intent.years))
        text = normalise(intent.rest or intent.question)
        reports = self._reports_of(intent) if len(years) == 2 and _CHANGED.search(text) else []
        by_year = {y: [r for r in reports if self.lexicon.reports[r].year == y] for y in years}
        found = self._named_line(intent, reports) if reports and all(by_year.values()) else None
        if found is None:
            return False
        rows = self._line_rows(answer, reports, *found, text)
        earlier, later = (next(((r, rows[r]) for r in by_year[y] if r in rows), None) for y in years)
        if earlier is None or later is None:
            return False
        change = Decimal(str(later[1]["amount"])) - Decimal(str(earlier[1]["amount"]))
        label = self.lexicon.reports[later[0]]
        answer.sparql, answer.intent["type"] = "", "line_across_years"
        answer.columns = ["单位", "科目", f"{years[0]}年(万元)", f"{years[1]}年(万元)", "增减(万元)"]
        answer.add_row({"单位": label.unit, "科目": _bare(later[1]["line_name"]), f"{years[0]}年(万元)": wan(earlier[1]["amount"]),
                        f"{years[1]}年(万元)": wan(later[1]["amount"]), "增减(万元)": wan(change)},
                       later[0], line_evidence(label, later[1]))
        rate = ""
        if _ASKS_RATE.search(normalise(intent.question)) and earlier[1]["amount"]:  # 增长了百分之几
            percent = (change / Decimal(str(earlier[1]["amount"])) * 100).quantize(Decimal("0.01"))
            answer.columns.append("增减(%)")
            answer.rows[-1]["增减(%)"] = float(percent)
            rate = f"，{'增长' if change >= 0 else '下降'}{abs(percent)}%"
        answer.answer = (f"{label.unit}{_bare(later[1]['line_name'])}：{years[0]}年{wan(earlier[1]['amount'])}万元，"
                         f"{years[1]}年{wan(later[1]['amount'])}万元，{'增加' if change >= 0 else '减少'}{wan(abs(change))}万元"
                         f"{rate}（两年报告的表相减）。")
        return True

    def _two_sides(self, intent: Intent, answer: Answer, first_text: str, second_text: str) -> list[tuple]:
        """Per asked report holding both: (report, its label, first side, second side), each side
        (元, name, evidence); none when both sides are report figures (the figure handlers' case)."""
        reports = self._reports_of(intent)
        second = self._side(intent, answer, reports, second_text)
        # 高等教育占财政拨款支出合计: the part read from the table of the whole's money, when the whole says one
        first = self._side(intent, answer, reports, first_text, f"{first_text}{second_text}"
                           if second and second[0] == "metric" else first_text)
        if not first or not second or (first[0] == "metric" and second[0] == "metric"):
            return []
        answer.sparql = ""
        return [(r, self.lexicon.reports[r], first[1][r], second[1][r]) for r in reports
                if r in first[1] and r in second[1]]

    def _side(self, intent: Intent, answer: Answer, reports: list[str], text: str,
              table_words: str | None = None) -> tuple[str, dict] | None:
        """One side of a share: ("line" | "metric", report → (元, name, evidence)), a line first, from
        the table ``table_words`` (default ``text``) prefers."""
        metric = report_metric_of(text)
        found = self._named_line(intent, reports, text)
        if found is not None and (metric is None or len(normalise(metric[1])) <= len(found[0])):
            rows = self._line_rows(answer, reports, *found, table_words or text)
            if rows:
                return "line", {r: (row["amount"], _bare(row["line_name"]), line_evidence(self.lexicon.reports[r], row))
                                for r, row in rows.items()}
        if metric is None:
            items = cost_items(text)
            found = self._item_amounts(intent, answer, reports, items[-1]) if items else {}
            return ("stated", found) if found else None  # 培训费: a cost item a table or the text states
        rows = in_scope(self.store.query(q.report_metric_query(intent, metric[0].key)).rows, intent.report_scope)
        best = self._best_per_report([r for r in rows if r["report"] in reports])
        return "metric", {r: (row["value"], metric[0].label, self._figure_evidence(row)) for r, row in best.items()}


def _counted(answer: Answer) -> None:
    """The listed lines counted, one row per report (its count and the lines' names)."""
    answer.intent["type"] = "line_count"
    answer.counted(["单位", "年度", "报告"], "科目数", "科目", lambda r: r["科目"])
    answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}共{r['科目数']}个科目：{r['科目']}" for r in answer.rows) + "。"


def _bare(name: str) -> str:
    return re.sub(r"^\d{3,7}\s*", "", name.strip())


def _column(text: str) -> str:
    return next((fund for word, fund in _COLUMNS if word in text), "total")


def _chosen_lines(text: str, rows: list[dict], asks_lines: bool) -> list[dict]:
    """The candidate lines of one report, all from the one table that holds most of them."""
    without = _WITHOUT.search(text)
    excluded = _column(without.group(0)) if without else None
    column = _column(text.replace(without.group(0), "") if without else text)
    listed = _listed_lines(text, rows)
    if not listed and not asks_lines:
        return []
    named = None if listed else _parent(text, rows)
    economic = bool(named[1]) if named else ("经济" in text or column in _ECONOMIC_COLUMNS)
    parent = named[0] if named else None
    level = _LEVEL_WORD.search(text)
    want = _LEVEL[level.group(1) or level.group(2)] if level and not economic else None

    def wanted(row: dict) -> bool:
        if listed:
            return normalise(_bare(row["line_name"])) in listed
        code = row.get("code") or ""
        if not code:
            return False
        if parent:
            return code.startswith(parent) and len(code) == (want or len(parent) + 2)
        if want:
            return len(code) == want
        return economic and len(code) == 5

    fund = column if column in _ECONOMIC_COLUMNS or not economic else "total"
    if column in ("project", "basic") and not economic:
        fund = column
    tables: dict[str, list[dict]] = {}
    for row in rows:
        if row["fund"] == fund and not row.get("total") and wanted(row):
            tables.setdefault(row["table"], []).append(row)
    if not tables and fund in _ECONOMIC_COLUMNS:  # 人员经费 | 公用经费 printed side by side, one amount column:
        for row in rows:                          # the part is its classes (人员 301, 303; 公用 the others)
            code = row.get("code") or ""
            if row["fund"] == "total" and not row.get("total") and row["table_kind"] == "basic_by_economic" and \
                    wanted(row) and (code[:3] in _PERSONNEL_CLASSES) == (fund == "personnel"):
                tables.setdefault(row["table"], []).append(row)
    if not tables and fund in ("project", "basic"):  # a table without the column: its total is not the part
        return []
    order = table_order(text)

    def rank(table: str) -> tuple:  # the table the question names (一般公共预算支出表里), then the fullest
        kind = tables[table][0]["table_kind"]
        return (-_calls_table(text, tables[table][0]["title"]), -_names_table(text, tables[table][0]["title"]),
                -len({r["line_name"] for r in tables[table]}),
                order.index(kind) if kind in order else len(order))
    if not tables:
        return []
    best = min(tables, key=rank)
    spent = {r["line_name"] for r in rows if r["table"] == best and r["fund"] == excluded and r["amount"] > 0}
    seen, lines = set(spent), []
    for row in tables[best]:
        if row["line_name"] not in seen:
            seen.add(row["line_name"])
            lines.append(row)
    return lines


def _operating_lines(text: str, rows: list[dict]) -> list[dict]:
    """The economic lines of the report's 机关运行经费 table (under the parent the question names,
    302商品和服务支出下面), once each."""
    own = [r for r in rows if r["table_kind"] == "operating_costs" and len(r.get("code") or "") == 5 and not r.get("total")]
    parent = _parent(text, own + [r for r in rows if r["table_kind"] == "operating_costs" and len(r.get("code") or "") == 3])
    if parent:
        own = [r for r in own if r["code"].startswith(parent[0])]
    return list({r["line_name"]: r for r in own}.values())


def _names_table(text: str, title: str) -> int:
    """How much of this table's title a question that names a table (…表里, …表中) says: the
    character pairs they share (years and table numbers left out); 0 when no table is named."""
    if "表" not in text:
        return 0
    return len(pairs(_TITLE_NOISE.sub("", normalise(title))) & pairs(text))


def _calls_table(text: str, title: str) -> bool:
    """Whether the question calls this table by its name (支出总表里), the title's words in brackets
    left out: 支出总表 is not 财政拨款支出表（功能科目） though both share 支出 and the question's 功能科目."""
    core = _TITLE_NOISE.sub("", normalise(re.sub(r"[（(][^）)]*[）)]", "", title)))
    return len(core) >= 3 and any(called.endswith(core) for called in _CALLED_TABLE.findall(text))


_CALLED_TABLE = re.compile(r"([^\s，,。？?：:]{2,30}?表)(?:里|中|内|上|当中|之中|的|显示|列)")
_TITLE_NOISE = re.compile(r"(?:19|20)\d{2}年度?|^[表附]?[\d一二三四五六七八九十]+[：:、.．]?|公开\d+表[：:]?")


def _listed_lines(text: str, rows: list[dict]) -> set[str]:
    """Two or more line names the question lists itself, joined by 、/和 (住房公积金、提租补贴、购房补贴)."""
    names = {normalise(_bare(r["line_name"])) for r in rows if len(_bare(r["line_name"])) >= 2}
    present = {n for n in names if n in text}
    present = {n for n in present if not any(n != m and n in m for m in present)}
    spans = sorted((text.index(n), n) for n in present)
    best: list[str] = []
    run: list[str] = []
    for i, (start, name) in enumerate(spans):
        if run and not _LISTED.fullmatch(text[spans[i - 1][0] + len(spans[i - 1][1]):start]):
            run = []
        run.append(name)
        if len(run) > len(best):
            best = list(run)
    return set(best) if len(best) >= 2 else set()


def _parent(text: str, rows: list[dict]) -> tuple[str, bool] | None:
    """The code of the longest line name the question prints (商品和服务支出 → 302, 水利 → 21303)
    and whether it is an economic code."""
    best = None
    for row in rows:
        name, code = normalise(_bare(row["line_name"])), row.get("code") or ""
        if len(name) >= 2 and code and len(code) < 7 and name in text:
            if best is None or len(name) > best[0] or (len(name) == best[0] and len(code) < len(best[1])):
                best = (len(name), code, bool(row.get("economic")))
    return (best[1], best[2]) if best else None


def _by_change(text: str, rows: list[dict], stated: dict) -> list[dict]:
    """The lines whose stated change against the year before meets the question: increased or
    decreased, or the largest / smallest change (by rate when the question asks 增长率/增幅)."""
    changed = [{**r, "change": stated[name]} for r in rows if (name := normalise(_bare(r["line_name"]))) in stated]
    by_rate = bool(re.search(r"增长率|增幅|降幅|增速|幅度|百分比", text)) or \
        all(r["change"].amount is None for r in changed)  # a report that states its changes as rates only
    value = (lambda r: r["change"].rate) if by_rate else (lambda r: r["change"].amount)
    changed = [r for r in changed if value(r) is not None]
    if not changed:
        return []
    falling = bool(re.search(r"减少|下降|降低|降幅|压减", text))
    if re.search(r"最(?:大|多|高|快)", text):
        best = min(map(value, changed)) if falling else max(map(value, changed))
        return [r for r in changed if value(r) == best]
    if re.search(r"最(?:小|少|低|慢)", text):
        best = max(map(value, changed)) if falling else min(map(value, changed))
        return [r for r in changed if value(r) == best]
    return sorted((r for r in changed if (value(r) < 0 if falling else value(r) > 0)), key=value, reverse=not falling)


def _filtered(intent: Intent, text: str, rows: list[dict]) -> list[dict]:
    """The lines meeting the question's comparison, 为0/有 or ranking, largest first."""
    rows = sorted(rows, key=lambda r: Decimal(str(r["amount"])), reverse=True)
    c = intent.comparison
    if c is not None and c.value.unit in ("元", None):
        return [r for r in rows if c.admits_yuan(Decimal(str(r["amount"])))]
    if intent.value_filter is not None:
        operator, limit = intent.value_filter
        return [r for r in rows if (Decimal(str(r["amount"])) > limit if operator == ">"
                                    else Decimal(str(r["amount"])) == limit)]
    if re.search(r"最大|最多|最高", text) or intent.order == "desc":
        rows = [r for r in rows if r["amount"] == rows[0]["amount"]] if rows else []
        return rows
    if re.search(r"最少|最低|最小", text) or intent.order == "asc":
        return [r for r in rows if r["amount"] == rows[-1]["amount"]] if rows else []
    if re.search(r"发生了|安排了|有", text):
        return [r for r in rows if Decimal(str(r["amount"])) > 0]
    if _COUNTS_LINES.search(text):  # 一共列了多少个科目: every line printed
        return rows
    return []
