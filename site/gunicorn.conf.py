"""gunicorn for WhisperGifts, behind nginx (site/nginx.conf), run by supervisord (site/supervisord.conf).

Everything that differs between hosts comes from the environment file (see site/README.md).
Graceful reload after a deploy: `supervisorctl -c site/supervisord.conf signal HUP gunicorn`
starts new workers with the new code and lets the old ones finish their requests.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers: nginx buffers slow clients, so a worker is only busy while Django works.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# nginx gives up after 35 s (proxy_read_timeout); gunicorn kills a stuck worker first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# Not preloaded: HUP then loads the new code in each new worker.
preload_app = False
# The heartbeat file lives in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm"  # noqa: S108
# Only nginx on this host may set X-Forwarded-*.
forwarded_allow_ips = "127.0.0.1,::1"

# Access log on stdout (supervisord writes it to web.log) with the request time in microseconds
# (%(D)s) and nginx's request id, so a slow request can be followed from nginx to Django's log line.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus request_id=%({x-request-id}i)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

if os.environ.get("WG_RUN_DIR"):
    control_socket = os.path.join(os.environ["WG_RUN_DIR"], "gunicorn.ctl")
