"""Figures a report states only in its text, read out of the sentence that states them.

``福州市民政局计划2026年培训养老护理员不少于多少人次`` or ``西南大学有多少名专任教师`` ask
for a count, a standard (每人每月多少元), an area or a target that no table holds. The
answer is extractive and deterministic: among the passages of the reports (or the projects)
the question names, the sentence that shares most character pairs with the question and
prints a number in the asked measure (人次, 辆, 个, 平方米 …) gives the value; that sentence
is the evidence.
"""
from __future__ import annotations

import re
from decimal import Decimal
from dataclasses import dataclass

from kg.graph.entities import normalise
from search.ask.indicators import pairs
from search.ask.numbers import chinese_to_decimal

# measure words as asked → the words a report prints after the number
MEASURES = {
    "人次": ("人次",), "人": ("人", "名", "人次"), "名": ("名", "人"), "辆": ("辆",), "台套": ("台（套）", "台(套)", "台套", "台", "套"),
    "台": ("台（套）", "台(套)", "台套", "台"), "套": ("套", "台（套）", "台(套)"), "个": ("个",), "项": ("项", "个"),
    "家次": ("家次",), "家": ("家", "个"), "次": ("次", "场", "期"), "场": ("场", "次"), "期": ("期", "次"), "篇": ("篇",),
    "平方米": ("平方米", "㎡", "m2"), "亩": ("亩",), "公里": ("公里", "千米"), "所": ("所",), "户": ("户",), "件": ("件",),
    "天": ("天", "日", "个工作日"), "小时": ("小时",), "分钟": ("分钟",), "元": ("元",), "万元": ("万元",), "%": ("%", "％"),
    "处": ("处",), "座": ("座",), "条": ("条",), "份": ("份",), "本": ("本",), "批": ("批",), "万人": ("万人",),
    "册": ("册",), "万册": ("万册",), "户": ("户",), "万户": ("万户",), "张": ("张",), "吨": ("吨",), "例": ("例",),
    "立方米": ("立方米", "m3", "m³"), "公顷": ("公顷",), "种": ("种",), "部": ("部",), "宗": ("宗",), "学时": ("学时",),
    "课时": ("课时",), "万人次": ("万人次",), "科次": ("科次",), "万科次": ("万科次",), "类": ("类",),
    "口": ("口",), "间": ("间",), "栋": ("栋", "幢"), "幢": ("幢", "栋"), "株": ("株", "棵"), "棵": ("棵", "株"),
    "艘": ("艘",), "架": ("架",), "门": ("门",), "节": ("节",), "块": ("块",), "头": ("头",), "只": ("只",),
    "钱": ("万元", "元"),  # a money standard asked with no unit (工资标准是每人每年多少)
}
_ASKED = re.compile(r"(?:多少|(?<!哪)几)\s*(" + "|".join(sorted((m for m in MEASURES if m != "钱"), key=len, reverse=True)) + r")")
_PERCENT = re.compile(r"百分之几|百分之多少|多少%|比例是多少|比重|占比|率(?:是|为|要|达到)?多少|率的(?:目标|目标值|指标值)(?:是|为)?多少")
_COUNT_NOUNS = {"人数": "人", "人次": "人次", "户数": "户", "次数": "次", "台数": "台", "辆数": "辆", "场次": "场",
               "人口": "人", "编制数": "人"}
_COUNT_ASKED = re.compile(r"(" + "|".join(_COUNT_NOUNS) + r")(?:各|分别)?(?:大约|约|一共|共|总共|预计)?(?:是|为|有)?"
                          r"(?:大约|约)?多少")  # 人数大约是多少: the count asked with its hedge
