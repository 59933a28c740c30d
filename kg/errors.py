"""Errors that reach users. Each message says what happened and what to do.

Library code raises these; only ``cli.py`` turns them into printed messages and exit
codes. Messages are Chinese first with an English gloss where it helps.
"""
from __future__ import annotations

from kg.filenames import shown


class BudgetKGError(Exception):
    """Base of every error a user may see. ``str(err)`` is the user message."""

    exit_code = 1


class UsageError(BudgetKGError):
    """Wrong arguments or settings; the message lists the valid choices."""

    exit_code = 2


class InputFileError(BudgetKGError):
    """A user's file could not be read as a budget report. One line: file and reason."""

    reason = "无法读取 (unreadable)"

    def __init__(self, path: str, detail: str | None = None):
        self.path = str(path)
        self.detail = detail
        text = f"{shown(self.path)}: {self.reason}"
        if detail:
            text += f" — {detail}"
        super().__init__(text)


class MissingFile(InputFileError):
    reason = "文件或文件夹不存在 (no such file or folder)"


class EmptyFile(InputFileError):
    reason = "空文件 (empty file)"


class NoTextLayer(InputFileError):
    reason = "扫描图像，没有文本层，不支持 OCR (a scanned image without a text layer: OCR is not supported)"


class EncryptedFile(InputFileError):
    reason = "文件已加密 (encrypted PDF: decrypt it first)"


class CorruptFile(InputFileError):
    reason = "文件损坏或不完整 (corrupt or truncated file)"


class UnsupportedFormat(InputFileError):
    reason = "不支持的文件格式 (unsupported format: use .pdf, .txt or .md)"


class NotABudgetReport(InputFileError):
    reason = "不是预算/决算公开报告 (not a budget or final-accounts report)"


class OverBudget(InputFileError):
    """The file is larger than the reading budget (pages, decompressed bytes): refused unread."""

    reason = "超出读取上限，未读取 (over the reading budget: not read)"


class StoreError(BudgetKGError):
    """The store folder is missing, locked, from another version or unreachable."""


class StoreLocked(StoreError):
    """Another process is writing the store and the caller chose not to wait (``--no-wait``)."""


class QueryError(BudgetKGError):
    """A SPARQL query is malformed or failed; the message carries line/column."""

    exit_code = 2


class ServiceNotAllowed(QueryError):
    """A query would make the server fetch from another host (SERVICE, LOAD) not allowed."""


class EntityNotFound(BudgetKGError):
    """A named unit/project/document is not in the corpus; ``candidates`` lists near names."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        self.candidates = candidates or []
        super().__init__(message)


class ModelMismatch(BudgetKGError):
    """The embedding model differs from the one the index was built with."""
