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
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
wsgi_app = "baliwg.wsgi:application"
# No query string (a search may hold anything a visitor typed) and no client address.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
