"""Recall of ``budgetkg check`` measured by mutation testing, independent of the detectors.

    python bench/check_mutations.py [--corpus DIR] [--seeds DIR] [--limit-reports N]
                                    [--seed 0] [--per-class 3] [--failures N]

Errors of known classes are planted into real reports at the text/layout level (a copy of
the ``RawDocument`` the reader returns), each mutant is parsed with ``build_report`` and
checked with ``run_checks``. The operators know nothing of how the rules work.

A mutant is *detected at place* when it has an error or warning finding that the unmutated
report does not have (compared as a (rule, message) multiset) and that finding points at the
mutation: one of its sides is on a mutated page (or line, where the page is unknown), or its
message or a side's text contains the mutated token. *Detected anywhere* only asks for a new
error or warning finding. A mutant on which parsing or checking raises is a crash.

Not planted, because no reading of the report itself could tell (each operator says why where
it skips): a change of nothing turned (减少0万元); a change stated by its size alone, with no
rate, whose size and implied previous figure are printed nowhere else; an amount printed once in
the whole report, alone in its sentence; a year in the reason for a change or opening a
project's or fund's name; a 绩效目标表's target values and a phone number in a table.
"""
from __future__ import annotations

import argparse
import copy
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import summary  # noqa: E402
from bench.mutation_scope import (_AMOUNT, _DIRECTION_BEFORE, _FIGURE_AFTER, _PERCENT,  # noqa: E402
                                  own_year_of_something_else,
                                  printed_values, single_sourced, stated_once_alone)
from kg.check import run_checks  # noqa: E402
from kg.extract import read  # noqa: E402
from kg.extract.layout import RawDocument, Table, TextLine, is_sentence_row  # noqa: E402
from kg.extract.report import build_report  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "reports"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
FLAGGING = ("error", "warning")


@dataclass(frozen=True)
class Edit:
    block: int
    text: str
    row: int | None = None
    col: int | None = None


@dataclass(frozen=True)
class Mutation:
    kind: str
    edits: tuple[Edit, ...]
    pages: tuple[int | None, ...]
    lines: tuple[int | None, ...]
    original: str
    mutated: str
    token: str


def apply(doc: RawDocument, mutation: Mutation) -> RawDocument:
    """A deep copy of ``doc`` with the mutation's edits written in."""
    mutant = copy.deepcopy(doc)
    for edit in mutation.edits:
        block = mutant.blocks[edit.block]
        if isinstance(block, Table):
            block.rows[edit.row][edit.col] = edit.text
        else:
            block.text = edit.text
    return mutant


# -- where text is -----------------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")
_PROSE_MARK = re.compile(r"[。，；：、]")
_DOT_LEADER = re.compile(r"(?:\.{3,}|…{2,}|·{3,})")
_NUMBER_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE = re.compile(r"^(?:0\d|[235]\d{2}(?:\d{2}){0,2})$")
_ORDINAL = re.compile(r"[行栏]\s*次|序\s*号")
_TOTAL = re.compile(r"合\s*计|总\s*计")
_SUBTOTAL = re.compile(r"合\s*计|总\s*计|小\s*计|累\s*计")
# Columns of a 绩效目标表 that hold a target, not money (年度指标值 ≥ 4, 计量单位), and a phone
# number beside 联系电话: no figure of the report restates them, so a change there is not a table
# slip any reading could find; they are not planted.
_NOT_AMOUNT_HEADER = re.compile(r"^(?:年度)?(?:指标值|目标值|绩效指标值|计量单位|度量单位|指标方向性?|评\s*分\s*标\s*准|联系电话)$")
_PHONE = re.compile(r"电话")


def text_lines(doc: RawDocument) -> Iterator[tuple[int, TextLine]]:
    for index, block in enumerate(doc.blocks):
        if isinstance(block, TextLine):
            yield index, block


def is_prose(text: str) -> bool:
    return bool(_PROSE_MARK.search(text) and _CJK.search(text) and not _DOT_LEADER.search(text))


