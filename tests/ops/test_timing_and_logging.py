"""Every request: a Server-Timing header, and one JSON log line per view; `timelog_report` finds the slowest views."""

import io
import json
import logging
import re

import pytest
from django.core.management import CommandError, call_command

from registries.factories import RegistryPageFactory, gift, registry_index, reserve

from .conftest import json_lines


@pytest.fixture
def registry(db):
    registry_index()
    return RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Teapot")])


def test_responses_carry_total_and_database_time(client, registry):
    response = client.get("/registries/alex-and-sam/")

    total, db = (part.strip() for part in response["Server-Timing"].split(","))
    assert total.startswith("total;dur=")
    assert db.startswith("db;dur=")
    assert db.endswith(' queries"') and 'desc="0 queries"' not in db


def test_each_request_logs_one_json_line_with_view_status_duration_queries_and_request_id(
    client, registry, stdout_log
):
    response = client.get("/registries/alex-and-sam/")

    [line] = [entry for entry in json_lines(stdout_log) if entry["logger"] == "whispergifts.timing"]
    assert line["view"] == "wagtail_serve:registries.RegistryPage"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] > 0
    assert line["queries"] == int(response["Server-Timing"].split('desc="')[1].split(" ")[0])
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert "time" in line


def test_views_are_logged_by_url_name_and_pages_by_type_and_route(client, registry, stdout_log):
    teapot = registry.gifts[0].id
    client.get("/reservations/no-such-token/")
    client.get("/no/such/page/")
    client.get(f"/registries/alex-and-sam/reserve/{teapot}/")
    client.post(f"/registries/alex-and-sam/reserve/{teapot}/", {})

    timings = [entry for entry in json_lines(stdout_log) if entry["logger"] == "whispergifts.timing"]
    assert [(entry["method"], entry["view"], entry["status"]) for entry in timings] == [
        ("GET", "reservation_manage", 404),
        ("GET", "wagtail_serve", 404),
        ("GET", "wagtail_serve:registries.RegistryPage:reserve", 200),
        ("POST", "wagtail_serve:registries.RegistryPage:reserve", 200),
    ]


def test_pages_the_page_cache_answers_say_how_long_they_took_and_leave_the_log_to_the_access_log(
    client, registry, stdout_log
):
    rendered = client.get("/registries/alex-and-sam/")
    cached = client.get("/registries/alex-and-sam/")
    reserve(registry, "Teapot")
    refreshed = client.get("/registries/alex-and-sam/")

    timings = [entry for entry in json_lines(stdout_log) if entry["logger"] == "whispergifts.timing"]
    assert [entry["view"] for entry in timings] == ["wagtail_serve:registries.RegistryPage"]
    assert "db;dur=" in rendered["Server-Timing"]
    # Their own timing, not the stored one of the request that rendered the page.
    assert re.fullmatch(r'total;dur=[0-9.]+, cache;desc="hit"', cached["Server-Timing"])
    assert re.fullmatch(r'total;dur=[0-9.]+, cache;desc="refreshed"', refreshed["Server-Timing"])
    assert cached["X-Request-ID"] != rendered["X-Request-ID"]


def test_health_checks_are_timed_but_not_logged(client, db, stdout_log):
    response = client.get("/healthz")

    assert "Server-Timing" in response
    assert not [entry for entry in json_lines(stdout_log) if entry["logger"] == "whispergifts.timing"]


def test_error_responses_are_logged_with_their_request_id(client, db, stdout_log):
    response = client.get("/reservations/no-such-token/")

    [warning] = [entry for entry in json_lines(stdout_log) if entry["logger"] == "django.request"]
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == response["X-Request-ID"]


def test_errors_are_logged_on_one_line_with_their_traceback(stdout_log):
    try:
        raise ValueError("the teapot broke")
    except ValueError:
        logging.getLogger("registries").exception("Reserving failed")

    [line] = json_lines(stdout_log)
    assert line["level"] == "ERROR"
    assert line["message"] == "Reserving failed"
    assert "ValueError: the teapot broke" in line["exception"]
    assert len(stdout_log.getvalue().strip().splitlines()) == 1


def timing_line(view: str, duration_ms: float, queries: int = 3) -> str:
    return json.dumps(
        {"logger": "whispergifts.timing", "view": view, "status": 200, "duration_ms": duration_ms, "queries": queries}
    )


def test_timelog_report_ranks_views_by_95th_percentile(tmp_path):
    logfile = tmp_path / "site.log"
    lines = [timing_line("registry", float(ms)) for ms in range(1, 101)]  # median 50.5, p95 95
    lines += [timing_line("home", 200.0, queries=1)] * 3
    lines += ['127.0.0.1 "GET / HTTP/1.1" 200 (a gunicorn line)', '{"logger": "django.request", "message": "x"}']
    logfile.write_text("\n".join(lines) + "\n")
    out = io.StringIO()

    call_command("timelog_report", str(logfile), stdout=out)

    header, first, second = out.getvalue().splitlines()
    assert header.split() == ["view", "requests", "median", "ms", "p95", "ms", "max", "ms", "queries"]
    assert first.split() == ["home", "3", "200.0", "200.0", "200.0", "1"]
    assert second.split() == ["registry", "100", "50.5", "95.0", "100.0", "3"]


def test_timelog_report_can_rank_by_median_and_limit(tmp_path):
    logfile = tmp_path / "site.log"
    lines = [timing_line("spiky", ms) for ms in [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 900]]
    lines += [timing_line("steady", 50.0)] * 20
    logfile.write_text("\n".join(lines))
    by_p95, by_median = io.StringIO(), io.StringIO()

    call_command("timelog_report", str(logfile), stdout=by_p95)
    call_command("timelog_report", str(logfile), "--order-by", "median", "--limit", "1", stdout=by_median)

    assert [line.split()[0] for line in by_p95.getvalue().splitlines()[1:]] == ["steady", "spiky"]
    assert [line.split()[0] for line in by_median.getvalue().splitlines()[1:]] == ["steady"]


def test_timelog_report_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Can't read .*missing.log"):
        call_command("timelog_report", str(tmp_path / "missing.log"))


def test_timelog_report_says_when_a_file_has_no_timings(tmp_path):
    logfile = tmp_path / "other.log"
    logfile.write_text("nothing to see\n")
    out = io.StringIO()

    call_command("timelog_report", str(logfile), stdout=out)

    assert "No view timings in" in out.getvalue()
