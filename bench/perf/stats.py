"""Figures from timings: percentiles, a run's summary, rounds combined, ratios. No I/O, no
Django."""


def percentile(samples, fraction):
    """The value below which `fraction` (0..1) of the samples lie, interpolating between the
    two nearest ranks (as numpy's default does). None for no samples."""
    if not samples:
        return None
    ordered = sorted(samples)
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def spread(values):
    """One figure measured in several rounds: the median of the rounds' values, with the
    lowest and the highest of them (None where there are none)."""
    values = [value for value in values if value is not None]
    if not values:
        return {"median": None, "low": None, "high": None}
    return {"median": percentile(values, 0.5), "low": min(values), "high": max(values)}


def summary(latencies_ms, errors, seconds, cache_hits=0):
    """One endpoint's run: median and 99th percentile in ms, requests per second (answers of
    any status, over the whole time), the count of answers that were not 200, and the share
    of answers served from the cache."""
    count = len(latencies_ms)
    return {
        "median_ms": percentile(latencies_ms, 0.5),
        "p99_ms": percentile(latencies_ms, 0.99),
        "rps": count / seconds if seconds else None,
        "requests": count,
        "errors": sum(errors.values()),
        "statuses": errors,
        "cache_hit_share": cache_hits / count if count else None,
    }


def over_rounds(rounds):
    """One endpoint timed in interleaved rounds, each {"latencies_ms", "errors", "seconds",
    "cache_hits"} as bench.perf.client writes it: summary()'s figures, where the median and
    the rate are the median of the rounds' own (a slow round, another process's burst, moves
    it less than it moves a pooled median), each with its spread over the rounds; the 99th
    percentile, the errors and the cache's share are taken over every request."""
    each = [
        summary(one["latencies_ms"], one["errors"], one["seconds"], one.get("cache_hits", 0))
        for one in rounds
    ]
    latencies = [latency for one in rounds for latency in one["latencies_ms"]]
    statuses = {}
    for one in rounds:
        for status, count in one["errors"].items():
            statuses[status] = statuses.get(status, 0) + count
    pooled = summary(
        latencies,
        statuses,
        sum(one["seconds"] for one in rounds),
        sum(one.get("cache_hits", 0) for one in rounds),
    )
    medians, rates = (
        spread([one["median_ms"] for one in each]),
        spread([one["rps"] for one in each]),
    )
    return {
        **pooled,
        "median_ms": medians["median"],
        "median_ms_spread": [medians["low"], medians["high"]],
        "rps": rates["median"],
        "rps_spread": [rates["low"], rates["high"]],
        "rounds": len(rounds),
    }


def ratio(value, reference):
    """value / reference, or None when either is missing or the reference is zero."""
    if value is None or not reference:
        return None
    return value / reference
