"""The reading budget of a PDF: pages and decompressed stream bytes, checked before PDFium.

PDFium inflates a content stream completely when it loads a page, and an object stream
when it opens the file, so a 1.6 MB file whose stream inflates to 1.6 GB takes 1.6 GB of
memory (more, with the copies around it). ``check_streams`` measures what every stream
of the file would inflate to *before* PDFium sees it: it walks the raw bytes for
``stream … endstream`` segments, runs each through its filter chain (Flate, LZW,
RunLength, ASCIIHex, ASCII85) in chunks of at most ``CHUNK`` output bytes that are
counted and dropped, and stops at the first byte over the budget. Memory stays a few
chunks; time is one inflate of the file, stopped early for a bomb.

Image XObjects are not counted: their data (in any codec) is only decoded when a page is
rendered, which the reader never does, and counting them would refuse large scans that
should be refused as having no text layer. What it cannot measure, it does not guess: the
streams of an
encrypted file are ciphertext to this scan (those files are mostly refused as
``EncryptedFile`` anyway). Streams that are not referenced by the document still count,
which only errs towards refusing.
"""
from __future__ import annotations

import binascii
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import OverBudget

CHUNK = 1 << 20  # bytes of decoded output held at once
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
_SPACE = re.compile(rb"\s")
_DICT_WINDOW = 64 * 1024


@dataclass(frozen=True)
class ReadLimits:
    max_pages: int = 3000
    max_stream_bytes: int = 512 * 1024 ** 2

    @classmethod
    def from_settings(cls, settings) -> "ReadLimits":
        return cls(int(settings["max-pages"]), int(settings["max-stream-bytes"]))

    @classmethod
    def current(cls) -> "ReadLimits":
        """The limits of the environment and defaults (when the caller gave none)."""
        from kg.settings import resolve_all

        return cls.from_settings(resolve_all())


def _mib(n: int) -> str:
    return f"{n / 1024 ** 2:,.0f} MiB" if n >= 1024 ** 2 else f"{n:,} bytes"


def check_pages(path: Path, pages: int, limits: ReadLimits) -> None:
    if pages > limits.max_pages:
        raise OverBudget(path, f"{pages:,} 页，上限 {limits.max_pages:,} 页；可用 --max-pages 或 BUDGETKG_MAX_PAGES 调高 "
                               f"({pages:,} pages, limit {limits.max_pages:,}: raise --max-pages)")


def check_streams(path: Path, data: bytes, limits: ReadLimits) -> int:
    """The decoded size of every stream in ``data``; ``OverBudget`` as soon as it passes the limit."""
    budget = limits.max_stream_bytes
    total = 0
    view = memoryview(data)
    for start, end, filters in _streams(data):
        for chunk_size in _decoded_sizes(view[start:end], filters):
            total += chunk_size
            if total > budget:
                raise OverBudget(path, f"数据流解压后超过 {_mib(budget)}；可用 --max-stream-bytes 或 "
                                       f"BUDGETKG_MAX_STREAM_BYTES 调高 (streams inflate to more than "
                                       f"{_mib(budget)}: raise --max-stream-bytes)")
    return total


def _streams(data: bytes) -> Iterator[tuple[int, int, list[str]]]:
    """(data start, data end, filter names) of every stream segment of the file."""
    for match in _STREAM.finditer(data):
        keyword = match.start()
        header = data.rfind(b"obj", max(0, keyword - _DICT_WINDOW), keyword)
        head = data[header + 3 if header >= 0 else max(0, keyword - _DICT_WINDOW):keyword]
        if not head.rstrip().endswith(b">>") or _IMAGE.search(head):
            continue
        start = match.end()
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length else -1
        if end < start or end > len(data) or b"endstream" not in data[end:end + 64]:
            found = data.find(b"endstream", start)
            end = found if found >= 0 else len(data)
        declared = _FILTER.search(head)
        names = [n.decode("latin-1") for n in _NAME.findall(declared.group(1))] if declared else []
        yield start, end, names


def _decoded_sizes(raw: memoryview, filters: list[str]) -> Iterator[int]:
    """Sizes of the decoded output chunks of ``raw`` through ``filters`` (empty when unknown)."""
    chunks: Iterable[bytes] = (bytes(raw[i:i + CHUNK]) for i in range(0, len(raw), CHUNK))
    decoded = False
    for name in filters:
        decoder = _DECODERS.get(name)
        if decoder is None:
            break
        chunks = decoder(chunks)
        decoded = True
    if not decoded:
        return
    try:
        for chunk in chunks:
            yield len(chunk)
    except (ValueError, zlib.error, binascii.Error):
        return


