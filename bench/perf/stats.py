"""Figures from timings: percentiles, a run's summary, ratios. No I/O, no Django."""


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


def ratio(value, reference):
    """value / reference, or None when either is missing or the reference is zero."""
    if value is None or not reference:
        return None
    return value / reference
