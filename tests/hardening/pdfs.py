"""PDFs written byte by byte for the reading-budget tests (no PDF library involved)."""
from __future__ import annotations

import zlib

MiB = 1024 ** 2


def deflate_zeros(total: int, block: int = MiB) -> bytes:
    """A zlib stream of ``total`` zero bytes, made without compressing them all.

    After a full flush the compressor forgets its history, so every further block of
    zeros compresses to the same bytes; the checksum of n zero bytes is (n mod 65521, 1).
    """
    compressor = zlib.compressobj(9)
    head = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()[:-4]
    count = total // block
    return head + body * (count - 1) + tail + (((count * block) % 65521) << 16 | 1).to_bytes(4, "big")


def pdf(pages: list[bytes], filters: str = "/FlateDecode", extra: list[bytes] = ()) -> bytes:
    """A PDF with one page per (already encoded) content stream, Helvetica as its font, and
    ``extra`` objects (unreferenced)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", *extra]
    kids = []
    for content in pages:
        page_number = len(objects) + 1
        kids.append(f"{page_number} 0 R".encode())
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {page_number + 1} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters.encode()) + content
                       + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_page(text: str) -> bytes:
    return zlib.compress(f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode("latin-1"))


def image(data: bytes, width: int = 4096) -> bytes:
    """An 8-bit grey image XObject holding ``data`` (already Flate-encoded)."""
    return (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
            b"/Filter /FlateDecode /Length %d >>\nstream\n" % (width, 1, len(data)) + data + b"\nendstream")


def bomb(inflated: int = 1600 * MiB) -> bytes:
    """One page whose content stream is ~1.6 MB on disk and ``inflated`` bytes of zeros inside."""
    return pdf([deflate_zeros(inflated)])
