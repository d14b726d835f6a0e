"""gunicorn settings for production (`make serve-prod`) and the benchmark (`make bench`), read from the environment.

    GUNICORN_BIND     address to listen on (default 127.0.0.1:8000; put a reverse proxy with TLS in front)
    GUNICORN_WORKERS  worker processes (default: 2 × cores, at most 8)
    GUNICORN_THREADS  threads per worker (default 8): pages wait on the database, threads overlap that wait
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * multiprocessing.cpu_count(), 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 8)
worker_class = "gthread"
wsgi_app = "webapp:create_app()"
timeout = 30
graceful_timeout = 10
keepalive = 5
max_requests = 5000  # recycle a worker now and then, so a slow leak can never grow without bound
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
