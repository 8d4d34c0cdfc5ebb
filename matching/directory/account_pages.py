"""The account page (accounts/me/) by role: an app higher up registers the page
of a role it owns (payments: donors), so the directory need not import it."""

_PAGES = {}


def account_page_register(role, view):
    """``view(request, profile)`` renders accounts/me/ for users of ``role``."""
    _PAGES[str(role)] = view


def account_page_for(role):
    return _PAGES.get(str(role))
