from django.db.models import Count, QuerySet

from gongzhi.accounts.enums import REGISTRY_ROLES, STAFF_ROLES
from gongzhi.accounts.selectors import scope_q
from gongzhi.core import paths
from gongzhi.core.errors import NotFound

from .models import InServiceRegistration, PartyMember, PartyOrganization


def _scoped(qs, field: str, user, roles):
    q = scope_q(user, roles, field)
    return qs if q is None else qs.filter(q)


def organizations_visible_to(user) -> QuerySet[PartyOrganization]:
    """Staff see the party organisations answering for places in their subtree."""
    return _scoped(PartyOrganization.objects.all(), "place_path", user, STAFF_ROLES - {"department_handler"})


def members_visible_to(user) -> QuerySet[PartyMember]:
    """Member lists are personal data: registry readers in scope only."""
    return _scoped(PartyMember.objects.all(), "place_path", user, REGISTRY_ROLES)


def in_service_visible_to(user) -> QuerySet[InServiceRegistration]:
    return _scoped(InServiceRegistration.objects.all(), "place_path", user, REGISTRY_ROLES)


def access_organization(user, org_id: int) -> PartyOrganization:
    try:
        return organizations_visible_to(user).get(pk=org_id)
    except (PartyOrganization.DoesNotExist, ValueError):
        raise NotFound() from None


def organization_tree(user, root: PartyOrganization | None = None) -> list[PartyOrganization]:
    """Organisations in path order with ``member_count`` (direct) and ``depth``, for the tree page."""
    qs = organizations_visible_to(user)
    if root is not None:
        qs = qs.filter(paths.subtree_q("path", root.path))
    return list(qs.annotate(member_count=Count("members")).order_by("path"))


def subtree_member_count(org: PartyOrganization) -> int:
    return PartyMember.objects.filter(paths.subtree_q("org_path", org.path)).count()
