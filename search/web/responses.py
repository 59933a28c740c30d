"""JSON responses of the web server: Chinese kept readable, the CLI's conversions, and
errors as ``{"error": code, "message": text}``."""
from __future__ import annotations

import json
import re

from fastapi.responses import JSONResponse

from kg.filenames import shown
from kg.model import json_default

_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(data) -> bytes:
    """UTF-8 JSON; a file name that is not UTF-8 is shown escaped (``\\xNN``), as in the CLI."""
    text = json.dumps(data, ensure_ascii=False, default=json_default)
    return _SURROGATE.sub(lambda m: shown(m.group()).replace("\\", "\\\\"), text).encode("utf-8")


class JSON(JSONResponse):
    def render(self, content) -> bytes:
        return dumps(content)


def error(status: int, code: str, message: str, headers: dict | None = None, **extra) -> JSON:
    return JSON({"error": code, "message": message, **extra}, status_code=status, headers=headers)


__all__ = ["JSON", "dumps", "error"]
