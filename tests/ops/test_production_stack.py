"""The production stack from site/, started for real: nginx → gunicorn → Django, a Celery worker and beat.

Everything is started on free loopback ports from a throw-away environment file, the way site/README.md
tells an operator to, and stopped by pid at the end, even when a check fails.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
import psycopg
import pytest
import requests
from celery import Celery
from requests.adapters import HTTPAdapter

from tests.conftest import skip_or_fail_in_ci

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "site"
DEBIAN_PACKAGES = {  # command → Debian package
    "nginx": "nginx",
    "supervisord": "supervisor",
    "supervisorctl": "supervisor",
    "envsubst": "gettext-base",
    "openssl": "openssl",
}
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
GUEST_EMAIL = "robin.stack-test@example.org"
ONE_YEAR = 60 * 60 * 24 * 365
# Files the stack writes must be readable by nginx's workers (www-data), whatever the CI's umask.
PUBLIC_FILES = 0o022


def ensure_debian_packages() -> None:
    """Install nginx, supervisor (and the brotli_static module) with apt when they are missing."""
    missing = {package for command, package in DEBIAN_PACKAGES.items() if shutil.which(command) is None}
    if not BROTLI_MODULE.exists():
        missing.add("libnginx-mod-http-brotli-static")
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        skip_or_fail_in_ci(f"needs Debian packages {sorted(missing)} (run as root to install them)")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=apt_env, check=True, timeout=300)  # noqa: S607
    subprocess.run(  # noqa: S603
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *sorted(missing)],  # noqa: S607
        env=apt_env,
        check=True,
        timeout=600,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 (the service is still starting)
            last_error = error
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout:.0f} s (last error: {last_error!r})")


@dataclass
class StackDatabase:
    """A database of its own for the stack: a fresh PostgreSQL database beside the test one, or SQLite."""

    url: str
    admin_url: str | None = None
    name: str | None = None

    @classmethod
    def create(cls, directory: Path) -> "StackDatabase":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            return cls(url=f"sqlite:///{directory / 'stack.sqlite3'}")
        config = dj_database_url.parse(url)
        name = f"{config['NAME']}_stack"
        database = cls(url=urlparse(url)._replace(path=f"/{name}").geturl(), admin_url=url, name=name)
        database.drop()
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return database

    def drop(self) -> None:
        if self.name is None:
            return
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class SourceAddressAdapter(HTTPAdapter):
    """Connections from a chosen local address, so nginx sees more than one client."""

    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


@dataclass
class Stack:
    directory: Path
    env: dict[str, str]
    https: str
    http: str
    gunicorn: str
    cert: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    program_pids: dict[str, int] = field(default_factory=dict)

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            umask=PUBLIC_FILES,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def supervisorctl(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            ["supervisorctl", "-c", str(SITE / "supervisord.conf"), *args],  # noqa: S607
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return result.stdout

    def session(self, *, source: str = "127.0.0.1") -> requests.Session:
        """A visitor connecting from `source` (any 127.x address: Linux answers them all on loopback)."""
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE or a proxy from the environment must not apply
        session.verify = str(self.cert)
        adapter = SourceAddressAdapter(source)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def log_tails(self) -> str:
        tails = []
        for log in sorted((self.directory / "log").glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-40:]
            tails.append(f"--- {log.name} ---\n" + "\n".join(lines))
        return "\n".join(tails)


def write_env_file(directory: Path, *, database_url: str, ports: dict[str, int]) -> Path:
    """The one place every path and port comes from (site/README.md, "The environment file")."""
    values = {
        "DJANGO_SETTINGS_MODULE": "whispergifts.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WAGTAILADMIN_BASE_URL": f"https://127.0.0.1:{ports['https']}",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        # Required in production; the console backend above means Postmark is never contacted.
        "POSTMARK_SERVER_TOKEN": "stack-test-token-never-used",
        "ANYMAIL_WEBHOOK_SECRET": "stack:test-secret",
        "MEDIA_ROOT": str(directory / "media"),
        "STATIC_ROOT": str(directory / "static"),
        "WG_HOME": str(REPO),
        "WG_LOG_DIR": str(directory / "log"),
        "WG_RUN_DIR": str(directory / "run"),
        "WG_RUN_WEB": "true",
        "WG_RUN_WORKER": "true",
        "WG_RUN_BEAT": "true",
        "WG_SERVER_NAME": "127.0.0.1",
        "WG_HTTP_LISTEN": f"127.0.0.1:{ports['http']}",
        "WG_HTTPS_LISTEN": f"127.0.0.1:{ports['https']}",
        "WG_TLS_CERT": str(directory / "tls" / "cert.pem"),
        "WG_TLS_KEY": str(directory / "tls" / "key.pem"),
        "GUNICORN_BIND": f"127.0.0.1:{ports['gunicorn']}",
        "TRUSTED_PROXY_HOPS": "1",
        "TRUSTED_PROXY_KEY": secrets.token_urlsafe(32),
        "GUNICORN_WORKERS": "2",
    }
    env_file = directory / "env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    return env_file


def read_env_file(env_file: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in env_file.read_text().splitlines() if line and not line.startswith("#"))


def render_nginx_conf(env: dict[str, str], directory: Path) -> Path:
    """site/nginx.conf through envsubst, as README says, inside a main config of the stack's own."""
    template = (SITE / "nginx.conf").read_text()
    placeholders = sorted(set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", template)))
    assert not set(placeholders) - set(env), f"nginx.conf uses names the env file lacks: {placeholders}"
    rendered = subprocess.run(  # noqa: S603
        ["envsubst", "".join(f"${{{name}}}" for name in placeholders)],  # noqa: S607
        input=template,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    site_conf = directory / "nginx" / "whispergifts.conf"
    site_conf.write_text(rendered)
    nginx = directory / "nginx"
    main_conf = nginx / "nginx.conf"
    # What Debian's /etc/nginx/nginx.conf provides around sites-enabled/, with every path in our directory.
    main_conf.write_text(
        f"""
user {"www-data" if os.geteuid() == 0 else "nobody"};
worker_processes 2;
pid {nginx}/nginx.pid;
error_log {directory}/log/nginx-main-error.log;
load_module {BROTLI_MODULE};
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {nginx}/client_body;
    proxy_temp_path {nginx}/proxy;
    fastcgi_temp_path {nginx}/fastcgi;
    uwsgi_temp_path {nginx}/uwsgi;
    scgi_temp_path {nginx}/scgi;
    include {site_conf};
}}
"""
    )
    return main_conf


def make_certificate(directory: Path) -> Path:
    tls = directory / "tls"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return tls / "cert.pem"


def prepare_stack(directory: Path, database_url: str) -> Stack:
    """Env file, certificate, migrate, collectstatic, demo data and nginx config: everything before starting."""
    for sub in ("log", "run", "media", "static", "tls", "nginx"):
        (directory / sub).mkdir()
        (directory / sub).chmod(0o755)
    ports = {"http": free_port(), "https": free_port(), "gunicorn": free_port()}
    env_file = write_env_file(directory, database_url=database_url, ports=ports)
    env = {"PATH": os.environ["PATH"], "HOME": str(directory), "LANG": "C.UTF-8", **read_env_file(env_file)}
    stack = Stack(
        directory=directory,
        env=env,
        https=f"https://127.0.0.1:{ports['https']}",
        http=f"http://127.0.0.1:{ports['http']}",
        gunicorn=f"http://127.0.0.1:{ports['gunicorn']}",
        cert=make_certificate(directory),
    )
    stack.manage("migrate", "--noinput")
    stack.manage("collectstatic", "--noinput")
    stack.manage("load_demo")
    return stack


def start_processes(stack: Stack) -> None:
    main_conf = render_nginx_conf(stack.env, stack.directory)
    nginx = [
        "nginx",
        "-p",
        str(stack.directory / "nginx"),
        "-e",
        str(stack.directory / "log" / "nginx-main-error.log"),
    ]
    checked = subprocess.run([*nginx, "-t", "-c", str(main_conf)], capture_output=True, text=True, timeout=30)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
    stack.processes["nginx"] = subprocess.Popen(  # noqa: S603
        [*nginx, "-c", str(main_conf), "-g", "daemon off;"], env=stack.env, start_new_session=True
    )
    stack.processes["supervisord"] = subprocess.Popen(  # noqa: S603
        ["supervisord", "-n", "-c", str(SITE / "supervisord.conf")],  # noqa: S607
        env=stack.env,
        cwd=stack.directory,
        start_new_session=True,
        umask=PUBLIC_FILES,
    )
    stack.program_pids = wait_for(lambda: supervised_pids(stack), timeout=90, what="supervisord's programs running")
    wait_for(
        lambda: stack.session().get(f"{stack.https}/healthz", timeout=5).status_code == 200,
        timeout=90,
        what="gunicorn answering through nginx",
    )


def supervised_pids(stack: Stack) -> dict[str, int]:
    status = stack.supervisorctl("status")
    running = dict(re.findall(r"^(\S+)\s+RUNNING\s+pid (\d+)", status, flags=re.MULTILINE))
    if set(running) != {"gunicorn", "celery-worker", "celery-beat"}:
        return {}
    return {program: int(pid) for program, pid in running.items()}


def is_running(pid: int, *, command_contains: str) -> bool:
    try:
        return command_contains in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except FileNotFoundError:
        return False


def stop_stack(stack: Stack) -> list[str]:
    """Stop what we started, by pid; returns the programs that had to be killed."""
    for name, stop_signal, timeout in (("supervisord", signal.SIGTERM, 150), ("nginx", signal.SIGQUIT, 20)):
        process = stack.processes.get(name)
        if process is None or process.poll() is not None:
            continue
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    killed = []
    for program, pid in stack.program_pids.items():
        if is_running(pid, command_contains=program.split("-")[0]):
            os.kill(pid, signal.SIGKILL)
            killed.append(program)
    return killed


@pytest.fixture
def stack():
    if not os.environ.get("REDIS_URL"):
        skip_or_fail_in_ci("needs Redis for Celery (set REDIS_URL)")
    ensure_debian_packages()
    directory = Path(tempfile.mkdtemp(prefix="whispergifts-stack-"))
    directory.chmod(0o755)  # nginx's workers (www-data) read static and media files from here
    database = StackDatabase.create(directory)
    try:
        stack = prepare_stack(directory, database.url)
        try:
            start_processes(stack)
            yield stack
        finally:
            print(stack.log_tails())  # noqa: T201 (pytest shows it when the test fails)
            killed = stop_stack(stack)
        assert not killed, f"{killed} did not stop when supervisord was asked to stop"
    finally:
        database.drop()
        shutil.rmtree(directory, ignore_errors=True)


def test_production_stack_serves_the_site_through_nginx(stack):
    check_plain_http_redirects_to_https_but_health_probes_answer(stack)
    check_pages_render_with_the_security_headers(stack)
    check_static_files_are_hashed_cached_for_a_year_and_precompressed(stack)
    check_uploaded_images_are_served_by_nginx_and_nothing_else_is(stack)
    check_a_reservation_through_nginx_succeeds(stack)
    check_the_celery_worker_processes_tasks(stack)
    check_the_reservation_email_is_sent_through_the_worker(stack)
    check_each_request_is_logged_with_nginx_request_id_and_timed(stack)
    check_two_visitors_behind_nginx_have_a_budget_each(stack)
    check_a_forged_forwarded_for_straight_to_gunicorn_buys_no_fresh_budget(stack)
    check_a_wrong_password_flood_from_one_address_locks_out_no_other_guest(stack)


def check_plain_http_redirects_to_https_but_health_probes_answer(stack: Stack):
    session = stack.session()
    redirect = session.get(f"{stack.http}/registries/alex-and-sam/", allow_redirects=False, timeout=10)
    probe = session.get(f"{stack.http}/healthz", allow_redirects=False, timeout=10)

    assert redirect.status_code == 301
    assert redirect.headers["Location"] == "https://127.0.0.1/registries/alex-and-sam/"
    assert probe.status_code == 200
    assert probe.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def check_pages_render_with_the_security_headers(stack: Stack):
    session = stack.session()
    for path, expected_text in [("/", "WhisperGifts"), ("/registries/alex-and-sam/", "Alex &amp; Sam")]:
        response = session.get(f"{stack.https}{path}", timeout=30)
        print(f"GET {path} → {response.status_code}", dict(response.headers))  # noqa: T201 (for the report)

        assert response.status_code == 200, path
        assert expected_text in response.text
        headers = response.headers
        assert headers["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains; preload"
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
        assert headers["Server-Timing"].startswith("total;dur=")
        assert headers["Server"] == "nginx"


def check_static_files_are_hashed_cached_for_a_year_and_precompressed(stack: Stack):
    home = stack.session().get(f"{stack.https}/", timeout=30).text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home).group(1)

    for encoding in ("br", "gzip"):
        response = stack.session().get(f"{stack.https}{stylesheet}", headers={"Accept-Encoding": encoding}, timeout=10)
        print(f"GET {stylesheet} ({encoding}) →", dict(response.headers))  # noqa: T201

        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["Cache-Control"] == f"public, max-age={ONE_YEAR}, immutable"
        assert "Server-Timing" not in response.headers  # straight from disk, not through Django
        assert ".site-header" in response.text or "body" in response.text
    unhashed = stack.session().get(f"{stack.https}/static/css/site.css", timeout=10)
    assert unhashed.status_code == 200
    assert unhashed.headers["Cache-Control"] == "public, max-age=300"


def check_uploaded_images_are_served_by_nginx_and_nothing_else_is(stack: Stack):
    registry = stack.session().get(f"{stack.https}/registries/alex-and-sam/", timeout=30).text
    image = re.search(r'(/media/images/[^"\s,]+\.webp)', registry).group(1)
    media = stack.directory / "media"
    original = next((media / "original_images").iterdir()).name
    (media / "images" / "planted.html").write_text("<script>alert('xss')</script>")

    response = stack.session().get(f"{stack.https}{image}", timeout=10)
    print(f"GET {image} →", dict(response.headers))  # noqa: T201

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.content == (media / image.removeprefix("/media/")).read_bytes()
    assert "Server-Timing" not in response.headers  # nginx, not Django
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert stack.session().get(f"{stack.https}/media/images/planted.html", timeout=10).status_code == 404
    assert stack.session().get(f"{stack.https}/media/original_images/{original}", timeout=10).status_code == 404


def check_a_reservation_through_nginx_succeeds(stack: Stack) -> None:
    session = stack.session()
    registry = session.get(f"{stack.https}/registries/alex-and-sam/", timeout=30).text
    reserve_path = re.search(r'href="(/registries/alex-and-sam/reserve/[0-9a-f-]+/)"', registry).group(1)
    reserve_url = f"{stack.https}{reserve_path}"
    form = session.get(reserve_url, timeout=30).text

    response = session.post(
        reserve_url,
        data={
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1),
            "idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1),
            "name": "Robin",
            "email": GUEST_EMAIL,
            "quantity": "1",
            "message": "Through nginx, with love.",
        },
        headers={"Referer": reserve_url},
        allow_redirects=False,
        timeout=30,
    )

    assert response.status_code == 302, response.text[:2000]
    thanks_path = response.headers["Location"]
    assert re.fullmatch(r"/reservations/[\w-]+/thanks/", thanks_path)
    thanks = session.get(f"{stack.https}{thanks_path}", timeout=30)
    assert thanks.status_code == 200
    assert thanks.headers["Cache-Control"] == "private, no-store"


def check_the_celery_worker_processes_tasks(stack: Stack):
    broker = Celery(broker=stack.env["REDIS_URL"], backend=stack.env["REDIS_URL"])
    try:
        workers = wait_for(lambda: broker.control.inspect(timeout=3).stats(), timeout=60, what="a worker answering")
        assert stack.program_pids["celery-worker"] in [stats["pid"] for stats in workers.values()]
        # A task Celery itself registers in every worker: it returns its arguments. This process is no task, but
        # eager tasks run at once by the suite's threaded tests can leave Celery's process-wide "inside a task"
        # flag set (its denied_join_result() saves and restores it without a lock), which would refuse .get().
        result = broker.send_task("celery.accumulate", args=["whisper"])
        assert result.get(timeout=30, disable_sync_subtasks=False) == ["whisper"]
    finally:
        broker.close()


def check_the_reservation_email_is_sent_through_the_worker(stack: Stack):
    """The worker's console email backend writes the message to worker.log (see write_env_file)."""
    worker_log = stack.directory / "log" / "worker.log"
    wait_for(lambda: f"To: {GUEST_EMAIL}" in worker_log.read_text(), timeout=60, what="the reservation email")
    assert "/reservations/" in worker_log.read_text()


def check_each_request_is_logged_with_nginx_request_id_and_timed(stack: Stack):
    # A query string the page cache never stores: the page is routed and rendered, so the log names its type.
    response = stack.session().get(f"{stack.https}/registries/alex-and-sam/?utm_source=invitation", timeout=30)
    request_id = response.headers["X-Request-ID"]
    web_log = stack.directory / "log" / "web.log"

    line = wait_for(
        lambda: next(
            (line for line in web_log.read_text().splitlines() if request_id in line and '"view"' in line), None
        ),
        timeout=10,
        what="the timing line in web.log",
    )
    assert '"view": "wagtail_serve:registries.RegistryPage"' in line
    report = stack.manage("timelog_report", str(web_log))
    print(report)  # noqa: T201
    assert "wagtail_serve:registries.RegistryPage" in report


RESETS_PER_CLIENT = 10  # accounts.views.PASSWORD_RESET_REQUESTS_PER_CLIENT, per 15 minutes


def ask_for_a_reset(session: requests.Session, stack: Stack, **headers) -> int:
    url = f"{stack.https}/admin/password_reset/"
    form = session.get(url, timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = session.post(
        url,
        data={"csrfmiddlewaretoken": token, "email": "nobody@example.org"},
        headers={"Referer": url, **headers},
        allow_redirects=False,
        timeout=30,
    )
    return answer.status_code


def check_two_visitors_behind_nginx_have_a_budget_each(stack: Stack):
    first, second = stack.session(source="127.0.0.2"), stack.session(source="127.0.0.3")

    answers = [ask_for_a_reset(first, stack) for _ in range(RESETS_PER_CLIENT + 1)]
    forged = ask_for_a_reset(first, stack, **{"X-Forwarded-For": "198.51.100.77"})
    other = ask_for_a_reset(second, stack)
    print(f"127.0.0.2 through nginx: {answers}; with a forged X-Forwarded-For: {forged}")  # noqa: T201
    print(f"127.0.0.3 through nginx: {other}")  # noqa: T201

    assert answers == [302] * RESETS_PER_CLIENT + [429]
    assert forged == 429  # nginx appends what it saw: the visitor's own entry is never the one read
    assert other == 302


def check_a_forged_forwarded_for_straight_to_gunicorn_buys_no_fresh_budget(stack: Stack):
    """Straight to gunicorn, past nginx: the request carries no proxy key, so its X-Forwarded-For is dropped."""
    host = stack.gunicorn.removeprefix("http://")
    csrf = secrets.token_hex(16)

    def straight(forwarded_for: str | None = None) -> int:
        headers = {
            "Host": host,
            "X-Forwarded-Proto": "https",  # as nginx would say, so the SSL redirect lets it in
            "Referer": f"https://{host}/admin/password_reset/",
            "Cookie": f"csrftoken={csrf}",
        }
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        answer = requests.post(
            f"{stack.gunicorn}/admin/password_reset/",
            data={"csrfmiddlewaretoken": csrf, "email": "nobody@example.org"},
            headers=headers,
            allow_redirects=False,
            timeout=30,
        )
        return answer.status_code

    answers = [straight() for _ in range(RESETS_PER_CLIENT)]
    forged = [straight("198.51.100.88"), straight("203.0.113.5, 198.51.100.89")]
    print(f"straight to gunicorn: {answers}; with forged X-Forwarded-For: {forged}")  # noqa: T201

    assert answers == [302] * RESETS_PER_CLIENT
    assert forged == [429, 429]


def check_a_wrong_password_flood_from_one_address_locks_out_no_other_guest(stack: Stack):
    stack.manage(
        "shell",
        "-c",
        "from wagtail.models import PageViewRestriction; from registries.models import RegistryPage; "
        "PageViewRestriction.objects.create(page=RegistryPage.objects.get(slug='alex-and-sam'), "
        "restriction_type='password', password='open-sesame')",
    )
    registry_url = f"{stack.https}/registries/alex-and-sam/"

    def guess(session: requests.Session, password: str) -> int:
        form = session.get(registry_url, timeout=30).text
        action = re.search(r'action="(/_util/authenticate_with_password/[^"]+)"', form).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        answer = session.post(
            f"{stack.https}{action}",
            data={"csrfmiddlewaretoken": token, "password": password, "return_url": "/registries/alex-and-sam/"},
            headers={"Referer": registry_url},
            allow_redirects=False,
            timeout=30,
        )
        return answer.status_code

    guesser, guest = stack.session(source="127.0.0.4"), stack.session(source="127.0.0.5")
    flood = [guess(guesser, f"guess-{number}") for number in range(11)]
    right = guess(guest, "open-sesame")
    print(f"wrong passwords from 127.0.0.4: {flood}; the right one from 127.0.0.5: {right}")  # noqa: T201

    assert flood == [200] * 10 + [429]
    assert right == 302
    assert "Alex &amp; Sam" in guest.get(registry_url, timeout=30).text