_AREA_ASKED = re.compile(r"多大(?:的)?[\u4e00-\u9fff]{0,4}面积|面积(?:是|为|有|达到|约)?多[少大]")
_STANDARD_ASKED = re.compile(r"(?:标准|单价)[^，。？?]{0,8}多少钱?[？?]?$")
STANDARD = re.compile(r"标准|每人|每月|每年|每户|每名|单价|成本|补贴|补助标准")
ASKS_AMOUNT = re.compile(r"多少钱|多少万元|金额|预算(?:了|是|为|有)?多少|资金(?:是|为|有)?多少|费(?:用)?(?:是|为|有)?多少|"
                         r"安排了?多少|涉及多少|支出(?:是|为)?多少|总额")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_PERIOD = re.compile(r"[^。！!？?\n]+")
_NUMBER = r"(\d[\d,]*(?:\.\d+)?|[一二两三四五六七八九十百千]{1,6})"


@dataclass
class Stated:
    value: str
    measure: str
    sentence: str
    passage: object  # embed.base.Passage
    score: int


def asked_measure(question: str) -> str | None:
    """The measure a question asks a count or standard in, or None (money totals, names …)."""
    if _PERCENT.search(question):
        return "%"
    if _AREA_ASKED.search(question):  # 计划修缮多大建筑面积: an area, in 平方米 (亩, 公顷 as printed)
        return "平方米"
    match = _ASKED.search(question)
    counted = _COUNT_ASKED.search(question)
    if not match and counted:  # 拟召开的会议人数是多少: the count's noun names its measure
        return _COUNT_NOUNS[counted.group(1)]
    if not match:  # 工资标准是每人每年多少: a money standard with no unit said
        return "钱" if _STANDARD_ASKED.search(question) else None
    measure = match.group(1)
    if measure in ("元", "万元") and not STANDARD.search(question):
        return None  # a money total: the graph's figures answer it
    return measure


def best_statement(question_rest: str, measure: str, passages, names: tuple[str, ...] = ()) -> Stated | None:
    """The clause sharing most character pairs with the question (with its whole sentence: 截至上年底，
    …编制145人；实有人员131人) that prints a number in ``measure`` — not a number inside one of
    ``names`` (警务辅助人员经费（含市府机关大院30名）: the project's name, not a figure of it)."""
    wanted = _counted_pairs(question_rest)
    kinds = counted_kinds(question_rest)  # 编制 asked: a sentence without 编制 is no answer
    qualifiers = [w for w in _QUALIFIERS if w in question_rest]  # 实有人员 asked: not the 编制 before it
    units = sorted(MEASURES.get(measure, (measure,)), key=len, reverse=True)
    scale = "" if measure in _MONEY or measure == "钱" else "(?:万|亿)?"  # 7.5万学时 is a count in 学时 too
    pattern = re.compile(_NUMBER + r"\s*(?:余|多|以上|左右)?\s*(" + scale + "(?:" + "|".join(re.escape(u) for u in units) + r"))")
    best: Stated | None = None
    best_near, best_qualified = 0, False
    for passage in passages:
        prior = ""  # the period before ``whole``: a holding sentence goes on into the next
        for whole in _PERIOD.findall(passage.text):
            before_whole, prior = prior, whole
            if kinds and not all(w in whole for w in kinds):
                continue
            shared = None
            for sentence, match in ((s, m) for s in _SENTENCE.findall(whole) for m in pattern.finditer(s)):
                if any(start <= match.start() < start + len(name) for name in names
                       for start in (m.start() for m in re.finditer(re.escape(name), sentence))) or \
                        sentence[:match.start()].rstrip().endswith("单价"):
                    continue  # a name's number, or the price bound of a class (单价100万元以上设备)
                shared = len(wanted & pairs(whole)) if shared is None else shared
                tail = re.split(r"[、，,；;]", sentence[match.end():match.end() + 12])[0]  # not the next item's words
                window = _ASIDE.sub("", sentence[max(0, match.start() - 40):match.end()] + tail)
                clause = re.split(r"[，,、；;：:]|\d+(?:\.\d+)?\s*[^\d\s，,、；;]{1,3}", sentence[:match.start()])[-1]
                score = 2 * len(wanted & pairs(window)) + shared + \
                    (_stock_or_flow(question_rest, window, sentence, f"{before_whole}。{whole[:whole.find(sentence)]}")
                     if measure not in _MONEY else 0) + \
                    2 * (measure == "平方米" and "面积" in question_rest and "面积" not in window)  # 房屋2,411.16平方米
                near = max(_naming(wanted, clause), _naming(wanted, tail))  # 执法执勤用车84辆 / 106个本科专业
                qualified = not qualifiers or any(w in clause or w in tail for w in qualifiers)
                exact = match.group(2) == measure  # 13人 over 0人次 when 人 is asked: worth a shared pair
                if score >= 4 and (best is None or (qualified, score + near + exact, exact) > (
                        best_qualified, best.score + best_near + (best.measure == measure), best.measure == measure)):
                    best_near, best_qualified = near, qualified
                    best = Stated(_digits(match.group(1)), match.group(2), sentence.strip(), passage, score)
    return best