def is_title(line: TextLine) -> bool:
    text = line.text.strip()
    if _DOT_LEADER.search(text):
        return False
    return line.heading is not None or (len(text) <= 40 and not re.search(r"[。，；]", text))


def prose_lines(doc: RawDocument) -> Iterator[tuple[int, TextLine]]:
    return ((i, line) for i, line in text_lines(doc) if is_prose(line.text))


@dataclass
class TableRow:
    block: int
    row: int
    cells: list[str]
    page: int | None
    line: int | None
    label: str = ""
    amounts: list[int] = field(default_factory=list)  # column indexes of the amount cells after the label


def table_rows(doc: RawDocument) -> Iterator[TableRow]:
    """Rows read as label then amounts: a name (after any code cells) followed by numbers, not
    counting columns headed 行次/栏次/序号 nor a row of column numbers."""
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, Table) or (len(block.rows) == 1 and is_sentence_row(block.rows[0])):
            continue
        ordinal = {c for cells in block.rows[:8] for c, cell in enumerate(cells)
                   if _ORDINAL.fullmatch(cell.strip()) or _NOT_AMOUNT_HEADER.search(re.sub(r"\s+", "", cell))}
        for r, cells in enumerate(block.rows):
            first = next((c for c, cell in enumerate(cells) if _CJK.search(cell)), None)
            if first is None or _ORDINAL.fullmatch(cells[first].strip()):
                continue
            amounts = [c for c in range(first + 1, len(cells)) if c not in ordinal and is_amount(cells, c)
                       and not _PHONE.search(cells[c - 1])]
            if not amounts:
                continue
            page = block.row_pages[r] if r < len(block.row_pages) else None
            line = block.row_lines[r] if r < len(block.row_lines) else None
            yield TableRow(index, r, cells, page, line, re.sub(r"\s+", "", cells[first]), amounts)


def is_amount(cells: list[str], col: int) -> bool:
    """A number that is not a classification code (01, 201, 20101, 30199, 50501 followed by
    its name)."""
    cell = cells[col].strip()
    if not _NUMBER_CELL.match(cell):
        return False
    following = cells[col + 1] if col + 1 < len(cells) else ""
    return not (_CODE.match(cell) and _CJK.search(following))


def label_cells(row: TableRow) -> list[str]:
    return [cell for cell in row.cells if len(cell.strip()) <= 15]


def is_total_row(row: TableRow) -> bool:
    return any(_TOTAL.search(cell) for cell in label_cells(row))


def is_part_row(row: TableRow) -> bool:
    return not any(_SUBTOTAL.search(cell) for cell in label_cells(row))


def nonzero(number: str) -> bool:
    return any(ch in "123456789" for ch in number)


# -- how a figure is changed -------------------------------------------------------------

def perturb_number(number: str, rng: random.Random) -> str:
    """A clearly different figure in the same format: one of the two leading significant
    digits moved by at least 2, or a digit inserted after the first one (about ten times larger)."""
    sign = "-" if number.startswith("-") else ""
    body = number.lstrip("-")
    grouped = "," in body
    whole, dot, fraction = body.replace(",", "").partition(".")
    if rng.random() < 0.3:
        whole = str(rng.randint(1, 9)) if whole.strip("0") == "" else whole[0] + str(rng.randint(0, 9)) + whole[1:]
    else:
        digits = list(whole + fraction)
        significant = [i for i, ch in enumerate(digits) if ch != "0"]
        start = significant[0] if significant else 0
        position = rng.choice([p for p in (start, start + 1) if p < len(digits)])
        lowest = 1 if position == 0 and len(whole) > 1 else 0
        old = int(digits[position])
        digits[position] = rng.choice([d for d in "0123456789"[lowest:] if abs(int(d) - old) >= 2])
        whole, fraction = "".join(digits[:len(whole)]), "".join(digits[len(whole):])
    if grouped:
        whole = f"{int(whole):,}"
    return sign + whole + dot + fraction


def replace_span(text: str, match: re.Match, group: int, new: str) -> str:
    return text[:match.start(group)] + new + text[match.end(group):]


