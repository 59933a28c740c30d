"""File names of any bytes: kept losslessly inside, shown escaped outside.

On POSIX a file name is bytes. Python turns the bytes that are not UTF-8 into lone
surrogates (U+DC80–U+DCFF, the ``surrogateescape`` error handler), so a ``str`` path
round-trips to the same file. Such a string cannot be encoded as UTF-8, printed, put in
an RDF literal or sent as JSON, so:

* ``shown(name)`` is what people see (messages, RDF literals, web JSON): every
  undecodable byte as ``\\xNN``, any other lone surrogate as ``\\uXXXX``;
* ``json_bytes(obj)`` writes JSON that keeps such names losslessly (``\\udcff`` escapes,
  read back by ``json.loads`` as the same string) and is valid UTF-8;
* the ``"budgetkg-shown"`` codec error handler does what ``shown`` does, for streams
  (``sys.stdout.reconfigure(errors="budgetkg-shown")``).
"""
from __future__ import annotations

import codecs
import json
import os
import re

ERRORS = "budgetkg-shown"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _handler(err: UnicodeError):
    if isinstance(err, UnicodeEncodeError):
        return "".join(_escape(c) for c in err.object[err.start:err.end]), err.end
    raise err


codecs.register_error(ERRORS, _handler)


def shown(name: object) -> str:
    """``name`` (a path or text, possibly from undecodable bytes) as printable text."""
    text = os.fsdecode(name) if isinstance(name, (bytes, os.PathLike)) else str(name)
    return _SURROGATE.sub(lambda m: _escape(m.group()), text)


def json_text(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with its lone surrogates written as ``\\uXXXX`` escapes."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_bytes(obj, **kwargs) -> bytes:
    """``obj`` as UTF-8 JSON, readable Chinese kept, names of any bytes kept losslessly."""
    return json_text(json.dumps(obj, ensure_ascii=False, **kwargs)).encode("utf-8")


def show_in_streams(*streams) -> None:
    """Make text streams (default: stdout, stderr) print such names escaped instead of failing."""
    import sys

    for stream in streams or (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=ERRORS)


__all__ = ["shown", "json_text", "json_bytes", "show_in_streams", "ERRORS"]
