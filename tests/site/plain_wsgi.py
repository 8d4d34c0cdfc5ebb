"""A WSGI application that answers every request with 200, for starting gunicorn
with the project's configuration without a database (tests/site/test_logging.py)."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
