"""``budgetkg ingest`` on a terminal shows a progress bar and a summary table; piped, it writes
plain lines only (one per file, the done line and one line per failure), so logs stay greppable."""
from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import struct
import subprocess
import termios
import time

import pytest

from tests.store.conftest import EXAMPLES, MODEL, ROOT, budgetkg, cli_command, cli_env

ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
NOT_A_REPORT = "今天下午三点开会，请大家准时参加。\n"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The example PDFs and one file that is not a report."""
    folder = tmp_path_factory.mktemp("progress") / "batch"
    shutil.copytree(EXAMPLES, folder)
    (folder / "notice.txt").write_text(NOT_A_REPORT, encoding="utf-8")
    return folder


def in_terminal(*args: str, timeout: float = 300) -> tuple[int, str]:
    """Run the command line with stdin, stdout and stderr on a pseudo-terminal; its exit status
    and everything it wrote to the terminal."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    env = cli_env()
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(cli_command(*args), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    written = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the terminal's last writer has exited
                break
            if not chunk:
                break
            written += chunk
        status = process.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return status, written.decode("utf-8", errors="replace")


def test_a_terminal_gets_a_bar_with_files_rate_and_stage_then_a_summary_table(batch, tmp_path):
    status, written = in_terminal("ingest", batch, "--store", tmp_path / "store", "--model", MODEL)
    text = ESCAPE.sub("", written)
    assert status == 1, text[-2000:]
    assert "\x1b[" in written
    assert re.search(r"6/6 文件 files \d+\.\d 页/s pages/s 剩余 left \d+:\d\d:\d\d 收尾 finishing", text), text[-3000:]
    assert re.search(r"[0-5]/6 文件 files .* (读取 reading|建图 graph|嵌入 embedding|写入 writing) \S+\.pdf", text)
    lines = re.split(r"[\r\n]+", text)
    assert len([line for line in lines if re.match(r"新增 .* ← \S+\.pdf", line)]) == 5
    assert re.search(r"│ 新增 added +│ +5 │", text) and re.search(r"│ 失败 failed +│ +1 │", text)
    assert "失败原因" in text and re.search(r"notice\.txt +│ 不是预算/决算公开报告", text)


def test_piped_output_has_no_bar_only_greppable_lines(batch, tmp_path):
    done = budgetkg("ingest", batch, "--store", tmp_path / "store", "--model", MODEL)
    assert done.returncode == 1, done.stderr
    for stream in (done.stdout, done.stderr):
        assert "\x1b" not in stream and "\r" not in stream
        assert "页/s" not in stream and "━" not in stream and "│" not in stream
    lines = done.stdout.splitlines()
    assert len(lines) == 5 and all(re.match(r"新增 .* ← \S+\.pdf$", line) for line in lines)
    assert ("完成 (done): 新增 added 5，更新 updated 0，未变 unchanged 0，重复 duplicate 0，失败 failed 1"
            in done.stderr)
    notice = batch / "notice.txt"
    assert f"失败 {notice}: 不是预算/决算公开报告" in done.stderr
    assert f"失败原因 (failed) {notice}：不是预算/决算公开报告" in done.stderr
