from django.db.models import Q, QuerySet

from gongzhi.accounts.enums import REGISTRY_ROLES
from gongzhi.accounts.selectors import scope_q
from gongzhi.core.errors import NotFound

from .models import Application, Certificate, ServiceItem


def _scope_q(user) -> Q | None:
    return scope_q(user, REGISTRY_ROLES)


def catalog_items(*, q: str = "", category: str = "") -> QuerySet[ServiceItem]:
    qs = ServiceItem.objects.select_related("category")
    if category:
        qs = qs.filter(category__code=category)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(keywords__contains=q) | Q(category__name__contains=q))
    return qs


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("item__category", "resident", "community")
    q = _scope_q(user)
    if q is None:
        return qs
    if user.is_authenticated and user.resident_id:
        q |= Q(resident_id=user.resident_id)
    return qs.filter(q)


def access_application(user, application_id: int) -> Application:
    try:
        return applications_visible_to(user).get(pk=application_id)
    except (Application.DoesNotExist, ValueError):
        raise NotFound() from None


def certificates_visible_to(user) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("resident", "community")
    q = _scope_q(user)
    if q is None:
        return qs
    if user.is_authenticated and user.resident_id:
        q |= Q(resident_id=user.resident_id)
    return qs.filter(q)


def access_certificate(user, certificate_id: int) -> Certificate:
    try:
        return certificates_visible_to(user).get(pk=certificate_id)
    except (Certificate.DoesNotExist, ValueError):
        raise NotFound() from None
