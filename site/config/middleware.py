"""Chinese first: the interface speaks Simplified Chinese unless the user chose otherwise."""


class ChineseFirstMiddleware:
    """Ignore the browser's Accept-Language so that only an explicit choice
    (the language switch's cookie, or a signed-in admin user's preference)
    moves the interface away from Simplified Chinese.

    Placed before Django's LocaleMiddleware, which would otherwise honour the
    header and greet most visitors of a Changchun service in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
