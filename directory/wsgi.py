"""The WSGI application under its former address, directory.wsgi, which deployments and
tools outside this repository still start (../shared/tools/vs-datasette does). The site's
own is website.wsgi."""

from website.wsgi import application

__all__ = ["application"]
