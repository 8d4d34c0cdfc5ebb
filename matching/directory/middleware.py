"""A page reads its reader's profile once."""

from .selectors import profiles_memoized


class ProfileMemoMiddleware:
    """Inside a GET or HEAD request, ``profile_get`` reads each user's profile
    once: the admin's menu, permission policies and list selectors each ask who
    the reader is (about ten reads on a work-queue list). A request that
    writes (POST and the rest) reads afresh each time, since it may change a
    profile it then reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with profiles_memoized():
            return self.get_response(request)
