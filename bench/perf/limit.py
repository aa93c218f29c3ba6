"""The list API and an organization's detail, served in-process and uncached, against their
physical limit: the same statements through the driver alone plus json.dumps
(bench.perf.replay). Rounds alternate which of the two goes first, each in a process of its
own, so that neither has the machine's quieter moments to itself.

measure() runs the processes; combine() is pure (tests/website/test_bench_perf.py).
"""

import json
import subprocess
import tempfile
from pathlib import Path

from bench.perf.server import BIN, ROOT
from bench.perf.stats import percentile, ratio, spread


def python(module, *args, environment, log):
    with open(log, "a") as output:
        subprocess.run(
            [str(BIN / "python"), "-m", module, *map(str, args)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=True,
        )


def read(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def measure(environment, paths, rounds, seconds, log):
    """{"paths": {name: path}, "rounds": [{"served": {path: ...}, "replayed": {path: [ms]}}],
    "statements": what the first round captured}. `environment` is the site's without
    REDIS_URL; `seconds` per path, side and round."""
    ordered = list(paths.values())
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-limit-") as folder:
        captured = Path(folder) / "statements.json"
        for number in range(rounds):
            served, replayed = Path(folder) / "served.json", Path(folder) / "replayed.json"
            steps = [
                ("bench.perf.inprocess", served, seconds, *ordered),
                ("bench.perf.replay", captured, seconds, replayed),
            ]
            # The first round, served first, captures the statements every round replays.
            for module, *args in steps if number % 2 == 0 else reversed(steps):
                python(module, *args, environment=environment, log=log)
                if number == 0 and module == "bench.perf.inprocess":
                    captured.write_bytes(served.read_bytes())
            this = read(served)
            changed = [
                path
                for path in ordered
                if this["paths"][path]["statements"] != read(captured)["paths"][path]["statements"]
            ]
            if changed:
                raise RuntimeError(f"Round {number + 1} issued other statements for {changed}")
            results.append({"served": this["paths"], "replayed": read(replayed)})
    return {"paths": paths, "rounds": results}


def combine(measured):
    """{name: {"path", "status", "statements": how many, "served_ms" and "limit_ms": the
    median of the rounds' medians with their spread, "times": each round's served / limit,
    their median and spread}}."""
    combined = {}
    for name, path in measured["paths"].items():
        served = [
            percentile(each["served"][path]["samples_ms"], 0.5) for each in measured["rounds"]
        ]
        limit = [percentile(each["replayed"][path], 0.5) for each in measured["rounds"]]
        first = measured["rounds"][0]["served"][path]
        served_ms, limit_ms = spread(served), spread(limit)
        per_round = spread([ratio(one, other) for one, other in zip(served, limit, strict=True)])
        combined[name] = {
            "path": path,
            "status": first["status"],
            "statements": len(first["statements"]),
            "served_ms": served_ms,
            "limit_ms": limit_ms,
            "times": per_round,
        }
    return combined
