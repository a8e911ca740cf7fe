"""gunicorn settings for one lawdesk app server (systemd: deploy/systemd/lawdesk-web@.service, one instance per
port). Everything host-specific comes from the environment (/etc/lawdesk/lawdesk.env):

    LAWDESK_BIND              address:port to listen on (default 127.0.0.1:8001; the unit passes 127.0.0.1:%i)
    LAWDESK_WEB_WORKERS       worker processes (default: the number of CPU cores)
    LAWDESK_WEB_THREADS       threads per worker (default 2)
    LAWDESK_WEB_TIMEOUT       seconds before a stuck worker is killed and replaced (default 60)
    LAWDESK_TRUSTED_PROXY     nginx's address (default 127.0.0.1): the only peer whose forwarding headers count

The app is ``lawdesk.wsgi:proxied_application``: the client's address comes from nginx's X-Forwarded-For (the
login lockout and the audit log need it), forwarding headers from anyone else are dropped."""

import os
import sys

wsgi_app = "lawdesk.wsgi:proxied_application"
bind = [os.environ.get("LAWDESK_BIND", "127.0.0.1:8001")]
workers = int(os.environ.get("LAWDESK_WEB_WORKERS", "0")) or (os.cpu_count() or 1)
threads = int(os.environ.get("LAWDESK_WEB_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("LAWDESK_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a slow leak never grows for long); jitter so they do not restart together.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = os.environ.get("LAWDESK_TRUSTED_PROXY", "127.0.0.1")
# Logs go to the journal (stdout/stderr); the access log is nginx's.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LAWDESK_WEB_LOG_LEVEL", "warning")
proc_name = "lawdesk-web"


def post_worker_init(worker: object) -> None:
    """As ``manage.py serve`` does: the law search's index and the PDF engine warmed on a background thread, so
    the first visitor does not pay for them (``LAWDESK_WARMUP=0``: not, e.g. in a test that only registers)."""
    if os.environ.get("LAWDESK_WARMUP", "1") != "0":
        from lawdesk.core import warmup

        warmup.start()


def on_starting(server: object) -> None:
    """As ``manage.py serve`` does: refuse to start when the uploads directory is not writable or not the one the
    other app servers use, or when LAWDESK_JOBS contradicts the Celery setting (``lawdesk.core.deployment``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
    import django

    django.setup()
    from lawdesk.core.deployment import jobs_problem, media_problem

    problem = jobs_problem() or media_problem()
    if problem:
        print(f"lawdesk: 拒绝启动：{problem}", file=sys.stderr)
        raise SystemExit(1)
