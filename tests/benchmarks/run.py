"""`make bench`: the site under gunicorn with production settings, driven by wrk, beside two references.

Prints a table and writes tests/benchmarks/results/latest.json (ignored by git). README: "Reading `make bench`".
"""

import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.benchmarks import PUBLISH_HEADER, RESERVATION_HEADER

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "tests" / "benchmarks" / "results"
PORT = int(os.environ.get("BENCH_PORT", "8400"))
DURATION = os.environ.get("BENCH_DURATION", "5s")
# Every scenario is measured once per round, beside the references; the table shows medians over the rounds,
# so a burst of noise from elsewhere on the machine moves one round, not the result.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = 32
BASE = f"http://127.0.0.1:{PORT}"
REFERENCE_STATIC = "bench/reference.html"

# name, what it measures, target as a ratio of the static file's requests/s, and limits on one response's
# HTML bytes and queries (None: no limit)
SCENARIOS = [
    ("home", "Home page (anonymous, warm)", 0.6, None, None),
    ("marketing", "Marketing page (anonymous, warm)", 0.6, None, None),
    ("registry", "Registry page, 200 gifts (warm cache)", 0.6, None, None),
    ("after_reservation", "Registry page right after a reservation", 0.1, None, 10),
    ("scale_registry", "Registry of 1,000 gifts, first page (warm cache)", 0.6, 100_000, None),
    ("scale_after_publish", "Registry of 1,000 gifts, right after a publish", 0.05, None, None),
    ("search", "Search results (5,050 listed couples)", 0.1, None, None),
    ("search_uncached", "Search, 5,050 listed couples, never the same query", 0.05, None, None),
    ("reserve", f"Reservation POSTs, {CONNECTIONS} concurrent clients", 0.05, None, None),
]

REPORT_LUA = r"""
wrk.headers["X-Forwarded-Proto"] = "https"
local threads = {}
setup = function(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end
response = function(status, headers, body)
    if status == 302 then created = (created or 0) + 1
    elseif status == 409 then refused = (refused or 0) + 1
    elseif status ~= 200 then failed = (failed or 0) + 1 end
end
done = function(summary, latency, requests)
    local c, r, f = 0, 0, 0
    for _, thread in ipairs(threads) do
        c = c + (thread:get("created") or 0)
        r = r + (thread:get("refused") or 0)
        f = f + (thread:get("failed") or 0)
    end
    io.write(string.format(
        'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "socket_errors": %d, ' ..
        '"created": %d, "refused": %d, "failed": %d}\n',
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, c, r, f))
end
"""

UNIQUE_QUERY_LUA = r"""
counter = 0
request = function()
    counter = counter + 1
    return wrk.format("GET", wrk.path .. "&n=" .. id .. "-" .. counter)
end
"""

HEADER_LUA = r"""
wrk.headers["%(header)s"] = "%(registry_id)d"
"""

RESERVE_LUA = r"""
paths = {%(paths)s}
init = function(args)
    math.randomseed(os.time() * 100 + id)
end
local function uuid4()
    return string.format("%%08x-%%04x-4%%03x-%%04x-%%06x%%06x", math.random(0, 0xffffffff), math.random(0, 0xffff),
        math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff), math.random(0, 0xffffff), math.random(0, 0xffffff))
end
request = function()
    local path = paths[math.random(#paths)]
    local body = "name=Bench+Guest&email=guest%%40example.com&quantity=1&message=&idempotency_key=" .. uuid4() ..
        "&csrfmiddlewaretoken=%(token)s"
    return wrk.format("POST", path, {
        ["X-Forwarded-Proto"] = "https",
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = "csrftoken=%(cookie)s",
        ["Referer"] = "https://127.0.0.1:%(port)d" .. path,
    }, body)
end
"""


