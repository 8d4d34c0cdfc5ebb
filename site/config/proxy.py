"""The client's address behind the TLS proxy (docs/operations.md).

Behind N trusted proxies, ``REMOTE_ADDR`` is the nearest proxy's address and
each proxy has appended the address it received the request from to
``X-Forwarded-For``. The client is therefore the N-th entry from the right:
entries further left were written by the client itself and are not trusted.
``TRUSTED_PROXY_COUNT`` (default 0: no proxy, ``REMOTE_ADDR`` is the client)
says how many proxies to trust. Rate limits (django-ratelimit's
``RATELIMIT_IP_META_KEY``) and the login lockout (django-axes's
``AXES_CLIENT_IP_CALLABLE``) both count by this address.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address, from ``X-Forwarded-For`` as far as the trusted proxies vouch."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < count:
        # Fewer hops than proxies: the request did not come the way we expect;
        # the nearest address is the only one we know to be true.
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
