"""Measure the peer and Tonic on the same data in one run, then print one table.

Each side runs in its own process and venv and prints one JSON line (measure_peer.py,
measure_tonic.py); this driver only picks the window, starts them and compares. Standard library
only. Started by bench/peer/run, which sets up both venvs.
"""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PEER_PYTHON = ROOT / "var" / "bench-peer" / "venv" / "bin" / "python"
TONIC_PYTHON = ROOT / ".venv" / "bin" / "python"
ZONE = os.environ.get("BENCH_ZONE", "Europe/London")
RUNS = os.environ.get("BENCH_RUNS", "15")
TARGET = 50  # issue 9: Tonic at least 50x faster for a month of availability


def side(python: Path, script: str, first: str) -> dict:
    env = {**os.environ, "BENCH_FIRST": first, "BENCH_ZONE": ZONE, "BENCH_RUNS": RUNS}
    done = subprocess.run(
        [str(python), str(HERE / script)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        sys.exit(f"{script} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1])


def served(peer: dict, tonic: dict, width: int) -> None:
    """The rows under gunicorn: the endpoint's requests/s as a share of a trivial view's."""
    day, workers, threads = (peer["gunicorn"][k] for k in ("day", "workers", "threads"))
    print("-" * width)
    print(
        f"one-day (peer, {day}) / month (Tonic) share of a trivial view's throughput, "
        f"gunicorn {workers} sync workers, {threads} client threads"
    )
    for label, key in (
        ("as served", "gunicorn"),
        ("computed (Tonic's cache off)", "gunicorn_computed"),
    ):
        both = (peer["gunicorn"], tonic[key])  # the peer has no cache: the same figures twice
        rows = {
            f"  {label}": [f"{f['endpoint_rps'] / f['trivial_rps']:.1%}" for f in both],
            "    requests/s, endpoint / trivial view": [
                f"{f['endpoint_rps']:.0f} / {f['trivial_rps']:.0f}" for f in both
            ],
            "    slots": [f["slots"] for f in both],
        }
        for name, cells in rows.items():
            print(f"{name:<55} {cells[0]:>26} {cells[1]:>16}")
    print("trivial view: GET /healthz, one SELECT 1 (Tonic's also pings its Celery broker)")
    print("-" * width)


def main() -> None:
    # Two days ahead, so that neither side's notice or "not today" rule can cut a day.
    first = (datetime.now(ZoneInfo(ZONE)) + timedelta(days=2)).date()
    last = first + timedelta(days=30)
    print(
        f"Peer benchmark: 1 staff member 08:00-20:00, a 30-minute service, 300 confirmed "
        f"bookings; 31 days {first}..{last} ({ZONE}); SQLite; median of {RUNS} runs",
        flush=True,
    )
    peer = side(PEER_PYTHON, "measure_peer.py", first.isoformat())
    tonic = side(TONIC_PYTHON, "measure_tonic.py", first.isoformat())

    rows = [  # (label, prefix of Tonic's figures' keys; the peer has no cache)
        ("month, in process (the availability computation)", ""),
        ("month, test client (peer 31 x 1 day, Tonic 1 x 31 days)", "http_"),
        ("  the same, Tonic answering from its availability cache", "cached_"),
    ]
    head = f"{'':<55} {peer['name']:>26} {'Tonic':>16} {'peer / Tonic':>13}"
    print(head)
    print("-" * len(head))
    for label, key in rows:
        theirs = "http_" if key == "cached_" else key
        ratio = peer[f"{theirs}ms"] / tonic[f"{key}ms"]
        cells = [
            f"{peer[theirs + 'ms']:.1f} ms, {peer[theirs + 'queries']} q",
            f"{tonic[key + 'ms']:.1f} ms, {tonic[key + 'queries']} q",
        ]
        verdict = "ok" if ratio >= TARGET else "BELOW TARGET"
        print(f"{label:<55} {cells[0]:>26} {cells[1]:>16} {ratio:>12.0f}x  {verdict}")
        print(f"{'  slots':<55} {peer[theirs + 'slots']:>26} {tonic[key + 'slots']:>16}")
    print(f"target: peer / Tonic >= {TARGET}x for a month of availability")
    served(peer, tonic, len(head))
    print(f"Django {peer['django']} (peer venv), {tonic['django']} (Tonic .venv)")

    only_peer = sorted(set(peer["starts"]) - set(tonic["starts"]))
    only_tonic = sorted(set(tonic["starts"]) - set(peer["starts"]))
    if only_peer or only_tonic:
        sys.exit(f"the slot starts differ: only peer {only_peer[:5]}, only Tonic {only_tonic[:5]}")
    print(f"same {len(peer['starts'])} slot starts on both sides")


if __name__ == "__main__":
    main()
