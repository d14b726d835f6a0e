"""gunicorn settings for production (`make serve-prod`), the benchmark (`make bench`) and the fault drill
(`make drill`), read from the environment.

    GUNICORN_BIND          address to listen on (default 127.0.0.1:8000; put a reverse proxy with TLS in front)
    GUNICORN_WORKERS       worker processes (default: 2 × cores, at most 8)
    GUNICORN_THREADS       threads per worker (default 8): pages wait on the database, threads overlap that wait
    GUNICORN_MAX_REQUESTS  requests before a worker is replaced (default 100000, + up to 50 %; 0: never)

Each worker has its own pool of database connections (DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW, default 9: one
for each thread and the outbox thread); see docs/RELIABILITY.md for the sum over workers and app servers.

Replacing a worker (max_requests, or `kill -HUP` of the master for a new release) drops no request: the old worker
stops accepting, finishes what it is doing within graceful_timeout (longer than any request may take: the
database's statement timeout plus drawing the page), and answers a request that arrives on a kept-alive connection
meanwhile with "Connection: close". Its outbox thread finishes the mail it is sending (worker_exit below).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * multiprocessing.cpu_count(), 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 8)
worker_class = "gthread"
wsgi_app = "webapp:create_app()"
timeout = 30  # a worker that does not answer the master for this long is killed (a request never takes this long)
graceful_timeout = 25  # > the statement timeout (5 s) + its client margin (2 s) + the longest page; < timeout
keepalive = 5
# A slow leak never grows without bound. Not much lower: a new worker costs ~3-4 s of CPU (imports, the app, the
# matching model, first drawings of each template); at 5000 the bench replaced a worker every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 100_000)
# Spread widely: workers serve about as many requests each, so with a small jitter they would all be replaced (and
# all be starting, serving nobody) at the same moment; the fault drill saw that.
max_requests_jitter = max_requests // 2
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


def worker_exit(server, worker):
    """A worker that stops lets its outbox thread finish the mail it is sending, so no mail stays claimed."""
    app = getattr(worker, "wsgi", None)
    outbox = getattr(app, "extensions", {}).get("samen_outbox_worker") if app is not None else None
    if outbox is not None:
        outbox.stop(timeout=15)
