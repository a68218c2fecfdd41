"""A gunicorn server on loopback and a stdlib thread-pool load generator."""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
WORKERS = 2  # one per core on the reference machine; fixed so runs compare


def _free_port() -> int:
    """A free port on loopback, from TEST_PORT_RANGE (e.g. 8240-8279) when it is set."""
    low, _, high = os.environ.get("TEST_PORT_RANGE", "").partition("-")
    for port in range(int(low), int(high) + 1) if low and high else [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {os.environ['TEST_PORT_RANGE']}")


@contextmanager
def gunicorn(*, workers: int = WORKERS, **settings: str):
    """Serve studio.wsgi with deploy/gunicorn.conf.py on 127.0.0.1 (DEBUG off; settings are
    extra environment variables); yields the port."""
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "SECURE_SSL_REDIRECT": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "ERROR",  # 409s are expected in (f); keep the table readable
        "GUNICORN_MAX_REQUESTS": "0",
        **settings,
    }
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn_bin, "-c", "deploy/gunicorn.conf.py", "studio.wsgi"]
    with serving(command, cwd=BASE, env=env, port=port):
        yield port


@contextmanager
def serving(command: list[str], *, cwd, env: dict, port: int):
    """Run a server process until the block ends, once its /healthz on `port` answers 200."""
    proc = subprocess.Popen(command, cwd=cwd, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = request(port, "GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start")
            time.sleep(0.2)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def request(port, method, path, body=None, headers=None, conn=None):
    """One HTTP request; returns (status, body bytes)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


@dataclass
class Load:
    requests: int
    seconds: float
    statuses: dict[int, int]
    latencies: list[float]  # seconds, sorted

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, p: float) -> float:
        return self.latencies[min(len(self.latencies) - 1, int(len(self.latencies) * p))] * 1000


def hammer(port: int, path: str, *, threads: int, requests: int, max_seconds: float) -> Load:
    """GET `path` from `threads` threads until `requests` are done or `max_seconds` pass."""
    jobs = [(port, "GET", path, None, None)] * requests
    return run_jobs(jobs, threads=threads, max_seconds=max_seconds)


def run_jobs(jobs, *, threads: int, max_seconds: float) -> Load:
    """Run (port, method, path, body, headers) jobs on a thread pool, one connection each
    (gunicorn's sync workers close after each response); a bounded count and time."""
    deadline = time.monotonic() + max_seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    def one(job):
        if time.monotonic() > deadline:
            return None
        began = time.perf_counter()
        status, body = request(*job)
        return status, time.perf_counter() - began, body

    began = time.perf_counter()
    results = []
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for result in pool.map(one, jobs):
            if result is not None:
                status, latency, body = result
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(latency)
                results.append((status, body))
    seconds = time.perf_counter() - began
    load = Load(len(latencies), seconds, statuses, sorted(latencies))
    load.results = results  # type: ignore[attr-defined]
    return load


@dataclass
class Arrival:
    """One request of an open-loop load, and what came of it."""

    at: float  # seconds after the start, when it is due
    kind: str  # what it is, for the report ("read", "booking")
    method: str
    path: str
    body: bytes | None = None
    headers: dict | None = None
    status: int = 0
    latency: float = 0.0  # seconds from when it was due (queueing in the client counts)
    cache_status: str = ""
    response: bytes = b""


def open_loop(port: int, arrivals: list[Arrival], *, threads: int = 64) -> float:
    """Send each arrival at its time, whatever the server's pace (open loop: a slow answer
    does not slow the arrivals, as with real visitors), one connection each. Fills in the
    arrivals' results; returns the seconds it took."""
    arrivals = sorted(arrivals, key=lambda a: a.at)
    lock = threading.Lock()

    def send(arrival: Arrival, due: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(
                arrival.method, arrival.path, body=arrival.body, headers=arrival.headers or {}
            )
            response = conn.getresponse()
            body = response.read()
            with lock:
                arrival.status, arrival.response = response.status, body
                arrival.cache_status = response.getheader("Cache-Status", "")
        except OSError:
            arrival.status = -1
        finally:
            arrival.latency = time.perf_counter() - due
            conn.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for arrival in arrivals:
            due = began + arrival.at
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            pool.submit(send, arrival, due)
    return time.perf_counter() - began


def percentile(values: list[float], p: float) -> float:
    """The p-th fraction (0.95) of values, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000 if ordered else 0.0