def main() -> int:
    if sys.argv[1:] == ["profile"]:
        return profile()
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk is not installed: `make bench` installs it (apt-get install wrk).")
    workdir = Path(tempfile.mkdtemp(prefix="whispergifts-bench-"))
    env = environment(workdir)
    print(f"Database: {_describe(env['DATABASE_URL'])}; cache and broker: Redis, {_describe(env['REDIS_URL'])}")

    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    print(
        "Building the data set, or reusing this database's (registries of 50, 200 and 1,000 gifts with images, "
        "5,050 listed couples, the demo pages)…",
        flush=True,
    )
    dataset = python_json(env, "tests.benchmarks.dataset", "build")
    reference = ROOT / "staticfiles" / REFERENCE_STATIC
    reference.parent.mkdir(parents=True, exist_ok=True)
    reference.write_bytes(b"x" * dataset["registry_bytes"])
    env["BENCH_REFERENCE_BYTES"] = str(dataset["registry_bytes"])

    workers = max(2, os.cpu_count() or 1)
    server = _start_gunicorn(env, workers=workers)
    try:
        print("Measuring…")
        token, cookie = _csrf(dataset["reserve_paths"][0])
        scripts = {
            "report": REPORT_LUA,
            "unique": REPORT_LUA + UNIQUE_QUERY_LUA,
            "after_reservation": REPORT_LUA
            + HEADER_LUA % {"header": RESERVATION_HEADER, "registry_id": dataset["registry_id"]},
            "scale_after_publish": REPORT_LUA
            + HEADER_LUA % {"header": PUBLISH_HEADER, "registry_id": dataset["scale_registry_id"]},
            "reserve": REPORT_LUA
            + RESERVE_LUA
            % {
                "paths": ", ".join(f'"{path}"' for path in dataset["reserve_paths"]),
                "token": token,
                "cookie": cookie,
                "port": PORT,
            },
        }
        for name, text in scripts.items():
            (workdir / f"{name}.lua").write_text(text)

        rounds = []
        for number in range(1, ROUNDS + 1):
            print(f"Round {number} of {ROUNDS}", flush=True)
            rounds.append(_measure_round(wrk, workdir, dataset))
    finally:
        server.terminate()
        server.wait(timeout=30)
        reference.unlink(missing_ok=True)
    verified = python_json(env, "tests.benchmarks.dataset", "verify")

    report = _report(_medians(rounds), dataset, verified, workers=workers, env=env)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    _print(report)
    print(f"\nWritten to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def profile() -> int:
    """`make profile`: one cold render and one publish of registries of 50, 200 and 1,000 gifts, in-process."""
    from tests.benchmarks.dataset import BENCH_SLUG, SCALE_SLUG, SMALL_SLUG

    workdir = Path(tempfile.mkdtemp(prefix="whispergifts-profile-"))
    env = environment(workdir)
    print(f"Database: {_describe(env['DATABASE_URL'])}; cache and broker: Redis, {_describe(env['REDIS_URL'])}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    python_json(env, "tests.benchmarks.dataset", "build")
    results = python_json(env, "tests.benchmarks.cold_render", SMALL_SLUG, BENCH_SLUG, SCALE_SLUG)
    print(f"\n{'gifts':>6} {'HTML bytes':>11} {'cold CPU ms':>12} {'cold queries':>13} {'publish queries':>16}")
    for row in results.values():
        print(
            f"{row['gifts']:>6,} {row['html_bytes']:>11,} {row['cold_cpu_ms']:>12.1f} {row['cold_queries']:>13} "
            f"{row['publish_queries']:>16}"
        )
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def environment(workdir: Path) -> dict:
    """Production settings with throw-away secrets; pictures kept per database, as the data set is."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.benchmarks.settings",
        SECRET_KEY=secrets.token_urlsafe(64),  # throw-away: production settings refuse to start without one
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
    )
    # Production insists on Postmark's secrets; the benchmark keeps every email on this machine.
    env.setdefault("POSTMARK_SERVER_TOKEN", "bench-token-never-used")
    env.setdefault("ANYMAIL_WEBHOOK_SECRET", "bench:never-used")
    env.setdefault("TRUSTED_PROXY_HOPS", "0")  # wrk talks to gunicorn itself, with no proxy between
    env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")  # production insists on a broker: this machine's Redis
    if not env.get("DATABASE_URL"):  # production settings insist on one: a throw-away SQLite file
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        env["MEDIA_ROOT"] = str(workdir / "media")
    else:
        env["MEDIA_ROOT"] = str(RESULTS / "media" / re.sub(r"\W+", "-", _describe(env["DATABASE_URL"])).strip("-"))
    return env


def _describe(url: str) -> str:
    return "SQLite (temporary file)" if url.startswith("sqlite") else re.sub(r"//[^@/]*@", "//", url)


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def python_json(env, module, *args) -> dict:
    """Run `python -m module args` and read the line it answers with; its progress (stderr) is shown as it comes."""
    output = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    return json.loads(line.removeprefix("BENCH_JSON "))


def _start_gunicorn(env, *, workers: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "tests.benchmarks.wsgi:application",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={workers}",
            "--worker-class=gthread",
            "--threads=4",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get("/robots.txt")
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _get(path: str):
    request = urllib.request.Request(BASE + path, headers={"X-Forwarded-Proto": "https"})
    return urllib.request.urlopen(request, timeout=60)


def _csrf(path: str) -> tuple[str, str]:
    response = _get(path)
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return token, cookie


def _wrk(wrk: str, script: Path, path: str, *, warm: bool = True) -> dict:
    print(f"  {path}", flush=True)
    if warm:
        _get(path).read()
    output = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout=10s", "-s", str(script), BASE + path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    _settle()
    return data


def _settle() -> None:
    """Let gunicorn finish what wrk left queued when it stopped, so it doesn't slow the next scenario down.

    (Reservation POSTs kept the static file at a third of its rate for the next few seconds.)
    """
    time.sleep(1)
    for _ in range(2 * (os.cpu_count() or 1)):  # each one waits behind whatever is still queued
        _get("/robots.txt").read()


def _measure_round(wrk: str, workdir: Path, dataset: dict) -> dict:
    measured = {
        "static": _wrk(wrk, workdir / "report.lua", f"/static/{REFERENCE_STATIC}"),
        "minimal": _wrk(wrk, workdir / "report.lua", "/__bench__/minimal/"),
    }
    for name, *_limits in SCENARIOS:
        if name == "reserve":
            measured[name] = _wrk(wrk, workdir / "reserve.lua", dataset["reserve_paths"][0], warm=False)
        elif name == "search_uncached":
            measured[name] = _wrk(wrk, workdir / "unique.lua", dataset["paths"]["search"], warm=False)
        elif name in ("after_reservation", "scale_after_publish"):
            measured[name] = _wrk(wrk, workdir / f"{name}.lua", dataset["paths"][name])
        else:
            measured[name] = _wrk(wrk, workdir / "report.lua", dataset["paths"][name])
    for data in measured.values():
        data["ratio"] = data["rps"] / measured["static"]["rps"]
    return measured


def _medians(rounds: list[dict]) -> dict:
    """Each scenario's median over the rounds (its ratio: the median of each round's own ratio); counts add up."""
    combined = {}
    for name in rounds[0]:
        runs = [measured[name] for measured in rounds]
        combined[name] = {
            **{key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_us", "p99_us", "ratio")},
            **{key: sum(run[key] for run in runs) for key in ("socket_errors", "failed", "created", "refused")},
            "ratio_per_round": [round(run["ratio"], 3) for run in runs],
        }
    return combined


def _report(measured, dataset, verified, *, workers, env) -> dict:
    rows = []
    for name, label, target, max_bytes, max_queries in [
        ("static", "Reference: static file, same size, WhiteNoise", None, None, None),
        ("minimal", "Reference: minimal Django view, same size", None, None, None),
        *SCENARIOS,
    ]:
        data = measured[name]
        one_response = dataset["measured"].get(name, {"bytes": dataset["registry_bytes"], "queries": 0})
        row = {
            "scenario": name,
            "label": label,
            "rps": round(data["rps"], 1),
            "p50_ms": round(data["p50_us"] / 1000, 2),
            "p99_ms": round(data["p99_us"] / 1000, 2),
            "ratio": round(data["ratio"], 3),
            "ratio_per_round": data["ratio_per_round"],
            "target_ratio": target,
            "bytes": one_response["bytes"],
            "target_bytes": max_bytes,
            "queries": one_response["queries"],
            "target_queries": max_queries,
            "socket_errors": data["socket_errors"],
            "http_errors": data["failed"],
        }
        if name == "reserve":
            row.update(created=data["created"], refused_sold_out=data["refused"], **verified)
        row["met"] = target is None or (
            row["ratio"] >= target
            and not data["failed"]
            and (max_bytes is None or row["bytes"] <= max_bytes)
            and (max_queries is None or row["queries"] <= max_queries)
            and not row.get("over_reserved_gifts")
        )
        rows.append(row)
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "database": _describe(env["DATABASE_URL"]),
        "cache": _describe(env["REDIS_URL"]),
        "gunicorn": f"{workers} gthread workers × 4 threads",
        "wrk": f"2 threads, {CONNECTIONS} connections, {DURATION} per scenario and round, median of {ROUNDS} rounds",
        "cpus": os.cpu_count(),
        "registry_page_bytes": dataset["registry_bytes"],
        "rows": rows,
    }


def _print(report: dict) -> None:
    print(
        f"\n{report['database']} · {report['cache']} cache · gunicorn {report['gunicorn']} · wrk {report['wrk']}"
        f" · {report['cpus']} CPUs · registry page {report['registry_page_bytes']:,} bytes\n"
    )
    header = (
        f"{'Scenario':<52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× static':>9} {'target':>8} "
        f"{'bytes':>9} {'queries':>7}  met"
    )
    print(header)
    print("-" * len(header))
    for row in report["rows"]:
        target = f"≥ {row['target_ratio']}" if row["target_ratio"] is not None else ""
        met = "" if row["target_ratio"] is None else ("yes" if row["met"] else "NO")
        print(
            f"{row['label']:<52} {row['rps']:>9,.1f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['ratio']:>9.3f} {target:>8} {row['bytes']:>9,} {row['queries']:>7}  {met}"
        )
        limits = [
            f"HTML ≤ {row['target_bytes']:,} bytes" if row["target_bytes"] else "",
            f"queries ≤ {row['target_queries']}" if row["target_queries"] else "",
        ]
        if any(limits):
            print(f"{'':<4}target: {', '.join(limit for limit in limits if limit)}")
        if "created" in row:
            print(
                f"{'':<4}reserved: {row['created']:,}, refused as sold out: {row['refused_sold_out']:,}, "
                f"over-reserved gifts: {row['over_reserved_gifts']} (target 0), "
                f"errors: {row['http_errors'] + row['socket_errors']}"
            )


if __name__ == "__main__":
    sys.exit(main())
