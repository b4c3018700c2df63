"""Reads of volunteering that depend on who is asking."""

import hashlib

from django.db.models import Count, Q, QuerySet, Sum

from gongzhi.core.errors import NotFound
from gongzhi.ledger.identity import acting_residents
from gongzhi.ledger.selectors import community_ids_for, resident_community_ids, scope_q

from .enums import VOLUNTEERING_READ_ROLES, VOLUNTEERING_STAFF_ROLES, RecordStatus, RequestStatus, WishStatus
from .models import Activity, HoursCertificate, MicroWish, ServiceRecord, ServiceRequest, Signup, Team, Volunteer

_NOTHING = Q(pk__in=[])


def _my_resident_ids(user) -> list[int]:
    return [r.pk for r in acting_residents(user)]


def my_volunteer(user) -> Volunteer | None:
    """The volunteer record of the user themselves (not of those they act for)."""
    if not user.is_authenticated or not user.resident_id:
        return None
    return Volunteer.objects.filter(resident_id=user.resident_id).select_related("resident").first()


def _communities(user) -> set[int] | None:
    staff = community_ids_for(user, VOLUNTEERING_READ_ROLES)
    return None if staff is None else staff | resident_community_ids(user)


def teams_visible_to(user) -> QuerySet[Team]:
    ids = _communities(user)
    qs = Team.objects.annotate(member_count=Count("members"))
    return qs if ids is None else qs.filter(community_id__in=ids)


def volunteers_visible_to(user) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.select_related("resident", "community")
    q = scope_q(user, VOLUNTEERING_READ_ROLES)
    return qs if q is None else qs.filter(q | Q(resident_id__in=_my_resident_ids(user)))


def access_volunteer(user, volunteer_id: int) -> Volunteer:
    try:
        return volunteers_visible_to(user).get(pk=volunteer_id)
    except (Volunteer.DoesNotExist, ValueError):
        raise NotFound() from None


def activities_visible_to(user) -> QuerySet[Activity]:
    ids = _communities(user)
    qs = Activity.objects.select_related("team", "community").annotate(
        signed_up=Count("signups", filter=~Q(signups__status="cancelled")))
    return qs if ids is None else qs.filter(community_id__in=ids)


def access_activity(user, activity_id: int) -> Activity:
    try:
        return activities_visible_to(user).get(pk=activity_id)
    except (Activity.DoesNotExist, ValueError):
        raise NotFound() from None


def signups_visible_to(user) -> QuerySet[Signup]:
    qs = Signup.objects.select_related("activity__community", "volunteer__resident", "record")
    ids = community_ids_for(user, VOLUNTEERING_READ_ROLES)
    if ids is None:
        return qs
    return qs.filter(Q(activity__community_id__in=ids) | Q(volunteer__resident_id=user.resident_id or 0))


def access_signup(user, signup_id: int) -> Signup:
    try:
        return signups_visible_to(user).get(pk=signup_id)
    except (Signup.DoesNotExist, ValueError):
        raise NotFound() from None


def requests_visible_to(user) -> QuerySet[ServiceRequest]:
    """Staff in scope; the served resident and their proxies; the matched volunteer; and the community's
    active volunteers for open requests (so they can take one)."""
    qs = ServiceRequest.objects.select_related("requester", "volunteer__resident", "record")
    q = scope_q(user, VOLUNTEERING_READ_ROLES)
    if q is None:
        return qs
    q |= Q(requester_id__in=_my_resident_ids(user))
    volunteer = my_volunteer(user)
    if volunteer is not None:
        q |= Q(volunteer=volunteer)
        if volunteer.is_active:
            q |= Q(status=RequestStatus.OPEN, community_id=volunteer.community_id)
    return qs.filter(q)


def access_request(user, request_id: int) -> ServiceRequest:
    try:
        return requests_visible_to(user).get(pk=request_id)
    except (ServiceRequest.DoesNotExist, ValueError):
        raise NotFound() from None


def records_visible_to(user) -> QuerySet[ServiceRecord]:
    qs = ServiceRecord.objects.select_related("volunteer__resident", "served", "payer")
    q = scope_q(user, VOLUNTEERING_READ_ROLES)
    if q is None:
        return qs
    mine = _my_resident_ids(user)
    return qs.filter(q | Q(volunteer__resident_id__in=mine) | Q(served_id__in=mine))


def access_record(user, record_id: int) -> ServiceRecord:
    try:
        return records_visible_to(user).get(pk=record_id)
    except (ServiceRecord.DoesNotExist, ValueError):
        raise NotFound() from None


def wishes_visible_to(user) -> QuerySet[MicroWish]:
    """Staff in scope; and everyone who lives in (or acts for someone in) the community sees its wishes,
    with the beneficiary's name masked unless it is them (see the API)."""
    qs = MicroWish.objects.select_related("beneficiary", "community")
    ids = _communities(user)
    return qs if ids is None else qs.filter(community_id__in=ids)


def access_wish(user, wish_id: int) -> MicroWish:
    try:
        return wishes_visible_to(user).get(pk=wish_id)
    except (MicroWish.DoesNotExist, ValueError):
        raise NotFound() from None


PUBLIC_WISH_STATUSES = [WishStatus.OPEN, WishStatus.CLAIMED, WishStatus.FULFILLED, WishStatus.CONFIRMED]


def public_wishes(community_id: int) -> QuerySet[MicroWish]:
    return (MicroWish.objects.filter(community_id=community_id, status__in=PUBLIC_WISH_STATUSES)
            .select_related("beneficiary").order_by("status", "-created_at", "-id"))


def certificate(volunteer: Volunteer, *, year: int | None = None) -> dict:
    """志愿服务时长证明 — confirmed minutes (all time or one year), with a serial that changes if they do."""
    records = ServiceRecord.objects.filter(volunteer=volunteer, status=RecordStatus.CONFIRMED)
    if year:
        records = records.filter(served_on__year=year)
    totals = records.aggregate(minutes=Sum("minutes"), count=Count("id"))
    minutes, count = totals["minutes"] or 0, totals["count"]
    last = records.order_by("-id").values_list("id", flat=True).first() or 0
    digest = hashlib.sha256(f"{volunteer.pk}|{year or 'all'}|{minutes}|{count}|{last}".encode()).hexdigest()
    first_day = records.order_by("served_on").values_list("served_on", flat=True).first()
    last_day = records.order_by("-served_on").values_list("served_on", flat=True).first()
    return {"volunteer_id": volunteer.pk, "name": volunteer.resident.name, "community": volunteer.community.name,
            "registered_on": volunteer.registered_on, "year": year, "minutes": minutes, "hours": round(minutes / 60, 1),
            "records": count, "first_day": first_day, "last_day": last_day, "serial": digest[:16].upper(),
            "teams": [t.name for t in volunteer.teams.all()]}


def hours_certificates_visible_to(user) -> QuerySet[HoursCertificate]:
    """The volunteer's own certificates; staff who may certify (not the street's readers) in their scope."""
    qs = HoursCertificate.objects.select_related("volunteer__resident", "community")
    q = scope_q(user, VOLUNTEERING_STAFF_ROLES)
    if q is None:
        return qs
    return qs.filter(q | Q(volunteer__resident_id=user.resident_id or 0)) if user.is_authenticated else qs.none()


def access_hours_certificate(user, certificate_id: int) -> HoursCertificate:
    try:
        return hours_certificates_visible_to(user).get(pk=certificate_id)
    except (HoursCertificate.DoesNotExist, ValueError):
        raise NotFound() from None
