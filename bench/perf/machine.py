"""What the machine was doing while the benchmark ran: its load averages, and the share of its
CPU time that processes other than the benchmark's took.

The benchmark's own CPU time is this process's and its descendants' (every server, client
and helper it starts is waited for before a reading, so os.times() holds their time), plus
that of the PostgreSQL backends serving its databases, which are not its children: a thread
reads them from /proc while the benchmark runs. Redis's time counts as another process's.
Linux only; elsewhere the share is None.
"""

import os
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_ticks():
    """(busy, all) CPU ticks of every core since boot, from /proc/stat."""
    fields = [int(field) for field in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


def own_seconds():
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def backend_ticks(databases):
    """{pid: CPU ticks} of the PostgreSQL backends connected to one of `databases` (their
    process title names the database)."""
    found = {}
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            title = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not title.startswith("postgres:") or not any(
                f" {name} " in title for name in databases
            ):
                continue
            fields = (folder / "stat").read_text().rsplit(")", 1)[1].split()
            found[int(folder.name)] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return found


class Machine:
    """Readings of the machine, taken with reading() between measurements (when no child of
    the benchmark is running), while a thread follows the PostgreSQL backends of `databases`
    every `interval` seconds."""

    def __init__(self, databases=(), interval=0.5):
        self.databases, self.interval = list(databases), interval
        self.backends = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._follow, daemon=True)

    def watch(self, database):
        with self._lock:
            self.databases.append(database)

    def _follow(self):
        while not self._stopped.is_set():
            with self._lock:
                databases = list(self.databases)
            if databases:
                for pid, ticks in backend_ticks(databases).items():
                    with self._lock:
                        self.backends[pid] = max(ticks, self.backends.get(pid, 0))
            self._stopped.wait(self.interval)

    def reading(self):
        try:
            busy, every = machine_ticks()
        except OSError:
            busy = every = None
        with self._lock:
            backends = sum(self.backends.values())
        return {
            "time": time.monotonic(),
            "load": list(os.getloadavg()),
            "busy": busy,
            "all": every,
            "own": own_seconds() * TICKS + backends,
        }

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped.set()
        self._thread.join()


def between(start, end):
    """What the machine did between two readings: the load averages at each end, and the
    share of all its cores' time that other processes took (0 to 1)."""
    share = None
    if start["all"] is not None and end["all"] is not None and end["all"] > start["all"]:
        other = (end["busy"] - start["busy"]) - (end["own"] - start["own"])
        share = min(1.0, max(0.0, other / (end["all"] - start["all"])))
    return {
        "seconds": end["time"] - start["time"],
        "load_before": start["load"],
        "load_after": end["load"],
        "other_cpu_share": share,
        "cpus": os.cpu_count(),
    }
