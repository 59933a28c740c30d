"""What ``budgetkg ingest`` shows while it works and when it is done.

Piped or redirected, stdout gets one plain line per file (failures go to stderr) and stderr
the batch's ``完成 (done)`` line followed by one line per failed file, so logs stay
greppable. On a terminal the same per-file lines scroll above a progress bar (files
done/total, pages read per second, time left, the current stage and file) and the batch
ends with a summary table.
"""
from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from kg.filenames import shown
from kg.ingest_results import STATUSES, IngestResult

STATUS_LABELS = {"added": "新增", "updated": "更新", "unchanged": "未变", "duplicate": "重复", "failed": "失败"}
STAGE_LABELS = {"read": "读取 reading", "graph": "建图 graph", "embed": "嵌入 embedding", "write": "写入 writing",
                "finish": "收尾 finishing"}


def result_line(result: IngestResult) -> str:
    if result.status == "failed":
        return f"失败 {result.message}"
    if result.status == "duplicate":
        return f"重复 {result.path}：{result.message}"
    extra = f"（{result.message}）" if result.message else ""
    return (f"{STATUS_LABELS[result.status]} {result.title}  三元组 {result.triples}  "
            f"段落 {result.passages}  ← {result.path}{extra}")


def failure_reason(result: IngestResult) -> str:
    """A failed result's message without the file name it starts with."""
    return result.message.removeprefix(f"{result.path}: ").removeprefix(f"{result.path}：")


class PlainDisplay:
    """One line per file and a summary in lines: what a log or a pipe gets."""

    def __init__(self, total: int):
        self.total = total
        self.counts = dict.fromkeys(STATUSES, 0)
        self.failures: list[IngestResult] = []

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def stage(self, stage: str, file: str) -> None:
        pass

    def finishing(self) -> None:
        pass

    def add(self, result: IngestResult) -> None:
        self.counts[result.status] += 1
        if result.status == "failed":
            self.failures.append(result)
        self.show_line(result_line(result), to_stderr=result.status == "failed")

    def show_line(self, line: str, to_stderr: bool) -> None:
        print(line, file=sys.stderr if to_stderr else sys.stdout, flush=to_stderr)

    def summary(self, store: Path) -> None:
        counts = "，".join(f"{STATUS_LABELS[k]} {k} {v}" for k, v in self.counts.items())
        print(f"完成 (done): {counts}；存储 {store}", file=sys.stderr)
        for result in self.failures:
            print(f"  失败原因 (failed) {result.path}：{failure_reason(result)}", file=sys.stderr)


class TerminalDisplay(PlainDisplay):
    """The per-file lines above a live progress bar on stdout, and a summary table at the end.

    stdout and stderr are not redirected into the bar (extraction workers are forked while it
    runs); failure lines go through the bar's console only when stderr is the terminal too."""

    def __init__(self, total: int):
        super().__init__(total)
        self.console = Console(file=sys.stdout, force_terminal=True)
        self.stderr_is_terminal = sys.stderr.isatty()
        self.pages = 0
        self.progress = Progress(
            TextColumn("导入 ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("文件 files"),
            _PagesRate(), TextColumn("剩余 left"), TimeRemainingColumn(),
            TextColumn("{task.fields[stage]}", markup=False),
            console=self.console, redirect_stdout=False, redirect_stderr=False, refresh_per_second=4)
        self.task = self.progress.add_task("ingest", total=total, pages=0, stage="")

    def start(self) -> None:
        self.progress.start()

    def stop(self) -> None:
        self.progress.stop()

    def stage(self, stage: str, file: str) -> None:
        self.progress.update(self.task, stage=f"{STAGE_LABELS.get(stage, stage)} {shown(Path(file).name)}")

    def add(self, result: IngestResult) -> None:
        self.pages += result.pages
        super().add(result)
        self.progress.update(self.task, advance=1, pages=self.pages, stage="")

    def show_line(self, line: str, to_stderr: bool) -> None:
        if to_stderr and not self.stderr_is_terminal:
            super().show_line(line, to_stderr)
        else:
            self.console.print(Text(shown(line)), soft_wrap=True)

    def summary(self, store: Path) -> None:
        if not self.stderr_is_terminal:
            super().summary(store)
        self.console.print(Text(f"完成 (done)：存储 {shown(store)}"), soft_wrap=True)
        table = Table()
        table.add_column("结果 outcome")
        table.add_column("文件 files", justify="right")
        for status, count in self.counts.items():
            table.add_row(f"{STATUS_LABELS[status]} {status}", str(count))
        self.console.print(table)
        if self.failures:
            reasons = Table(title="失败原因 (why files failed)", title_justify="left")
            reasons.add_column("文件 file", overflow="fold")
            reasons.add_column("原因 reason", overflow="fold")
            for result in self.failures:
                reasons.add_row(Text(shown(result.path)), Text(shown(failure_reason(result))))
            self.console.print(reasons)

    def finishing(self) -> None:
        self.progress.update(self.task, stage=STAGE_LABELS["finish"])


class _PagesRate(ProgressColumn):
    """Pages read per second since the batch started."""

    def render(self, task) -> Text:
        pages, elapsed = task.fields.get("pages", 0), task.elapsed or 0
        rate = f"{pages / elapsed:.1f}" if pages and elapsed else "–"
        return Text(f"{rate} 页/s pages/s")


def display_for(total: int) -> PlainDisplay:
    """A progress bar when stdout is a terminal, plain lines otherwise."""
    return TerminalDisplay(total) if sys.stdout.isatty() else PlainDisplay(total)
