"""One writer at a time per store folder: an advisory lock file held with ``fcntl.flock``.

The lock lives on an open file description, so the kernel drops it when the holder exits
or is killed: a crashed writer never leaves a stale lock behind. The holder writes its pid
into the file so that a waiting writer can say whom it waits for. Readers never take it.

Worker processes forked while the lock is held close their inherited descriptor, so a
killed writer's orphaned children cannot keep the store locked.
"""
from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kg.errors import StoreLocked

LOCK_FILE = "writer.lock"

_held: set[int] = set()


def _close_in_child() -> None:
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


def waiting_message(pid: str) -> str:
    return f"存储正被另一个 budgetkg 进程写入，等待中… (store locked by pid {pid}, waiting)"


def _holder(fd: int) -> str:
    """The pid the holder wrote (it may not have written it yet: retried briefly)."""
    for _ in range(20):
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if text:
            return text
        time.sleep(0.01)
    return "?"


class StoreLock:
    """The writer lock of the store in ``folder``; ``acquire`` then ``release`` (or ``with``)."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / LOCK_FILE
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> "StoreLock":
        """Take the lock; when another process has it, wait (saying so once through ``on_wait``,
        stderr by default) or, with ``wait=False``, raise ``StoreLocked``."""
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _holder(fd)
                if not wait:
                    raise StoreLocked(f"存储 {self.path.parent} 正被另一个 budgetkg 进程（pid {pid}）写入；"
                                      f"因 --no-wait 不等待，请稍后再试 (store locked by pid {pid}; "
                                      f"not waiting because of --no-wait)") from None
                message = waiting_message(pid)
                if on_wait is None:
                    print(message, file=sys.stderr, flush=True)
                else:
                    on_wait(message)
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        _held.add(fd)
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _held.discard(fd)
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)

    def __enter__(self) -> "StoreLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def holder_pid(folder: str | Path) -> str | None:
    """The pid of the process writing the store now, or ``None`` when nobody holds the lock."""
    path = Path(folder) / LOCK_FILE
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


__all__ = ["StoreLock", "LOCK_FILE", "holder_pid", "waiting_message"]
