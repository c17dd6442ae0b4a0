"""`make profile`: the CPU of one cold render of a registry page, and the queries of one publish, by registry size.

Run by `python -m tests.benchmarks.run profile` (the benchmark's production settings and data set) as
`python -m tests.benchmarks.cold_render`. Cold: every cache cleared (Redis and this process's versioned copies),
as right after a deploy; the renditions exist (the worker makes them on publish). CPU is this process's own
(`time.process_time`), so PostgreSQL's and Redis's time is not in it; the median of ROUNDS renders, after one
render that loads the templates.
"""

import cProfile
import io
import json
import pstats
import statistics
import sys
import time

import django

ROUNDS = 7
TOP_ENTRIES = 15
OUR_CODE = r"listing|models\.py.*(get_context|serve|index_route)|template|blocks|images|rendition|_parser"


def _caches_clear() -> None:
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()  # the version tokens too: this process's own copies are keyed by them


def _cold_get(client, url):
    _caches_clear()
    started = time.process_time()
    response = client.get(url)
    return response, (time.process_time() - started) * 1000


def _profile(client, url) -> str:
    _caches_clear()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    # Below the middleware and Wagtail's serving: where the render's own time goes.
    stats.sort_stats("cumulative").print_stats(OUR_CODE, TOP_ENTRIES)
    stats.sort_stats("tottime").print_stats(TOP_ENTRIES)
    return out.getvalue()


class _QueryCounter:
    """Counts the queries run inside it (DEBUG is off here, so Django keeps no log of them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def _publish_queries(slug: str) -> int:
    """Queries of the couple publishing one changed gift title, as the editor's publish does it."""
    from registries.models import RegistryPage

    page = RegistryPage.objects.get(slug=slug)
    raw = page.gifts.raw_data
    first_gift = next(block for block in raw if block["type"] == "gift")
    title = first_gift["value"]["title"]
    first_gift["value"]["title"] = title[:-1] if title.endswith("!") else title + "!"
    with _QueryCounter() as queries:
        page.save_revision().publish()
    return queries.count


def main(slugs: list[str]) -> dict:
    from django.test import Client

    from registries.models import RegistryPage

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    results = {}
    for slug in slugs:
        page = RegistryPage.objects.get(slug=slug)
        gifts = sum(1 for block in page.gifts.raw_data if block["type"] == "gift")
        url = page.url
        assert client.get(url).status_code == 200
        timings = []
        for _ in range(ROUNDS):
            response, cpu_ms = _cold_get(client, url)
            timings.append(cpu_ms)
        _caches_clear()
        with _QueryCounter() as queries:
            client.get(url)
        profile = _profile(client, url)
        results[slug] = {
            "gifts": gifts,
            "html_bytes": len(response.content),
            "cold_cpu_ms": round(statistics.median(timings), 1),
            "cold_cpu_ms_rounds": [round(t, 1) for t in timings],
            "cold_queries": queries.count,
            "publish_queries": _publish_queries(slug),
        }
        print(f"\n===== {slug}: {gifts} gifts, cold render profile =====\n{profile}", file=sys.stderr, flush=True)
    return results


if __name__ == "__main__":
    django.setup()
    print("BENCH_JSON " + json.dumps(main(sys.argv[1:])))
