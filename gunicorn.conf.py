"""gunicorn settings for the directory (`make serve` uses this file).

Every setting here can be changed from the environment; see README.md, Deploy.
"""

import json
import logging
import multiprocessing
import os
import sys
from datetime import UTC, datetime

from gunicorn.glogging import Logger


def env_int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        sys.exit(f"{name} must be a whole number, not {raw!r}.")
    if value < 1:
        sys.exit(f"{name} must be at least 1, not {value}.")
    return value


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}"

# Processes, and threads in each. The pages spend most of their time waiting for the
# database, so a few threads per process serve more requests in the same memory; with
# more than one thread gunicorn uses its gthread worker.
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 4)

# A request still running after this many seconds has its worker killed and replaced (the
# slowest pages, the full graph and an ECOSOC import in the admin, take a few seconds).
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Each worker is replaced after about this many requests, so that memory a worker gathers
# is given back; the jitter keeps the workers from restarting all at once.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

# Workers' heartbeat files in memory: a slow disk must not make gunicorn think a worker hangs.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The client's address from X-Forwarded-For, only from these proxies (comma-separated).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class JsonLogger(Logger):
    """gunicorn's own lines as JSON, like the application's (website/logs.py): one object
    per line on standard output. The access line names the request without its query
    string or headers, which could carry what must not be logged."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(_MessageOnly())
                if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
                    handler.setStream(sys.stdout)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        self.access_log.info(
            json.dumps(
                {
                    "time": _now(),
                    "level": "info",
                    "logger": "gunicorn.access",
                    "method": environ.get("REQUEST_METHOD"),
                    "path": environ.get("PATH_INFO"),
                    "status": int(status),
                    "bytes": getattr(resp, "sent", None),
                    "duration_ms": round(request_time.total_seconds() * 1000, 1),
                    "remote_addr": environ.get("REMOTE_ADDR"),
                    "pid": os.getpid(),
                },
                ensure_ascii=False,
            )
        )

    def log(self, lvl, msg, *args, **kwargs):
        if isinstance(lvl, str):
            lvl = self.LOG_LEVELS.get(lvl.lower(), logging.INFO)
        line = json.dumps(
            {
                "time": _now(),
                "level": logging.getLevelName(lvl).lower(),
                "logger": "gunicorn.error",
                "pid": os.getpid(),
                "message": str(msg) % args if args else str(msg),
            },
            ensure_ascii=False,
        )
        self.error_log.log(lvl, line, **kwargs)

    def critical(self, msg, *args, **kwargs):
        self.log(logging.CRITICAL, msg, *args, **kwargs)

    def error(self, msg, *args, **kwargs):
        self.log(logging.ERROR, msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        self.log(logging.WARNING, msg, *args, **kwargs)

    def info(self, msg, *args, **kwargs):
        self.log(logging.INFO, msg, *args, **kwargs)

    def debug(self, msg, *args, **kwargs):
        self.log(logging.DEBUG, msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        self.log(logging.ERROR, msg, *args, exc_info=True, **kwargs)


class _MessageOnly(logging.Formatter):
    """The messages are JSON already; a traceback, if any, goes inside the line."""

    def format(self, record):
        message = record.getMessage()
        if record.exc_info:
            entry = json.loads(message)
            entry["traceback"] = self.formatException(record.exc_info)
            message = json.dumps(entry, ensure_ascii=False)
        return message


def _now():
    return datetime.now(UTC).isoformat(timespec="milliseconds")


logger_class = JsonLogger
