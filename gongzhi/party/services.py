"""Writes to the party organisation: build the tree, enrol members, register in-service members.

Callers at a boundary (a view, the API, an import) check the actor's permission; these services keep the
tree consistent and write the audit log.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import paths
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.registry.enums import PlaceKind, Tag
from gongzhi.registry.models import Household, Place, Resident, ResidentTagging

from .enums import ALLOWED_PARENTS, Function, MemberKind, MemberStatus, OrganizationKind
from .models import InServiceRegistration, PartyMember, PartyOrganization


def _next_path(parent: PartyOrganization | None) -> str:
    siblings = PartyOrganization.objects.filter(parent=parent) if parent else (
        PartyOrganization.objects.filter(parent__isnull=True))
    last = siblings.aggregate(m=Max("path"))["m"]
    n = int(last[-paths.STEP:]) + 1 if last else 1
    try:
        return (parent.path if parent else "") + paths.segment(n)
    except ValueError:
        raise InvalidInput(_("This organisation has too many sub-organisations."), field="parent") from None


def _functions(values: list[str] | None) -> str:
    values = [v for v in (values or []) if v]
    unknown = [v for v in values if v not in Function.values]
    if unknown:
        raise InvalidInput(_("Unknown committee: %(function)s") % {"function": unknown[0]}, field="functions")
    return ",".join(dict.fromkeys(values))


def _tag_party_member(resident: Resident) -> None:
    ResidentTagging.objects.get_or_create(resident=resident, tag=Tag.PARTY_MEMBER)


@transaction.atomic
def create_organization(*, actor, kind: str, name: str, place: Place, parent: PartyOrganization | None = None,
                        function: str = "", is_non_public: bool = False, household: Household | None = None,
                        sort: int = 0) -> PartyOrganization:
    """建立党组织 — add one node to the party tree.

    The kind must be allowed under the parent's kind (``ALLOWED_PARENTS``; a street party working committee
    is a root), the place must lie inside the parent's place, a function branch names its committee, and a
    party-member centre household names its household.
    """
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("Name is required (at most 100 characters)."), field="name")
    if kind not in OrganizationKind.values:
        raise InvalidInput(_("Unknown kind of party organisation."), field="kind")
    allowed = ALLOWED_PARENTS[kind]
    if (parent is None) != (not allowed) or (parent is not None and parent.kind not in allowed):
        raise InvalidInput(_("A party organisation of this kind cannot stand there in the tree."),
                           field="parent")
    if parent is not None and not place.path.startswith(parent.place_path):
        raise InvalidInput(_("The place must lie within the place of the parent organisation."),
                           field="place")
    if kind == OrganizationKind.FUNCTION_BRANCH:
        if function not in Function.values:
            raise InvalidInput(_("A function branch must name its committee."), field="function")
    elif function:
        raise InvalidInput(_("Only a function branch has a committee."), field="function")
    if kind == OrganizationKind.CENTER_HOUSEHOLD:
        if household is None:
            raise InvalidInput(_("A party-member centre household must name its household."),
                               field="household")
        if not household.path.startswith(place.path):
            raise InvalidInput(_("The household must lie within the organisation's place."),
                               field="household")
    elif household is not None:
        raise InvalidInput(_("Only a party-member centre household names a household."), field="household")
    if PartyOrganization.objects.filter(parent=parent, name=name).exists():
        raise InvalidInput(_("A party organisation with this name already exists here."), field="name")
    org = PartyOrganization(kind=kind, name=name, parent=parent, path=_next_path(parent), place=place,
                            place_path=place.path, function=function, is_non_public=is_non_public,
                            household=household, sort=sort)
    org.full_clean(exclude=["secretary"])
    org.save()
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=org, scope_path=org.place_path)
    return org


@transaction.atomic
def add_member(*, actor, organization: PartyOrganization, name: str = "", resident: Resident | None = None,
               kind: str = MemberKind.COMMUNITY, status: str = MemberStatus.FULL,
               joined_on: dt.date | None = None, functions: list[str] | None = None) -> PartyMember:
    """党员入册 — enrol a member in an organisation; a linked resident gets the party-member tag."""
    if resident is not None:
        name = name or resident.name
        if PartyMember.objects.filter(resident=resident).exists():
            raise InvalidInput(_("This resident is already a party member."), field="resident")
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise InvalidInput(_("Name is required (at most 50 characters)."), field="name")
    if kind not in MemberKind.values:
        raise InvalidInput(_("Unknown kind of party member."), field="kind")
    if status not in MemberStatus.values:
        raise InvalidInput(_("Unknown party member status."), field="status")
    if joined_on is not None and joined_on > timezone.localdate():
        raise InvalidInput(_("The joining date lies in the future."), field="joined_on")
    member = PartyMember(organization=organization, org_path=organization.path,
                         place_path=organization.place_path, resident=resident, name=name, kind=kind,
                         status=status, joined_on=joined_on,
                         functions=_functions(functions))
    member.full_clean()
    member.save()
    if resident is not None:
        _tag_party_member(resident)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=member, scope_path=member.place_path)
    return member


@transaction.atomic
def register_in_service_member(*, actor, community: Place, name: str, workplace: str,
                               registered_on: dt.date | None = None, resident: Resident | None = None,
                               workplace_organization: str = "",
                               functions: list[str] | None = None) -> InServiceRegistration:
    """在职党员报到 — a member organised at their workplace registers with the community they live in."""
    if community.kind != PlaceKind.COMMUNITY:
        raise InvalidInput(_("In-service members register with a community."), field="community")
    if resident is not None:
        name = name or resident.name
        if resident.community_id != community.pk:
            raise InvalidInput(_("The resident does not live in this community."), field="resident")
        if InServiceRegistration.objects.filter(resident=resident, community=community,
                                                ended_on__isnull=True).exists():
            raise InvalidInput(_("This resident is already registered here."), field="resident")
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise InvalidInput(_("Name is required (at most 50 characters)."), field="name")
    workplace = (workplace or "").strip()
    if not workplace:
        raise InvalidInput(_("Workplace is required."), field="workplace")
    registration = InServiceRegistration(name=name, resident=resident, community=community,
                                         place_path=community.path, workplace=workplace,
                                         workplace_organization=(workplace_organization or "").strip(),
                                         registered_on=registered_on or timezone.localdate(),
                                         functions=_functions(functions))
    registration.full_clean()
    registration.save()
    if resident is not None:
        _tag_party_member(resident)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=registration,
                 scope_path=registration.place_path)
    return registration
