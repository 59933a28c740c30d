"""What machine a benchmark ran on: every bench script prints this next to its figures."""
from __future__ import annotations

import os
import platform
from pathlib import Path

from kg.settings import usable_cores  # noqa: F401  (the bench scripts' import point: the cores ingest counts too)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def describe() -> dict:
    return {"cpu": cpu_model(), "cores": usable_cores(), "memory_gib": round(memory_gib() or 0, 1),
            "python": platform.python_version(), "os": platform.platform(), "load": load_average()}


def summary() -> str:
    info = describe()
    return (f"{info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB RAM, Python {info['python']}, "
            f"load average {info['load']:.1f}")