# （含）, （不含车辆）: an aside inside the words that name a figure, not a break between them
_ASIDE = re.compile(r"[（(〔](?:不?含|包含|不包括)[^（()）〔〕]{0,10}[)）〕]")


def _naming(wanted: set[str], words: str) -> float:
    """How well ``words`` (the clause before a number, or the noun after its measure) name what is
    asked: the asked pairs they hold, less a tenth for each pair of their own (本科专业 names 本科专业
    better than 其中国家级一流本科专业建设点 does)."""
    held = pairs(words)
    return len(wanted & held) - 0.1 * len(held - wanted)


_MONEY = ("万元", "元", "%")
# Words that tell counts of the same people apart within one sentence (编制145人…实有人员131人)
_QUALIFIERS = ("实有", "现有", "在职", "在编", "离退休", "退休")
# What a count of people is of, when the question names it: 编制 (posts) and 离退休 (retirees) are
# not 人 of any kind (移民后期扶持人口450198人 is no 行政编制).
_COUNTED_KINDS = ("编制", "离退休")


def counted_kinds(question: str) -> list[str]:
    """The words naming what a count of people is of (编制, 离退休) that the question says."""
    return [w for w in _COUNTED_KINDS if w in question]
_PURCHASE = re.compile(r"购置|购买|采购|新增|计划|安排")
_HOLDING = re.compile(r"共有|实有|现有|拥有|占有|保有|已有|存量")


_SUMMED = re.compile(r"([^，,。？?；;]+?)(?:一共|合计|加起来|总共|共计|加在一起)")


def stated_sum(question: str, stated: Stated) -> tuple[Decimal, str] | None:
    """``A和B一共有多少辆`` where the sentence that states one of them states each (应急保障用车21辆，
    特种专业技术用车9辆): their sum and how it is made, else None."""
    asked = _SUMMED.search(question)
    if not asked:
        return None
    items = [i for i in re.split(r"和|与|及|、", asked.group(1)) if len(i) >= 2]
    if len(items) < 2:
        return None
    found = []
    for item in items:
        core = re.sub(r"^.*(?:的|里|中)", "", item)
        match = re.search(re.escape(core) + r"[^\d，,；;。]{0,3}?" + _NUMBER + r"\s*" + re.escape(stated.measure),
                          normalise(stated.sentence))
        if match is None:
            return None
        found.append((core, Decimal(_digits(match.group(1)))))
    total = sum((v for _, v in found), Decimal(0))
    return total, "＋".join(f"{name}{value.normalize():f}{stated.measure}" for name, value in found)


