"""Result rows and the printed table."""

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")


def scale(full: int, quick: int) -> int:
    """A size: `quick` under BENCH_QUICK=1, else `full`."""
    return quick if QUICK else full


@dataclass
class Row:
    key: str  # (a)..(f)
    what: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: no target

    def line(self) -> str:
        verdict = "" if self.ok is None else (" ok" if self.ok else " MISSED")
        return f"{self.key} {self.what}: {self.value}{verdict}"


class Table:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def print(self, *, seconds: float, database: str) -> None:
        uname = platform.uname()
        print()
        print(
            f"Tonic benchmarks {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {database}, "
            f"broker {os.environ.get('CELERY_BROKER_URL', 'filesystem://').split(':')[0]}, "
            f"{uname.system} {uname.machine}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}{', QUICK' if QUICK else ''}, run {seconds:.0f} s"
        )
        headers = ("", "benchmark", "result", "target", "")
        cells = [
            (r.key, r.what, r.value, r.target, "" if r.ok is None else ("ok" if r.ok else "MISSED"))
            for r in self.rows
        ]
        widths = [max(len(str(c[i])) for c in [headers, *cells]) for i in range(5)]
        sep = "|".join("-" * (w + 2) for w in widths)
        print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
        print(f"|{sep}|")
        for c in cells:
            print("| " + " | ".join(str(v).ljust(w) for v, w in zip(c, widths, strict=True)) + " |")
