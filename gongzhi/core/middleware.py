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


class SecurityHeadersMiddleware:
    """Content-Security-Policy and friends on every response that does not set its own.

    Pages load scripts only from our own static files (htmx, ECharts, gongzhi.js: no inline scripts or
    handlers), so ``script-src 'self'`` holds; styles allow inline ``style`` attributes (htmx indicators).
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = getattr(settings, "GONGZHI_CSP", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        return response