def _stock_or_flow(question: str, window: str, sentence: str, before: str = "") -> int:
    """A holding (共有车辆27台) answers 有多少, a purchase (安排购置…0台) answers 购置多少: a
    number of the kind the question does not ask scores 6 less, a sentence of holdings 3 more —
    also a sentence that goes on from one (截至年末共有车辆517辆…。单价100万元以上设备901台)."""
    if asks_purchase(question):
        return 6 * bool(_PURCHASE.search(window))
    previous = re.split(r"[。；;]", before.rstrip("。；; "))[-1] if before else ""
    holding = bool(_HOLDING.search(sentence)) or bool(_HOLDING.search(previous)) and not _PURCHASE.search(sentence)
    return 3 * holding - 6 * bool(_PURCHASE.search(window) or _PURCHASE.search(sentence) and not holding)


def asks_purchase(question: str) -> bool:
    """购置几辆车 / 计划采购多少台: a purchase, not what is held."""
    return bool(_PURCHASE.search(normalise(question)))


# a change against an earlier year or budget as reports print it: 较2025年年初预算减少878.34万元,
# 与2022年度相比，减少23,616.80万元, 比上年预算减少300万元
_CHANGE = re.compile(r"(?:比|较|与|同比)(?P<against>[^。；;]{0,24}?)(?P<verb>增加|减少|下降|增长|压减|上升|降低|缩减|节约|减)了?"
                     r"(?P<amount>\d[\d,]*(?:\.\d+)?)万元")
_RATE_CHANGE = re.compile(r"(?:比|较|与|同比)(?P<against>[^。；;]{0,24}?)(?P<verb>增加|减少|下降|增长|上升|降低)了?"
                          r"(?P<rate>\d+(?:\.\d+)?)\s*[%％]")
# 本年数小于上年预算数40.05万元: a change said as a comparison, the earlier year after the verb
_COMPARED = re.compile(r"(?P<verb>小于|低于|少于|大于|高于|多于)(?P<against>上年[^。；;，,\d]{0,8}?)"
                       r"(?P<amount>\d[\d,]*(?:\.\d+)?)万元")
_EARLIER = re.compile(r"上年|去年|上一年|(?:19|20)\d{2}年|年初预算|预算数")
_SWAPPED = re.compile(r"(收入|支出)预算")
_DOWN = ("减少", "下降", "压减", "降低", "缩减", "节约", "减", "小于", "低于", "少于")


_MEANINGFUL = re.compile(r"[\u4e00-\u9fff]{4}")


def _subject_before(sentences: list[str]) -> str:
    """The item a change sentence opening with 与上年相比 speaks of: the sentences back to the one
    naming an amount (at most two), unless one of them states a change of its own."""
    taken = []
    for sentence in reversed(sentences[-2:]):
        if _CHANGE.search(sentence):
            break
        taken.insert(0, sentence)
        if re.search(r"\d万元", sentence):
            break
    text = "".join(taken)
    head = re.match(r".*?\d[\d,.]*万元", text)  # the item and its amount, not what it is used for
    return (head.group(0) if head else text)[-60:]


@dataclass
class Change:
    amount: str | None  # 万元, signed: a decrease is negative; None when the sentence states only a rate
    sentence: str
    passage: object
    score: int
    rate: str | None = None  # %, signed, when only a rate is stated (比2022年度决算数增长134.61%)