def _flate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for chunk in chunks:
        pending = chunk
        while pending and not inflater.eof:
            try:
                out = inflater.decompress(pending, CHUNK)
            except zlib.error:
                return
            if out:
                yield out
            pending = inflater.unconsumed_tail
        if inflater.eof:
            return


def _lzw(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """LZW as in PDF (early change, 9–12-bit codes, 256 clear, 257 end)."""
    table: list[bytes] = []
    width, previous, bits, nbits = 9, None, 0, 0
    out = bytearray()

    def reset() -> None:
        table[:] = [bytes([i]) for i in range(256)] + [b"", b""]

    reset()
    for chunk in chunks:
        for byte in chunk:
            bits, nbits = (bits << 8) | byte, nbits + 8
            while nbits >= width:
                nbits -= width
                code = (bits >> nbits) & ((1 << width) - 1)
                if code == 256:
                    reset()
                    width, previous = 9, None
                    continue
                if code == 257:
                    yield bytes(out)
                    return
                if previous is None:
                    entry = table[code] if code < len(table) else b""
                else:
                    entry = table[code] if code < len(table) else previous + previous[:1]
                    if len(table) < 4096:
                        table.append(previous + entry[:1])
                out += entry
                previous = entry
                width = min(12, max(9, (len(table) + 1).bit_length()))
                if len(out) >= CHUNK:
                    yield bytes(out)
                    out.clear()
            bits &= (1 << nbits) - 1
    if out:
        yield bytes(out)


def _run_length(chunks: Iterable[bytes]) -> Iterator[bytes]:
    literal = 0  # literal bytes still to copy
    repeat = False  # the next byte is repeated 257 - length times
    length = 0
    for chunk in chunks:
        out = bytearray()
        for byte in chunk:
            if literal:
                out.append(byte)
                literal -= 1
            elif repeat:
                out += bytes([byte]) * (257 - length)
                repeat = False
            elif byte == 128:
                yield bytes(out)
                return
            elif byte < 128:
                literal = byte + 1
            else:
                repeat, length = True, byte
            if len(out) >= CHUNK:
                yield bytes(out)
                out = bytearray()
        yield bytes(out)


def _hex(chunks: Iterable[bytes]) -> Iterator[bytes]:
    carry = b""
    for chunk in chunks:
        end = chunk.find(b">")
        digits = carry + _NOT_HEX.sub(b"", chunk if end < 0 else chunk[:end])
        usable = len(digits) - len(digits) % 2
        yield binascii.unhexlify(digits[:usable])
        carry = digits[usable:]
        if end >= 0:
            break
    if carry:
        yield binascii.unhexlify(carry + b"0")


def _a85(chunks: Iterable[bytes]) -> Iterator[bytes]:
    carry = b""
    first = True
    for chunk in chunks:
        end = chunk.find(b"~>")
        body = carry + _SPACE.sub(b"", chunk if end < 0 else chunk[:end])
        if first:
            body, first = body.removeprefix(b"<~"), False
        complete = len(body) - (len(body) - body.rfind(b"z") - 1) % 5  # groups are 5 characters or one z
        yield _a85_groups(body[:complete])
        carry = body[complete:]
        if end >= 0:
            break
    if carry:
        yield _a85_groups(carry)


def _a85_groups(body: bytes) -> bytes:
    """ASCII85 without delimiters or spaces (``base64.a85decode`` is pure Python, 30× slower)."""
    import numpy as np

    body = body.replace(b"z", b"!!!!!")
    pad = -len(body) % 5
    digits = np.frombuffer(body + b"u" * pad, dtype=np.uint8).astype(np.uint64) - 33
    values = (digits.reshape(-1, 5) @ np.array([85 ** 4, 85 ** 3, 85 ** 2, 85, 1], dtype=np.uint64)) & 0xFFFFFFFF
    return values.astype(">u4").tobytes()[:len(body) // 5 * 4 - pad]


_DECODERS = {
    "FlateDecode": _flate, "Fl": _flate, "LZWDecode": _lzw, "LZW": _lzw, "RunLengthDecode": _run_length,
    "RL": _run_length, "ASCIIHexDecode": _hex, "AHx": _hex, "ASCII85Decode": _a85, "A85": _a85,
}

__all__ = ["ReadLimits", "check_pages", "check_streams"]
