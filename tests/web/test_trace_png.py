"""``budgetkg trace … --png`` works after the README's install command: matplotlib is a default
dependency (not only the ``viz`` extra), and the command draws a PNG from a real store."""
from __future__ import annotations

import tomllib

from tests.web.conftest import ROOT


def test_matplotlib_is_a_default_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.split(">")[0].split("=")[0].strip() == "matplotlib" for d in project["dependencies"])


def test_trace_png_from_the_command_line(pdf_store, tmp_path, capsys):
    from cli import main

    out = tmp_path / "trace.png"
    assert main(["trace", "晋财社〔2019〕1号", "--store", str(pdf_store), "--png", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    assert "已写出图片" in capsys.readouterr().err