def stated_change(subject: str, passages, rates: bool = False) -> Change | None:
    """The change a report states for ``subject`` (the question without its names): the sentence
    whose words before a 比上年/较2025年…增加/减少 N万元 share most character pairs with what
    the question says changed (the words before its own 比/较/与)."""
    subject = re.split(r"比|较|与|同比", normalise(subject))[0]  # what changed, not the wording of the change
    wanted = _asked_pairs(subject) | _asked_pairs(_SWAPPED.sub(r"预算\1", subject))  # 收入预算 is 预算收入 too
    best: Change | None = None
    for passage in passages:
        sentences = _SENTENCE.findall(normalise(passage.text))
        for i, sentence in enumerate(sentences):
            found = list(_CHANGE.finditer(sentence)) or list(_COMPARED.finditer(sentence))
            if rates and not found:  # a change stated as a rate only, when the question takes one
                found = list(_RATE_CHANGE.finditer(sentence))
            for match in found:
                if not _EARLIER.search(match.group("against")):
                    continue
                before = sentence[max(0, match.start() - 40):match.start()]
                if not _MEANINGFUL.search(before):  # 住房保障支出5686.35万元。主要用于…。与上年相比增加…: the
                    before = _subject_before(sentences[:i]) + before  # item is named sentences earlier
                previous = pairs(sentences[i - 1]) if i else set()  # 机关运行经费预算…。支出决算比上年增加…
                score = 2 * len(wanted & pairs(before)) + len(wanted & (pairs(sentence) | previous))
                score += _names_exactly(before, subject) + _heads_clause(sentence, match.start(), subject)
                if best is None or score > best.score:
                    sign = "-" if match.group("verb") in _DOWN else ""
                    if "amount" in match.re.groupindex:
                        best = Change(sign + match.group("amount").replace(",", ""), sentence.strip(), passage, score)
                    else:
                        best = Change(None, sentence.strip(), passage, score, rate=sign + match.group("rate"))
            if found:  # its parts, in this sentence or the next (…降低5.20%。其中：…其他收入减少…)
                following = sentences[i + 1] if i + 1 < len(sentences) and sentences[i + 1].lstrip().startswith("其中") else ""
                for part in (sentence, following):
                    best = _part_change(part, subject, wanted, passage, best)
    return best if best is not None and best.score >= 4 else None


# 其中：财政拨款收入增加14,458.07万元，…，其他收入减少39,049.48万元 — the parts of a change the
# sentence stated against an earlier year, each named right before its own verb
_PART_CHANGE = re.compile(r"(?:其中[：:]|[，,、；;])\s*(?P<item>[\u4e00-\u9fff]{2,14}?)"
                          r"(?P<verb>增加|减少|下降|增长|上升|降低)了?(?P<amount>\d[\d,]*(?:\.\d+)?)万元")


def _part_change(sentence: str, subject: str, wanted: set, passage, best: Change | None) -> Change | None:
    """The change of one part listed after 其中 when the part is what the question names (其他收入比
    2022年减少了多少): it beats the sentence's change of the whole."""
    at = sentence.find("其中")
    if at < 0:
        return best
    for match in _PART_CHANGE.finditer(sentence, at):
        item = match.group("item")
        if len(item) < 3 or item not in subject:
            continue
        score = 2 * len(wanted & pairs(item)) + len(wanted & pairs(match.group(0)))  # its own clause, not the list
        if best is None or score > best.score:
            sign = "-" if match.group("verb") in _DOWN else ""
            best = Change(sign + match.group("amount").replace(",", ""), sentence.strip(), passage, score)
    return best


# a classification line a sentence names before its amount: 教育支出（类）, 其他教育支出〔项〕, 机构运行〔2050801〕
_CLASSIFIED = re.compile(r"([\u4e00-\u9fff]{2,30}?)[（(〔\[](?:类|款|项|2\d{2}(?:\d{2}){0,2})[)）〕\]]")
_CLASS_NUMBERING = re.compile(r"^(?:\d+[.．、]|[一二三四五六七八九十]+[、.．])")


def _heads_clause(sentence: str, at: int, subject: str) -> int:
    """20 when the clause a change sits in (after the last ；or 其中：) starts by naming what the
    question says changed, by a tail of it of four characters or more (…其中：基本支出33325.21万元，主要用于…，比2025年
    增加2943.64万元 for 一般公共预算基本支出, not the sentence's first change of the whole)."""
    core = re.sub(r"(?:19|20)\d{2}年度?|[的了]|预算|决算|部门|单位", "", subject)
    if len(core) < 4:
        return 0
    found = ((sentence.rfind(mark, 0, at), mark) for mark in ("；", ";", "其中：", "其中:", "其中,", "其中，"))
    start = max((where + len(mark) for where, mark in found if where >= 0), default=0)
    head = _CLASS_NUMBERING.sub("", sentence[start:].lstrip())
    return 20 if any(head.startswith(core[-size:]) for size in range(4, len(core) + 1)) else 0  # 科学技术支出比上年…


