"""The JSON API under /api/v1/ (django-ninja). OpenAPI at /api/v1/openapi.json."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from gongzhi.accounts.models import ApiToken
from gongzhi.core.errors import DomainError

log = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        if not token:
            return None
        try:
            row = ApiToken.objects.select_related("user").get(digest=ApiToken.digest_of(token))
        except ApiToken.DoesNotExist:
            return None
        if row.is_expired or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


api = NinjaAPI(
    title="Gongzhi 共治 API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


def _error(request, status: int, code: str, detail: str, **extra):
    return api.create_response(request, {"code": code, "detail": detail, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "form", "file")]
        errors.append({"field": ".".join(loc) or "body", "reason": err.get("msg", "")})
    first = errors[0] if errors else {"field": "body", "reason": ""}
    return _error(request, 422, "invalid", _("Invalid input in field %(field)s: %(reason)s") % first,
                  field=first["field"], errors=errors)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "unauthorized", _("Log in or send a valid token."))


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(DjangoValidationError)
def model_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        field, errs = next(iter(exc.error_dict.items()))
        reason = "; ".join(str(m) for e in errs for m in e.messages)
    else:
        field, reason = "body", "; ".join(exc.messages)
    return _error(request, 422, "invalid", reason, field=field)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", str(exc))


@api.get("/health", auth=None, tags=["system"])
def health(request):
    return {"status": "ok"}


api.add_router("/", "gongzhi.accounts.api.router")
api.add_router("/", "gongzhi.registry.api.router")
api.add_router("/", "gongzhi.registry.api_io.router")  # /residents/import, /residents/export
api.add_router("/", "gongzhi.core.api_audit.router")  # /audit
api.add_router("/party/", "gongzhi.party.api.router")
api.add_router("/", "gongzhi.appeals.api.router")  # /appeals, /public/appeals, …
api.add_router("/deliberation/", "gongzhi.deliberation.api.router")
api.add_router("/ledger/", "gongzhi.ledger.api.router")
api.add_router("/volunteering/", "gongzhi.volunteering.api.router")
api.add_router("/", "gongzhi.catalog.api.router")  # /catalog/items, /applications, /certificates, …
api.add_router("/care/", "gongzhi.catalog.api_care.router")
api.add_router("/market/", "gongzhi.catalog.api_market.router")
api.add_router("/triage/", "gongzhi.triage.api.router")
api.add_router("/insights/", "gongzhi.insights.api.router")
