"""Every command a message advises exists: each ``budgetkg <subcommand> --flag`` written in the
source (kg, embed, search, cli.py, budgetkg_cli) is checked against cli.py's own argparse parser."""
from __future__ import annotations

import argparse
import re

from cli import build_parser
from tests.store.conftest import ROOT

SOURCES = [*sorted((ROOT / "kg").rglob("*.py")), *sorted((ROOT / "embed").rglob("*.py")),
           *sorted((ROOT / "search").rglob("*.py")), ROOT / "cli.py",
           *sorted((ROOT / "budgetkg_cli").rglob("*.py"))]
MENTION = re.compile(r"budgetkg[ \t]+([a-z][a-z-]*)((?:\s\"[^\"\n]*\"(?=\s)|[^`'\"()（）;；，。,\n])*)")
FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def subcommands() -> dict[str, set[str]]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {name: {flag for action in p._actions for flag in action.option_strings}
            for name, p in sub.choices.items()}


def suggestions(text: str, known: dict[str, set[str]]) -> list[tuple[str, list[str]]]:
    """(subcommand, flags) of each command suggestion: a known subcommand, or any word followed by flags
    (``budgetkg process`` in prose is not a suggestion; ``budgetkg frobnicate --x`` is)."""
    found = []
    for match in MENTION.finditer(text):
        name, rest = match.group(1), match.group(2)
        flags = FLAG.findall(rest)
        if name in known or flags:
            found.append((name, flags))
    return found


def test_the_scanner_catches_a_command_that_does_not_exist():
    known = subcommands()
    assert suggestions("rebuild with `budgetkg ingest --rebuild-index`", known) == [("ingest", ["--rebuild-index"])]
    assert suggestions("请运行 budgetkg ingest 报告文件夹 --store {folder} (ingest first)", known) == [
        ("ingest", ["--store"])]
    assert suggestions("is another budgetkg process using it?", known) == []
    assert suggestions('budgetkg ask "执行率低于60%" --stor .budgetkg\n', known) == [("ask", ["--stor"])]


def test_every_advised_command_and_flag_exists():
    known = subcommands()
    wrong, seen = [], 0
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for name, flags in suggestions(text, known):
            seen += 1
            if name not in known:
                wrong.append(f"{path.relative_to(ROOT)}: budgetkg {name} (no such subcommand)")
            wrong.extend(f"{path.relative_to(ROOT)}: budgetkg {name} {flag} (no such option)"
                         for flag in flags if flag not in known.get(name, set()))
    assert seen > 10
    assert not wrong, "\n".join(wrong)
