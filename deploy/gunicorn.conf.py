"""gunicorn settings for Repères: `gunicorn -c deploy/gunicorn.conf.py` (see `make serve`).

Read from the environment, with production defaults:

GUNICORN_BIND        address(es), comma-separated: 127.0.0.1:8000, 0.0.0.0:8000, unix:/run/reperes.sock
WEB_CONCURRENCY      worker processes (default 2 × CPU cores + 1)
GUNICORN_THREADS     threads per worker (default 1: requests are CPU and database bound)
GUNICORN_TIMEOUT     seconds a request may run before its worker is killed and replaced (30)
FORWARDED_ALLOW_IPS  reverse proxies whose X-Forwarded-* headers are believed (127.0.0.1,::1)
"""

import os

# Run from anywhere: the project root is this file's parent's parent.
chdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# config.settings.prod unless DJANGO_SETTINGS_MODULE names another module.
wsgi_app = "config.wsgi:application"

bind = [
    b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()
]
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# The slowest legitimate request (an uncached export, a cold map) stays well under this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # on reload or stop, requests in flight get this long to finish
keepalive = 5  # behind a reverse proxy that keeps connections open

# Replace each worker after about a thousand requests, not all at once, so a slow leak in
# any library never grows unbounded.
max_requests = 1000
max_requests_jitter = 100

# Import Django once in the master, then fork: faster start and shared memory. Nothing is
# connected at import time; pre_fork below makes sure no connection is shared with a worker.
preload_app = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client (X-Forwarded-For from the proxy), peer, time, request, status, size, duration,
# referrer, user agent.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Heartbeat files in memory (gunicorn's advice): a slow /tmp, as in containers, can stall
# workers into false timeouts.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Recent gunicorn opens a control socket at one path per user (~/.gunicorn/), which two sites
# run by the same user would share; nothing here uses it. Older versions ignore the name.
control_socket_disable = True


def pre_fork(server, worker):
    # A database connection opened in the master (a ready() that queried, say) would be
    # inherited by every worker, and their queries would interleave on one socket.
    from django.db import connections

    connections.close_all()
