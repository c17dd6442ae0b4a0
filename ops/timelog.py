"""Read the view-timing log lines back and find the slowest views (what django-timelog's report did)."""

import json
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

TIMING_LOGGER = "whispergifts.timing"


@dataclass(frozen=True)
class ViewTimings:
    view: str
    requests: int
    median_ms: float
    p95_ms: float
    max_ms: float
    median_queries: float


def timings_from_lines(lines: Iterable[str]) -> dict[str, list[tuple[float, int]]]:
    """(duration_ms, queries) per view, from JSON log lines; other lines (gunicorn, supervisor) are skipped."""
    by_view = defaultdict(list)
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if entry.get("logger") != TIMING_LOGGER or "view" not in entry or "duration_ms" not in entry:
            continue
        by_view[entry["view"]].append((float(entry["duration_ms"]), int(entry.get("queries", 0))))
    return by_view


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value at least `fraction` of the values are at or below."""
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def slowest_views(lines: Iterable[str], *, order_by: str = "p95_ms") -> list[ViewTimings]:
    summaries = []
    for view, samples in timings_from_lines(lines).items():
        durations = [duration for duration, _ in samples]
        summaries.append(
            ViewTimings(
                view=view,
                requests=len(samples),
                median_ms=statistics.median(durations),
                p95_ms=percentile(durations, 0.95),
                max_ms=max(durations),
                median_queries=statistics.median(queries for _, queries in samples),
            )
        )
    return sorted(summaries, key=lambda summary: getattr(summary, order_by), reverse=True)
