import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
application = get_wsgi_application()


def _proxied() -> object:
    from django.conf import settings

    from lawdesk.core.proxy import behind_proxy

    return behind_proxy(
        application, enabled=settings.LAWDESK_BEHIND_PROXY, trusted=settings.LAWDESK_TRUSTED_PROXY
    )


# gunicorn behind nginx (deploy/gunicorn.conf.py): the client's address from the trusted proxy's X-Forwarded-For.
proxied_application = _proxied()
