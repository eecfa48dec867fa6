"""Gunicorn settings for `make serve` and production: threaded workers, logs to stdout.

Override with environment variables: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# Threads share a worker's memory and its database connections; one worker per core.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Load the app once in the master: a recycled worker is forked ready, with no import pause.
preload_app = True
# Recycle workers now and then so that a slow leak cannot grow without bound; not so often that
# a busy server restarts a worker every few seconds (5,000 did, at 1,500 requests a second).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
wsgi_app = "baliwg.wsgi:application"
# No query string (a search may hold anything a visitor typed) and no client address.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def when_ready(server):
    """In the master, after the app is loaded (preload_app) and before the workers are forked."""
    from baliwg.warmup import prepare_for_fork

    prepare_for_fork()
