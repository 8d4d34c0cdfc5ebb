"""gunicorn's settings, read from the folder it starts in (the checkout's root;
README: ``gunicorn --pythonpath site config.wsgi``).

The access log (when switched on with ``--access-logfile``) records the
request's method, path and protocol but never its query string (``%(U)s``,
not ``%(r)s``: ``/needs/?q=<an ID number>`` is logged as ``/needs/``) and
never the Referer (it carries the query string of the page before). The
application's own log lines go through Django's LOGGING and its
personal-data filter (site/config/logfilters.py; docs/governance.md, "Logs").
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'
