from .context import Origin, current_origin


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_origin.set(
            Origin(ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        )
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
