from ninja import Router
from ninja.pagination import paginate

from gongzhi.core.api import CleanText, MappedPage, ObjectId, Page

from . import selectors
from .schemas import MemberOut, OrganizationDetailOut, OrganizationOut

router = Router(tags=["party"])


def organization_out(org) -> dict:
    return {"id": org.pk, "kind": org.kind, "kind_label": str(org.get_kind_display()), "name": org.name,
            "parent_id": org.parent_id, "place_id": org.place_id, "function": org.function,
            "is_non_public": org.is_non_public, "path": org.path,
            "member_count": getattr(org, "member_count", 0)}


@router.get("/organizations", response=list[OrganizationOut])
@paginate(Page)
def list_organizations(request, kind: CleanText = "", parent: ObjectId | None = None):
    from django.db.models import Count

    qs = selectors.organizations_visible_to(request.user).annotate(member_count=Count("members"))
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    return MappedPage(qs.order_by("path"), organization_out)


@router.get("/organizations/{org_id}", response=OrganizationDetailOut)
def get_organization(request, org_id: int):
    org = selectors.access_organization(request.user, org_id)
    members = selectors.members_visible_to(request.user).filter(organization=org)
    return {**organization_out(org), "member_count": org.members.count(),
            "subtree_member_count": selectors.subtree_member_count(org),
            "members": [MemberOut.from_orm(m) for m in members]}