def line_mutation(kind: str, index: int, line: TextLine, mutated: str, token: str) -> Mutation:
    return Mutation(kind, (Edit(index, mutated),), (line.page,), (line.line,), line.text, mutated, token)


def cell_mutation(kind: str, row: TableRow, new_cells: dict[int, str], token: str) -> Mutation:
    edits = tuple(Edit(row.block, text, row.row, col) for col, text in new_cells.items())
    mutated = [new_cells.get(c, cell) for c, cell in enumerate(row.cells)]
    return Mutation(kind, edits, (row.page,), (row.line,), " | ".join(row.cells), " | ".join(mutated), token)


# -- operators: each lists every mutation of its class the document allows ------------------

Operator = Callable[[RawDocument, random.Random, str], list[Mutation]]

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?=\s*年)")
_FIGURE_NEAR = re.compile(r"^.{0,15}?\d[\d,.]*\s*(?:亿元|万元|元|[%％]|个百分点)")
SWAPS = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长",
         "大于": "小于", "小于": "大于", "高于": "低于", "低于": "高于"}
_SWAP = re.compile("|".join(SWAPS))
PLACEHOLDERS = ("XX", "××", "XXX")


def prose_figures(kind: str, doc: RawDocument, pattern: re.Pattern, change: Callable[[str], str]) -> list[Mutation]:
    found = []
    for index, line in prose_lines(doc):
        for match in pattern.finditer(line.text):
            new = change(match.group(1))
            found.append(line_mutation(kind, index, line, replace_span(line.text, match, 1, new), new))
    return found


def changed_amounts(kind: str, rows: Iterable[TableRow], rng: random.Random) -> list[Mutation]:
    found = []
    for row in rows:
        for c in (c for c in row.amounts if nonzero(row.cells[c])):
            new = perturb_number(row.cells[c].strip(), rng)
            found.append(cell_mutation(kind, row, {c: new}, new))
    return found


