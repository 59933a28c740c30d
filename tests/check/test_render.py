"""Check results rendered as text, JSON and one HTML page: escaped, complete, nothing external."""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from kg.check import Finding, Side
from kg.check.render import render, to_html, to_json, to_text
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert('x')</script>"


class Page(HTMLParser):
    """Tags with their attributes, the text of each tag class, and every text run."""

    def __init__(self, source: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)

    def all(self, tag: str, cls: str | None = None) -> list[dict]:
        return [a for t, a in self.tags if t == tag and (cls is None or cls in (a.get("class") or "").split())]

    @property
    def text(self) -> str:
        return "".join(self.texts)


def results():
    hostile = Finding("narrative.figures", "error", f"说明为{HOSTILE}万元，报表为452.76万元",
                      [Side("说明 <b>", Decimal("1000000"), 17, 3, f"一般公共预算拨款收入{HOSTILE}"),
                       Side("报表：收支总表", Decimal("4527600"), 3, 1, "收支总表 & 合计")],
                      expected=Decimal("4527600"), observed=Decimal("1000000"))
    count = Finding("narrative.counts", "warning", "说明称项目4个，绩效目标表3个",
                    [Side("说明", Decimal(4), 19, 2, "项目4个"), Side("绩效目标表", Decimal(3), 20)])
    note = Finding("document.basis_without_document", "info", "立项依据未列明文件", [Side("立项依据", None, 15)])
    return [(f"某局 2024年部门预算 {HOSTILE}", "a/b<c>.pdf", [hostile, count, note]),
            ("另一局 2023年部门决算", "d.pdf", [])]


def test_html_escapes_every_text_and_loads_nothing_external():
    page_source = to_html(results())
    assert "<script" not in page_source and "&lt;script&gt;" in page_source
    page = Page(page_source)
    assert HOSTILE in page.text  # escaped, so it reads back as text
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert all(not a.get("src") for _, a in page.tags)
    assert [a["href"] for a in page.all("a")] == ["#report-1", "#report-2"]
    assert {a.get("id") for a in page.all("section")} == {"report-1", "report-2"}


def test_html_lists_counts_findings_and_both_sides():
    page = Page(to_html(results()))
    text = page.text
    assert len(page.all("article", "finding")) == 3
    assert [len(page.all("span", s)) for s in ("error", "warning", "info")] == [1, 1, 1]
    assert "narrative.figures" in text and "第17页" in text and "第3页" in text
    assert "452.76 万元" in text and "100 万元" in text  # amounts (元) shown in 万元
    assert "数值4" in text.replace(" ", "")  # a count is not an amount
    assert "收支总表 & 合计" in text and "无问题" in text
    assert len(page.all("div", "side")) == 5 and len(page.all("div", "sides")) == 3
    for label in ("报告", "规则", "页码", "说明", "报表"):
        assert label in text
    rows = [t for t in page.tags if t[0] == "tr"]
    assert len(rows) == 4  # header, two reports, total


def test_text_and_json_keep_their_format():
    findings = results()
    text = to_text(findings)
    assert text.splitlines()[0] == f"某局 2024年部门预算 {HOSTILE}（a/b<c>.pdf）：3 处"
    assert text.splitlines()[1] == (f"  [error] 说明为{HOSTILE}万元，报表为452.76万元  （第3、17页；规则 narrative.figures）")
    assert text.endswith("另一局 2023年部门决算（d.pdf）：0 处\n")
    data = json.loads(to_json(findings))
    assert data[0]["findings"][0]["sides"][1] == {"what": "报表：收支总表", "value": 4527600.0, "page": 3,
                                                  "text": "收支总表 & 合计"}
    assert data[1] == {"report": "另一局 2023年部门决算", "file": "d.pdf", "findings": []}
    assert render([], "text") == "" and render([], "json") == "[]\n"


def test_cli_writes_the_seeds_as_html(tmp_path):
    out = tmp_path / "x.html"
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(FIXTURES / "seeds"),
                             "--format", "html", "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    page = Page(out.read_text(encoding="utf-8"))
    text = page.text
    assert len(page.all("section")) == len(list((FIXTURES / "seeds").glob("*.txt")))
    assert "大同市人力资源和社会保障局 2023年单位决算" in text and "56.38" in text
    assert "narrative.execution_rate" in text and page.all("article", "finding")