def _names_exactly(before: str, subject: str) -> int:
    """Weight of a change sentence whose last classification line named before the change is the
    subject itself (教育支出（类）for 教育支出, not 其他教育支出〔项〕 which merely contains it): 3, and
    30 when the question marks the line as one too (高等教育（项）财政拨款支出是多少)."""
    named = _CLASSIFIED.findall(before)
    if not named:
        return 0
    name = _CLASS_NUMBERING.sub("", named[-1])
    core = re.sub(r"(?:19|20)\d{2}年度?|[的了]|预算|决算", "", subject)
    if len(name) < 2:
        return 0
    if any(a.endswith(name) and not a[:-len(name)].endswith("其他") for a in _CLASSIFIED.findall(core)):
        return 30
    return 3 if core.endswith(name) and not core[:-len(name)].endswith("其他") else 0


@dataclass
class LineChange:
    name: str  # the classification line as the sentence names it (购房补贴 of 住房改革支出〔款〕购房补贴〔项〕)
    amount: Decimal | None  # 万元, signed
    rate: Decimal | None  # %, signed
    sentence: str
    passage: object


_RATE_AFTER = re.compile(r"^[^。；;]{0,12}?(?P<verb>增加|减少|下降|增长|上升|降低)了?(?P<rate>\d+(?:\.\d+)?)\s*[%％]")
_AGAINST_LAST_YEAR = re.compile(r"^(?:与|比|较|同比)(?:上年|去年|上一年)")


def stated_line_changes(passages) -> dict[str, LineChange]:
    """Each classification line's change against the year before, as the 支出预算说明 states it line
    by line (高等教育（项）支出10,000万元，与上年相比增加9,000万元，增长900% — the change may open
    the next sentence), by the line's name; the first statement of a name is kept."""
    found: dict[str, LineChange] = {}
    for passage in passages:
        sentences = _SENTENCE.findall(normalise(passage.text))
        for i, sentence in enumerate(sentences):
            named = list(_CLASSIFIED.finditer(sentence))
            if not named:
                continue
            name = _CLASS_NUMBERING.sub("", named[-1].group(1))
            text = sentence[named[-1].end():]
            if not _CHANGE.search(text) and not _RATE_CHANGE.search(text) and i + 1 < len(sentences) and \
                    _AGAINST_LAST_YEAR.match(sentences[i + 1]) and not _CLASSIFIED.search(sentences[i + 1]):
                text += "，" + sentences[i + 1]
            change = _last_year_change(text)
            if change is not None and name not in found:
                found[name] = LineChange(name, *change, sentence=text, passage=passage)
    return found


def _last_year_change(text: str) -> tuple[Decimal | None, Decimal | None] | None:
    """(signed amount, signed rate) of the first change against the year before in ``text``."""
    for pattern in (_CHANGE, _RATE_CHANGE):
        match = next((m for m in pattern.finditer(text) if _EARLIER.search(m.group("against"))
                      and "年初" not in m.group("against")), None)
        if match is None:
            continue
        sign = -1 if match.group("verb") in _DOWN else 1
        if "amount" not in match.re.groupindex:
            return None, sign * Decimal(match.group("rate"))
        rate = _RATE_AFTER.match(text[match.end():])
        return (sign * Decimal(match.group("amount").replace(",", "")),
                (-1 if rate.group("verb") in _DOWN else 1) * Decimal(rate.group("rate")) if rate else None)
    return None


@dataclass
class Previous:
    value: Decimal  # 万元: the earlier year's figure, the current one less the stated change
    current: Decimal
    change: Decimal  # signed
    sentence: str
    passage: object