def narrative_figure(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    printed = printed_values(doc)
    found = []
    for mutation in prose_figures("narrative_figure", doc, _AMOUNT, lambda number: perturb_number(number, rng)):
        text = mutation.original
        start = next((i for i, (a, b) in enumerate(zip(text, mutation.mutated)) if a != b), 0)
        start = len(re.match(r"^.*?(?=[\d,.]*$)", text[:start]).group(0))  # where the changed number begins
        word = _DIRECTION_BEFORE.search(text[:start])
        if word and single_sourced(text, re.search(re.escape(word.group(0)) + "$", text[:start]), printed):
            continue
        if stated_once_alone(text, start, printed):
            continue
        found.append(mutation)
    return found


def comparison_word(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    """增加↔减少, 增长↔下降, 大于↔小于, 高于↔低于 in a sentence with a figure right after the
    word or with at least two amounts."""
    printed = printed_values(doc)
    found = []
    for index, line in prose_lines(doc):
        two_figures = len(_AMOUNT.findall(line.text)) >= 2
        for match in _SWAP.finditer(line.text):
            if not (two_figures or _FIGURE_NEAR.match(line.text[match.end():])):
                continue
            figure = _FIGURE_AFTER.match(re.sub(r"^(?:率|幅)?(?:为|是)?", "", line.text[match.end():]))
            if figure and not re.sub(r"[0.,]", "", figure.group(1)):
                continue  # a change of nothing
            sentence_end = min([i for i in (line.text.find(m, match.end()) for m in "。；;") if i != -1],
                               default=len(line.text))
            reason = re.search(r"原因|主要是|由于", line.text[match.end():sentence_end + 60])
            if not reason and single_sourced(line.text, match, printed):
                continue
            new = SWAPS[match.group(0)]
            found.append(line_mutation("comparison_word", index, line, replace_span(line.text, match, 0, new), new))
    return found


def year(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    """A year (20xx年) one off in a title or heading, a 截至 phrase or a sentence."""
    found = []
    for index, line in text_lines(doc):
        if not (is_title(line) or is_prose(line.text) or "截至" in line.text):
            continue
        for match in _YEAR.finditer(line.text):
            if is_prose(line.text) and own_year_of_something_else(line.text, match):
                continue
            new = str(int(match.group(1)) + rng.choice((-1, 1)))
            found.append(line_mutation("year", index, line, replace_span(line.text, match, 1, new), new))
    return found


def placeholder(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    """The unit's name left as a template placeholder (XX, ××) in a title or a sentence."""
    names = [n for n in dict.fromkeys((unit, re.split(r"[（(]", unit)[0])) if len(n) >= 2]
    found = []
    for index, line in text_lines(doc):
        if not (is_title(line) or is_prose(line.text)):
            continue
        name = next((n for n in names if n in line.text), None)
        if name is None:
            continue
        for match in re.finditer(re.escape(name), line.text):
            new = rng.choice(PLACEHOLDERS)
            found.append(line_mutation("placeholder", index, line, replace_span(line.text, match, 0, new), new))
    return found


def placeholder_figure(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    """An amount in a sentence left as a placeholder (XX万元)."""
    return prose_figures("placeholder_figure", doc, _AMOUNT, lambda number: rng.choice(PLACEHOLDERS))


_DIGITS = "一二三四五六七八九"
CN_NUMBERS = {("" if n < 10 else _DIGITS[n // 10 - 1] if n >= 20 else "") + ("十" if n >= 10 else "")
              + (_DIGITS[n % 10 - 1] if n % 10 else ""): n for n in range(1, 100)}


NUMBERING = {
    "chinese": re.compile(r"^\s*([一二三四五六七八九十]{1,3})、"),
    "parenthesised": re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]"),
    "arabic": re.compile(r"^\s*(\d{1,2})\s*[.、．](?!\d)"),
}


def numbering(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    """Two consecutive numbered headings or items (一、二、 / （一）（二） / 1. 2.) with their
    numbers swapped, their text left in place."""
    found = []
    for style, pattern in NUMBERING.items():
        items = []
        for index, line in text_lines(doc):
            match = pattern.match(line.text)
            if match and not _DOT_LEADER.search(line.text):
                value = int(match.group(1)) if style == "arabic" else CN_NUMBERS.get(match.group(1))
                if value is not None:
                    items.append((index, line, match, value))
        for (i, a, ma, va), (j, b, mb, vb) in zip(items, items[1:]):
            if vb != va + 1:
                continue
            new_a, new_b = replace_span(a.text, ma, 1, mb.group(1)), replace_span(b.text, mb, 1, ma.group(1))
            found.append(Mutation("numbering", (Edit(i, new_a), Edit(j, new_b)), (a.page, b.page), (a.line, b.line),
                                  f"{a.text[:30]} / {b.text[:30]}", f"{new_a[:30]} / {new_b[:30]}", new_a.strip()[:15]))
    return found


def table_row_blank(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    found = []
    for row in table_rows(doc):
        if is_part_row(row) and any(nonzero(row.cells[c]) for c in row.amounts):
            found.append(cell_mutation("table_row_blank", row, {c: "" for c in row.amounts}, row.label))
    return found


def table_total(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    return changed_amounts("table_total", filter(is_total_row, table_rows(doc)), rng)


def table_cell(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    """One amount of a part row changed, so that the parts no longer add up to the total."""
    return changed_amounts("table_cell", filter(is_part_row, table_rows(doc)), rng)


def percentage(doc: RawDocument, rng: random.Random, unit: str) -> list[Mutation]:
    return prose_figures("percentage", doc, _PERCENT, lambda number: perturb_number(number, rng))


OPERATORS: dict[str, Operator] = {
    "narrative_figure": narrative_figure,
    "comparison_word": comparison_word,
    "year": year,
    "placeholder": placeholder,
    "placeholder_figure": placeholder_figure,
    "numbering": numbering,
    "table_row_blank": table_row_blank,
    "table_total": table_total,
    "table_cell": table_cell,
    "percentage": percentage,
}


def mutations(doc: RawDocument, kind: str, seed: int, name: str, per_class: int, unit: str) -> list[Mutation]:
    """Up to ``per_class`` mutations of one class, the same ones for the same seed and report."""
    rng = random.Random(f"{seed}:{name}:{kind}")
    candidates = [m for m in OPERATORS[kind](doc, rng, unit) if m.mutated != m.original]
    return rng.sample(candidates, min(per_class, len(candidates)))


# -- running -------------------------------------------------------------------------------

@dataclass
class Outcome:
    report: str
    mutation: Mutation
    at_place: bool = False
    anywhere: bool = False
    crash: str | None = None


def finding_keys(findings) -> Counter:
    return Counter((f.rule, f.message) for f in findings if f.severity in FLAGGING)


def new_findings(clean: Counter, findings) -> list:
    remaining = Counter(clean)
    fresh = []
    for finding in (f for f in findings if f.severity in FLAGGING):
        key = (finding.rule, finding.message)
        if remaining[key]:
            remaining[key] -= 1
        else:
            fresh.append(finding)
    return fresh


def points_at(finding, mutation: Mutation) -> bool:
    pages = {p for p in mutation.pages if p is not None}
    lines = {n for n in mutation.lines if n is not None}
    token = mutation.token.replace(",", "")
    try:
        value = Decimal(token.rstrip("%"))
    except InvalidOperation:
        value = None
    texts = [finding.message] + [side.text or "" for side in finding.sides]
    if token and any(token in text.replace(",", "") for text in texts):
        return True
    for side in finding.sides:
        if side.page is not None and side.page in pages:
            return True
        if side.page is None and side.line is not None and side.line in lines:
            return True
        if value is not None and side.value is not None and side.value == value:
            return True
    return False


def evaluate(name: str, raw: RawDocument, clean: Counter, mutation: Mutation) -> Outcome:
    outcome = Outcome(name, mutation)
    try:
        findings = run_checks(build_report(apply(raw, mutation)))
    except Exception as error:  # noqa: BLE001 - a crash is a result to report
        outcome.crash = f"{type(error).__name__}: {error}"
        return outcome
    fresh = new_findings(clean, findings)
    outcome.anywhere = bool(fresh)
    outcome.at_place = any(points_at(f, mutation) for f in fresh)
    return outcome


def load(paths: list[Path]) -> tuple[dict[str, RawDocument], list[str]]:
    docs, skipped = {}, []
    for path in paths:
        try:
            docs[path.name] = read(path)
        except Exception as error:  # noqa: BLE001 - an unreadable report is skipped and named
            skipped.append(f"{path.name}: {type(error).__name__}: {error}")
    return docs, skipped


def code_version() -> str:
    """The commit the checks ran from, and whether ``kg/`` differs from it."""
    git = ["git", "--no-optional-locks", "-C", str(ROOT)]
    try:
        commit = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        changed = subprocess.run(git + ["status", "--porcelain", "--", "kg"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    dirty = len(changed.stdout.splitlines())
    return commit.stdout.strip() + (f" with {dirty} uncommitted changes under kg/" if dirty else ", kg/ unchanged")


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    clean_counts: dict[str, Counter] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    elapsed: float = 0.0


def run(paths: list[Path], seed: int, per_class: int, kinds: list[str] | None = None) -> Run:
    started = time.perf_counter()
    result = Run()
    docs, result.skipped = load(paths)
    for name, raw in docs.items():
        try:
            report = build_report(copy.deepcopy(raw))
            clean_findings = run_checks(report)
        except Exception as error:  # noqa: BLE001 - a crash on the unmutated report is named and skipped
            result.skipped.append(f"{name}: crashed unmutated: {type(error).__name__}: {error}")
            continue
        result.clean_counts[name] = Counter(f.severity for f in clean_findings)
        clean = finding_keys(clean_findings)
        for kind in kinds or OPERATORS:
            for mutation in mutations(raw, kind, seed, name, per_class, report.unit or ""):
                result.outcomes.append(evaluate(name, raw, clean, mutation))
    result.elapsed = time.perf_counter() - started
    return result


def row_text(label: str, outcomes: list[Outcome]) -> str:
    count = len(outcomes)
    at_place = sum(o.at_place for o in outcomes)
    anywhere = sum(o.anywhere for o in outcomes)
    crashes = sum(bool(o.crash) for o in outcomes)
    reports = len({o.report for o in outcomes})
    return (f"{label:<20}{count:>8}{reports:>8}{at_place:>9}{anywhere:>9}{crashes:>8}"
            f"{percent(at_place, count):>8}{percent(anywhere, count):>9}")


def where(mutation: Mutation) -> str:
    return f"p.{mutation.pages[0]}" if mutation.pages[0] is not None else f"line {mutation.lines[0]}"


def changed_window(original: str, mutated: str, width: int = 45) -> tuple[str, str]:
    """The two texts around where they first differ (a mutation deep in a long paragraph is
    otherwise cut off in the listing)."""
    start = next((i for i, (a, b) in enumerate(zip(original, mutated)) if a != b), min(len(original), len(mutated)))
    if start < width:
        return original[:2 * width], mutated[:2 * width]
    return "…" + original[start - width:start + width], "…" + mutated[start - width:start + width]


def print_run(result: Run, seed: int, per_class: int, failures: int) -> None:
    outcomes = result.outcomes
    print(f"check mutation benchmark — seed {seed}, up to {per_class} mutants per class per report")
    print(f"machine: {summary()}")
    print(f"code: {code_version()}")
    print(f"reports: {len(result.clean_counts)} checked, {len(result.skipped)} skipped; "
          f"mutants: {len(outcomes)}; elapsed {result.elapsed:.1f} s")
    for line in result.skipped:
        print(f"  skipped {line}")
    print(f"\n{'class':<20}{'mutants':>8}{'reports':>8}{'at place':>9}{'anywhere':>9}{'crashes':>8}"
          f"{'recall':>8}{'anywhere':>9}")
    for kind in dict.fromkeys(o.mutation.kind for o in outcomes):
        print(row_text(kind, [o for o in outcomes if o.mutation.kind == kind]))
    print(row_text("total", outcomes))
    print(f"\n{'report':<52}{'mutants':>8}{'at place':>9}{'recall':>8}   clean findings error/warning/info")
    for name, counts in result.clean_counts.items():
        mine = [o for o in outcomes if o.report == name]
        hits = sum(o.at_place for o in mine)
        print(f"{name[:50]:<52}{len(mine):>8}{hits:>9}{percent(hits, len(mine)):>8}   "
              f"{counts['error']}/{counts['warning']}/{counts['info']}")
    total = sum(result.clean_counts.values(), Counter())
    print(f"findings on the unmutated reports: {total['error']} error, {total['warning']} warning, {total['info']} info")
    crashes = [o for o in outcomes if o.crash]
    print(f"\ncrashes: {len(crashes)}")
    for o in crashes:
        print(f"  {o.report} [{o.mutation.kind}] {where(o.mutation)}: {o.crash}")
    for kind in dict.fromkeys(o.mutation.kind for o in outcomes) if failures else ():
        missed = [o for o in outcomes if o.mutation.kind == kind and not o.at_place and not o.crash]
        print(f"\nundetected {kind} ({min(failures, len(missed))} of {len(missed)}):")
        for o in missed[:failures]:
            m = o.mutation
            before, after = changed_window(m.original, m.mutated)
            print(f"  {o.report} {where(m)}: {before} → {after}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of report PDFs")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder of seed text exports")
    parser.add_argument("--limit-reports", type=int, default=None, help="only the first N reports")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-class", type=int, default=3, help="mutants per class per report at most")
    parser.add_argument("--failures", type=int, default=0, help="list up to N undetected mutants per class")
    parser.add_argument("--classes", nargs="+", choices=list(OPERATORS), default=None,
                        help="only these mutation classes (a quicker run while working on one family)")
    args = parser.parse_args(argv)
    paths = sorted(args.corpus.glob("*.pdf")) + sorted(args.seeds.glob("*.txt"))
    result = run(paths[:args.limit_reports] if args.limit_reports else paths, args.seed, args.per_class, args.classes)
    print_run(result, args.seed, args.per_class, args.failures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
