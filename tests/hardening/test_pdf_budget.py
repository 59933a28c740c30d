"""The reading budget of a PDF: a small file that inflates past it is refused before PDFium
reads it, with one line and a bounded peak memory; so is a PDF with too many pages."""
from __future__ import annotations

import base64
import binascii
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from kg.errors import OverBudget
from kg.extract import extract
from kg.extract.readers.pdf_guard import ReadLimits, check_streams
from tests.conftest import FIXTURES
from tests.hardening.conftest import ROOT, run_cli
from tests.hardening.pdfs import MiB, bomb, deflate_zeros, image, pdf, text_page

#: peak resident memory allowed to `budgetkg extract` refusing the bomb; unguarded it grows past 1.2 GB
RSS_BOUND_MIB = 100

# VmHWM (this process image's peak RSS), not getrusage's ru_maxrss: Linux carries ru_maxrss over
# execve, so a child forked from a large test process (torch loaded) would report the parent's size
MEASURE = """
import re, sys
sys.path.insert(0, {root!r})
from cli import main
code = main(["extract", {path!r}])
status = open("/proc/self/status").read()
print("rss_kib", re.search(r"VmHWM:\\s+(\\d+)", status).group(1), "code", code)
"""


@pytest.fixture(scope="module")
def bomb_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.pdf"
    path.write_bytes(bomb(1600 * MiB))
    return path


def test_the_bomb_is_small_on_disk_and_its_stream_is_exact(bomb_file, tmp_path):
    assert bomb_file.stat().st_size < 2 * MiB
    assert len(zlib.decompress(deflate_zeros(8 * MiB))) == 8 * MiB
    assert check_streams(tmp_path / "b.pdf", bomb(24 * MiB), ReadLimits()) == 24 * MiB


def test_extract_refuses_the_bomb_in_one_line_under_the_memory_bound(bomb_file):
    result = subprocess.run([sys.executable, "-c", MEASURE.format(root=str(ROOT), path=str(bomb_file))],
                            capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "bomb.pdf" in errors[0] and "512 MiB" in errors[0] and "--max-stream-bytes" in errors[0]
    rss_kib, code = int(result.stdout.split()[1]), int(result.stdout.split()[3])
    assert code == 1
    assert rss_kib < RSS_BOUND_MIB * 1024, f"peak RSS {rss_kib // 1024} MiB"


def test_the_budget_is_a_setting(tmp_path, monkeypatch):
    path = tmp_path / "inflates.pdf"
    path.write_bytes(pdf([deflate_zeros(8 * MiB)]))
    monkeypatch.setenv("BUDGETKG_MAX_STREAM_BYTES", "4M")
    with pytest.raises(OverBudget, match="4 MiB"):
        extract(path)
    with pytest.raises(OverBudget, match="2 MiB"):
        extract(path, ReadLimits(max_stream_bytes=2 * MiB))


def test_images_are_not_counted(tmp_path):
    """The reader never decodes images: a large scan is no bomb (it is refused for its missing text layer)."""
    data = pdf([text_page("scan")], extra=[image(deflate_zeros(8 * MiB))])
    assert check_streams(tmp_path / "scan.pdf", data, ReadLimits(max_stream_bytes=MiB)) < MiB


def test_too_many_pages_are_refused(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf([text_page(f"page {i}") for i in range(5)]))
    result = run_cli("extract", path, "--max-pages", "3")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "5 页，上限 3 页" in result.stderr and "--max-pages" in result.stderr


def test_a_real_report_is_within_the_default_budget():
    report = extract(FIXTURES / "pdf" / "001_01b4697fa3395aa5.pdf")
    assert report.unit == "大同市人力资源和社会保障局"


def _lzw(data: bytes) -> bytes:
    """LZW as PDF writes it (9–12-bit codes, early change), for the decoder's test."""
    table, width, bits, nbits, out = {bytes([i]): i for i in range(256)}, 9, 0, 0, bytearray()

    def emit(code: int) -> None:
        nonlocal bits, nbits
        bits, nbits = (bits << width) | code, nbits + width
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)
        bits &= (1 << nbits) - 1

    emit(256)
    word = b""
    for byte in data:
        longer = word + bytes([byte])
        if longer in table:
            word = longer
            continue
        emit(table[word])
        table[longer] = len(table) + 2
        width = min(12, (len(table) + 2).bit_length())
        if len(table) + 2 >= 4094:
            emit(256)
            table, width = {bytes([i]): i for i in range(256)}, 9
        word = bytes([byte])
    emit(table[word])
    emit(257)
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


@pytest.mark.parametrize("filters, encode", [
    ("/FlateDecode", zlib.compress),
    ("[/ASCII85Decode /FlateDecode]", lambda d: base64.a85encode(zlib.compress(d), adobe=True)),
    ("[/ASCIIHexDecode /FlateDecode]", lambda d: binascii.hexlify(zlib.compress(d)) + b">"),
    ("[/FlateDecode /FlateDecode]", lambda d: zlib.compress(zlib.compress(d))),
    ("/LZWDecode", _lzw),
    ("/RunLengthDecode", lambda d: b"".join(bytes([127]) + d[i:i + 128] for i in range(0, len(d), 128)) + b"\x80"),
])
def test_every_expanding_filter_is_measured(tmp_path, filters, encode):
    inflated = bytes(range(256)) * 3072
    data = pdf([encode(inflated)], filters=filters)
    assert check_streams(tmp_path / "f.pdf", data, ReadLimits()) == len(inflated)
    with pytest.raises(OverBudget):
        check_streams(tmp_path / "f.pdf", data, ReadLimits(max_stream_bytes=len(inflated) - 1))