def stated_previous(subject: str, passages) -> Previous | None:
    """The earlier year's figure a report lets one work out for ``subject``: the sentence that states
    its change (``stated_change``) and, before the change, the current amount (收入128148.56万元，
    比2025年增加10300.15万元 → 117848.41)."""
    change = stated_change(subject, passages)
    if change is None:
        return None
    match = next((m for pattern in (_CHANGE, _COMPARED) for m in pattern.finditer(change.sentence)
                  if _EARLIER.search(m.group("against"))), None)
    if match is None:
        return None
    amounts = _AMOUNT.findall(change.sentence[:match.start()])
    if not amounts:  # …气象服务（项）1,980.00万元，主要用于…。比上年执行数增加127.16万元: the sentence before
        text = normalise(change.passage.text)
        at = text.find(change.sentence)
        before = text[max(0, at - 120):at] if at > 0 else ""
        last = re.split(r"[。；;]", before.rstrip("。；; "))[-1]
        # 收入预算68632.12万元，其中，…上年结转0.00万元。收入较去年减少…: the total, not its last part
        amounts = _AMOUNT.findall(last.split("其中")[0]) if "其中" in last else []
        amounts = amounts or _AMOUNT.findall(before)
    if not amounts:
        return None
    current, delta = Decimal(amounts[-1].replace(",", "")), Decimal(change.amount)
    return Previous(current - delta, current, delta, change.sentence, change.passage)


_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)万元")


# a document a sentence cites: 《title》 with its number in brackets, or a number alone
_CITED = re.compile(r"《(?P<title>[^》]{2,80})》(?:[〔(（]?(?P<number>[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\d+号)[〕)）]?)?|"
                    r"(?P<alone>[\u4e00-\u9fff]{1,10}[〔\[［]\d{4}[〕\]］]\d+号)")
_CITES = re.compile(r"根据|依据|按照|参照|遵照|依照|规定|要求")
ASKS_DOCUMENT = re.compile(r"(?:依据|根据|按照|依照)(?:的是)?(?:哪个|哪些|哪份|哪几个|什么)(?:文件|规定|办法|政策|通知|制度)|"
                           r"(?:哪个|哪些|什么)(?:文件|规定|办法)(?:为依据|作为依据)")


@dataclass
class Cited:
    documents: list[tuple[str, str]]  # (title, number), either may be ""
    sentence: str
    passage: object
    score: int


def cited_documents(subject: str, passages) -> Cited | None:
    """The documents cited by the sentence that shares most character pairs with ``subject`` among
    those that cite one (根据《…》（京财金融〔2021〕850号）)."""
    wanted = _asked_pairs(ASKS_DOCUMENT.sub(" ", normalise(subject)))
    best: Cited | None = None
    for passage in passages:
        for sentence in _SENTENCE.findall(re.sub(r"\s+", "", passage.text)):  # 《》 and 〔〕 as printed
            found = [(m.group("title") or "", _document_number(m.group("number") or m.group("alone") or ""))
                     for m in _CITED.finditer(sentence)]
            if not found or not _CITES.search(sentence):
                continue
            score = len(wanted & pairs(sentence))
            if best is None or score > best.score:
                best = Cited(found, sentence.strip(), passage, score)
    return best if best is not None and best.score >= 2 else None


def _document_number(number: str) -> str:
    """京财金融[2021]850号 → 京财金融〔2021〕850号, the form documents are numbered in."""
    return re.sub(r"[\[［(（](\d{4})[\]］)）]", r"〔\1〕", number)


def _asked_pairs(text: str) -> set[str]:
    """The question's character pairs without its years: every sentence of a year's report has them."""
    return pairs(re.sub(r"(?:19|20)\d{2}年度?", " ", normalise(text)))


def _counted_pairs(text: str) -> set[str]:
    """A count question's pairs without the name of the report it asks (（2026年部门预算）: every
    sentence of that report belongs to it — its 部门 would favour 本部门人员编制145人 over the
    实有人员131人 asked); 多少人 asks a 人数 too (人数约800人). A change's sentence may name its
    report's figure (部门预算收入…较上年减少), so only counts leave the report's name out."""
    text = _REPORT_NAMED.sub(" ", normalise(text))
    return _asked_pairs(text) | {_COUNTED[m] for m in _COUNTED if m in text}


_REPORT_NAMED = re.compile(r"(?:部门|单位)(?:预算|决算)(?:报告|公开|说明)?")
_COUNTED = {"多少人": "人数", "多少次": "次数", "多少户": "户数", "几次": "次数"}


def _digits(number: str) -> str:
    """'1,234' → '1234'; '一' → '1' (至少开展一次)."""
    if re.match(r"\d", number):
        return number.replace(",", "")
    value = chinese_to_decimal(number)
    return str(value) if value is not None else number


ASKS_TARGET = re.compile(r"达到多少|多少以上|多少以内|以上[？?]?$|上限|下限|不低于多少|不少于多少|不超过多少|"
                         r"目标值?(?:是|为|要求)?多少|要求(?:是|为)?多少|(?:要|需)?达到?几")
_AFTER = re.compile(r"^[^\d。；;，,]{0,8}?" + r"(\d[\d,]*(?:\.\d+)?)\s*(%|％|[^\d\s，,。；;、）)（(]{1,4})")
_CUT = re.compile(r"[，,。；;、：:？?！!“”\"（）()\s]")


def stated_target(question_rest: str, passages, measure: str | None = None, money: bool = False,
                  shortest: int = 6, preferred=None) -> Stated | None:
    """``自动气象站网资料接收及时率达到多少以上``: the longest run of the question's own words
    (at least six characters) that a passage prints, and the number printed right after it
    (``…资料接收及时率达到98％以上``). Targets written into a 绩效目标 paragraph rather than an
    indicator row are read this way; the passage is the evidence. With ``money`` and no measure
    asked an amount counts too (完成罚没任务150万元); ``shortest`` is the shortest run of words.
    Of runs as long, the number printed nearest its words wins, then a passage ``preferred`` says
    is the subject's own (a named project's)."""
    text = re.sub(r"\s+", "", normalise(question_rest))
    runs = [run for run in _CUT.split(re.sub(r"(?:19|20)\d{2}年度?", "，", text)) if len(run) >= shortest]
    flat = [(p, re.sub(r"\s+", "", normalise(p.text))) for p in passages]
    later_first = shortest < 6  # short runs: the words nearest the asking end (…罚没任务是多少) first
    own = preferred or (lambda passage: False)
    for length in range(max((len(r) for r in runs), default=0), shortest - 1, -1):
        best: tuple[int, Stated] | None = None  # the number printed nearest its words (农村低保9721万元, not
        for run in reversed(runs) if later_first else runs:  # 预算安排城市低保3144万元)
            starts = range(0, len(run) - length + 1)
            for start in reversed(starts) if later_first else starts:
                phrase = run[start:start + length]
                for passage, body in flat:
                    at = body.find(phrase)
                    while at >= 0:
                        match = _AFTER.match(body[at + length:at + length + 24])
                        if match and (_in_measure(match.group(2), measure) or money and measure is None and
                                      match.group(2).startswith(("万元", "元", "亿元"))) and \
                                (best is None or (match.start(1), not own(passage)) < best[0]):
                            sentence = next((s for s in _SENTENCE.findall(body) if phrase in s), phrase)
                            best = (match.start(1), not own(passage)), Stated(_digits(match.group(1)), match.group(2).replace("％", "%"),
                                                          sentence.strip(), passage, length)
                        at = body.find(phrase, at + 1)
        if best is not None:
            return best[1]
    return None


def _in_measure(printed: str, measure: str | None) -> bool:
    """A number printed in the asked measure (any but money when none is asked)."""
    printed = printed.replace("％", "%")
    if measure is None:
        return not printed.startswith(("万元", "元", "亿元"))
    return any(printed.startswith(word) for word in MEASURES.get(measure, (measure,)))
