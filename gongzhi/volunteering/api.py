"""Volunteering API under /api/v1/volunteering/: teams, volunteers, activities, service requests and hours,
family transfers of time coins, micro-wishes (with a public board), certificates of service hours."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from gongzhi.core.api import MappedPage, ObjectId, Page
from gongzhi.core.errors import Forbidden, InvalidInput, NotFound
from gongzhi.core.masking import mask_name
from gongzhi.core.permissions import require
from gongzhi.ledger.identity import acting_residents, acts_for
from gongzhi.ledger.selectors import access_community
from gongzhi.ledger.services import posting
from gongzhi.registry.models import Resident
from gongzhi.registry.selectors import residents_visible_to

from . import certificates, selectors, services
from .enums import RecordStatus, RequestStatus, WishStatus
from .models import MicroWish, ServiceRecord, ServiceRequest, Team, Volunteer
from .schemas import (
    ActivityIn,
    ActivityOut,
    AtIn,
    CertificateOut,
    CompleteIn,
    HoursCertificateIn,
    HoursCertificateOut,
    HoursCheckOut,
    MatchIn,
    NoteIn,
    RecordOut,
    RequestIn,
    RequestOut,
    SignupOut,
    TeamIn,
    TeamOut,
    TransferIn,
    TransferOut,
    VolunteerIn,
    VolunteerOut,
    WishIn,
    WishOut,
)

router = Router(tags=["volunteering"])


def _me(request) -> Resident:
    residents = acting_residents(request.user)
    if not residents:
        raise Forbidden()
    return residents[0]


def _resident_for(request, resident_id: int | None, staff_perm: str) -> Resident:
    """Yourself by default; someone you hold a proxy for; or, for staff, a resident in their scope."""
    if resident_id is None:
        return _me(request)
    for r in acting_residents(request.user):
        if r.pk == resident_id:
            return r
    resident = residents_visible_to(request.user).select_related("community").filter(pk=resident_id).first()
    if resident is None:
        raise NotFound()
    require(request.user, staff_perm, resident)
    return resident


# --- teams and volunteers -------------------------------------------------------------------------------


@router.get("/teams", response=list[TeamOut], summary="Volunteer teams (志愿服务队)")
def list_teams(request, community: ObjectId | None = None):
    qs = selectors.teams_visible_to(request.user)
    if community:
        qs = qs.filter(community_id=community)
    return list(qs.order_by("community_id", "kind", "name"))


@router.post("/teams", response={201: TeamOut})
def create_team(request, payload: TeamIn):
    community = access_community(request.user, payload.community)
    require(request.user, "volunteering.manage_team", community)
    team = services.create_team(community=community, actor=request.user, kind=payload.kind, name=payload.name,
                                description=payload.description)
    return Status(201, selectors.teams_visible_to(request.user).get(pk=team.pk))


def volunteer_out(v: Volunteer) -> dict:
    return {"id": v.pk, "resident_id": v.resident_id, "name": v.resident.name, "community_id": v.community_id,
            "skills": v.skills, "teams": [t.name for t in v.teams.all()], "registered_on": v.registered_on,
            "is_active": v.is_active}


@router.post("/volunteers", response={201: VolunteerOut}, summary="Register yourself, or (staff) a resident")
def register_volunteer(request, payload: VolunteerIn):
    resident = _resident_for(request, payload.resident, "volunteering.register_volunteer")
    teams = list(Team.objects.filter(pk__in=payload.teams, community_id=resident.community_id))
    if len(teams) != len(set(payload.teams)):
        raise InvalidInput(field="teams")
    volunteer = services.register_volunteer(resident=resident, actor=request.user, skills=payload.skills, teams=teams)
    return Status(201, volunteer_out(volunteer))


@router.get("/volunteers", response=list[VolunteerOut])
@paginate(Page)
def list_volunteers(request, community: ObjectId | None = None):
    qs = selectors.volunteers_visible_to(request.user).prefetch_related("teams")
    if community:
        qs = qs.filter(community_id=community)
    return MappedPage(qs.order_by("community_id", "id"), volunteer_out)


@router.get("/volunteers/{volunteer_id}/certificate", response=CertificateOut,
            summary="Certificate of service hours (志愿服务时长证明)")
def get_certificate(request, volunteer_id: int, year: int | None = None):
    volunteer = selectors.access_volunteer(request.user, volunteer_id)
    if volunteer.resident_id != request.user.resident_id:
        require(request.user, "volunteering.view_certificate", volunteer)
    return selectors.certificate(volunteer, year=year)


def hours_certificate_out(request, c) -> dict:
    return {"id": c.pk, "number": c.number, "verification_code": c.verification_code,
            "volunteer_id": c.volunteer_id, "year": c.year, "minutes": c.minutes, "hours": c.public_content["hours"],
            "records": c.records, "issued_at": c.issued_at,
            "pdf_url": reverse("api:volunteering_hours_certificate_pdf", args=[c.pk]),
            "verify_url": request.build_absolute_uri(
                reverse("api:volunteering_verify_hours_certificate", args=[c.verification_code]))}


@router.post("/volunteers/{volunteer_id}/certificates", response={201: HoursCertificateOut},
             summary="Issue a numbered, verifiable certificate of confirmed hours (the volunteer, or staff in scope)")
def issue_hours_certificate(request, volunteer_id: int, payload: HoursCertificateIn):
    volunteer = selectors.access_volunteer(request.user, volunteer_id)
    if volunteer.resident_id != request.user.resident_id:
        require(request.user, "volunteering.view_certificate", volunteer)
    issued = certificates.issue_hours_certificate(volunteer=volunteer, actor=request.user, year=payload.year)
    return Status(201, hours_certificate_out(request, issued))


@router.get("/certificates/{certificate_id}/pdf", url_name="volunteering_hours_certificate_pdf",
            summary="The certificate of service hours as PDF (志愿服务时长证明)")
def hours_certificate_pdf(request, certificate_id: int):
    certificate = selectors.access_hours_certificate(request.user, certificate_id)
    verify_url = request.build_absolute_uri(
        reverse("api:volunteering_verify_hours_certificate", args=[certificate.verification_code]))
    pdf = certificates.hours_certificate_pdf(certificate=certificate, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/public/certificates/{code}", response=HoursCheckOut, auth=None,
            url_name="volunteering_verify_hours_certificate",
            summary="Anyone checks a certificate of service hours by its verification code (no login)")
def verify_hours_certificate(request, code: str):
    return certificates.verify_hours_certificate(code)


# --- activities -----------------------------------------------------------------------------------------


@router.get("/activities", response=list[ActivityOut])
@paginate(Page)
def list_activities(request, community: ObjectId | None = None, status: str = ""):
    qs = selectors.activities_visible_to(request.user)
    if community:
        qs = qs.filter(community_id=community)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


@router.post("/activities", response={201: ActivityOut})
def create_activity(request, payload: ActivityIn):
    community = access_community(request.user, payload.community)
    require(request.user, "volunteering.manage_activity", community)
    team = None
    if payload.team:
        team = Team.objects.filter(pk=payload.team, community=community).first()
        if team is None:
            raise InvalidInput(field="team")
    activity = services.create_activity(community=community, actor=request.user, team=team,
                                        **payload.dict(exclude={"community", "team"}))
    return Status(201, selectors.access_activity(request.user, activity.pk))


def signup_out(s) -> dict:
    return {"id": s.pk, "activity_id": s.activity_id, "volunteer_id": s.volunteer_id,
            "volunteer": s.volunteer.resident.name, "status": s.status, "checked_in_at": s.checked_in_at,
            "checked_out_at": s.checked_out_at, "record_id": s.record_id,
            "minutes": s.record.minutes if s.record_id else None}


@router.post("/activities/{activity_id}/signups", response={201: SignupOut}, summary="Sign up yourself")
def sign_up(request, activity_id: int):
    activity = selectors.access_activity(request.user, activity_id)
    volunteer = selectors.my_volunteer(request.user)
    if volunteer is None:
        raise Forbidden(_("Register as a volunteer first."))
    signup = services.sign_up(activity=activity, volunteer=volunteer, actor=request.user)
    return Status(201, signup_out(selectors.access_signup(request.user, signup.pk)))


@router.get("/activities/{activity_id}/signups", response=list[SignupOut])
def list_signups(request, activity_id: int):
    activity = selectors.access_activity(request.user, activity_id)
    return [signup_out(s) for s in selectors.signups_visible_to(request.user).filter(activity=activity)]


def _signup_step(request, signup_id: int, step):
    signup = selectors.access_signup(request.user, signup_id)
    require(request.user, "volunteering.check_in", signup)
    return step(signup)


@router.post("/signups/{signup_id}/check-in", response=SignupOut)
def check_in(request, signup_id: int, payload: AtIn):
    _signup_step(request, signup_id, lambda s: services.check_in(signup=s, actor=request.user, at=payload.at))
    return signup_out(selectors.access_signup(request.user, signup_id))


@router.post("/signups/{signup_id}/check-out", response=SignupOut, summary="Check out: minutes await staff")
def check_out(request, signup_id: int, payload: AtIn):
    _signup_step(request, signup_id, lambda s: services.check_out(signup=s, actor=request.user, at=payload.at))
    return signup_out(selectors.access_signup(request.user, signup_id))


@router.post("/signups/{signup_id}/cancel", response=SignupOut)
def cancel_signup(request, signup_id: int):
    _signup_step(request, signup_id, lambda s: services.cancel_signup(signup=s, actor=request.user))
    return signup_out(selectors.access_signup(request.user, signup_id))


# --- service records ------------------------------------------------------------------------------------


def record_out(r: ServiceRecord) -> dict:
    return {"id": r.pk, "volunteer_id": r.volunteer_id, "volunteer": r.volunteer.resident.name,
            "served": r.served.name if r.served_id else None, "description": r.description,
            "served_on": r.served_on, "minutes": r.minutes, "status": r.status, "payment_id": r.payment_id,
            "note": r.note}


@router.get("/records", response=list[RecordOut], summary="Service hours (own, served, or in scope for staff)")
@paginate(Page)
def list_records(request, status: RecordStatus | None = None, volunteer: ObjectId | None = None):
    qs = selectors.records_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    if volunteer:
        qs = qs.filter(volunteer_id=volunteer)
    return MappedPage(qs.order_by("-served_on", "-id"), record_out)


def _record_perm(record: ServiceRecord) -> str:
    return "volunteering.confirm_request_record" if record.served_id else "volunteering.confirm_activity_record"


@router.post("/records/{record_id}/confirm", response=RecordOut,
             summary="Confirm the hours: the volunteer is paid in time coins")
def confirm_record(request, record_id: int, payload: NoteIn):
    record = selectors.access_record(request.user, record_id)
    require(request.user, _record_perm(record), record)
    services.confirm_record(record=record, actor=request.user, note=payload.note)
    return record_out(selectors.access_record(request.user, record_id))


@router.post("/records/{record_id}/reject", response=RecordOut)
def reject_record(request, record_id: int, payload: NoteIn):
    record = selectors.access_record(request.user, record_id)
    require(request.user, _record_perm(record), record)
    services.reject_record(record=record, actor=request.user, note=payload.note)
    return record_out(selectors.access_record(request.user, record_id))


# --- service requests -----------------------------------------------------------------------------------


def request_out_for(user):
    mine = {r.pk for r in acting_residents(user)}

    def out(r: ServiceRequest) -> dict:
        full = r.requester_id in mine or user.has_perm("volunteering.match_request", r)
        return {"id": r.pk, "community_id": r.community_id, "requester_id": r.requester_id,
                "requester": r.requester.name if full else mask_name(r.requester.name), "category": r.category,
                "description": r.description, "wanted_at": r.wanted_at, "funding": r.funding, "status": r.status,
                "volunteer_id": r.volunteer_id, "record_id": r.record_id, "created_at": r.created_at}
    return out


@router.post("/requests", response={201: RequestOut}, summary="Ask for help (for yourself, an elder, or as staff)")
def create_request(request, payload: RequestIn):
    requester = _resident_for(request, payload.requester, "volunteering.request_for")
    created = services.request_service(requester=requester, actor=request.user, category=payload.category,
                                       description=payload.description, funding=payload.funding,
                                       wanted_at=payload.wanted_at)
    return Status(201, request_out_for(request.user)(selectors.access_request(request.user, created.pk)))


@router.get("/requests", response=list[RequestOut])
@paginate(Page)
def list_requests(request, status: RequestStatus | None = None):
    qs = selectors.requests_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    return MappedPage(qs.order_by("-created_at", "-id"), request_out_for(request.user))


@router.post("/requests/{request_id}/match", response=RequestOut,
             summary="Staff match a volunteer; or a volunteer takes the request (no body)")
def match_request(request, request_id: int, payload: MatchIn):
    service_request = selectors.access_request(request.user, request_id)
    if payload.volunteer:
        require(request.user, "volunteering.match_request", service_request)
        volunteer = Volunteer.objects.filter(pk=payload.volunteer).first()
        if volunteer is None:
            raise InvalidInput(field="volunteer")
    else:
        volunteer = selectors.my_volunteer(request.user)
        if volunteer is None:
            raise Forbidden()
    services.match_request(request=service_request, volunteer=volunteer, actor=request.user)
    return request_out_for(request.user)(selectors.access_request(request.user, request_id))


@router.post("/requests/{request_id}/complete", response=RequestOut,
             summary="The volunteer reports the minutes; payment waits for confirmation")
def complete_request(request, request_id: int, payload: CompleteIn):
    service_request = selectors.access_request(request.user, request_id)
    require(request.user, "volunteering.complete_request", service_request)
    services.complete_request(request=service_request, actor=request.user, minutes=payload.minutes,
                              note=payload.note, served_on=payload.served_on)
    return request_out_for(request.user)(selectors.access_request(request.user, request_id))


@router.post("/requests/{request_id}/cancel", response=RequestOut)
def cancel_request(request, request_id: int):
    service_request = selectors.access_request(request.user, request_id)
    require(request.user, "volunteering.cancel_request", service_request)
    services.cancel_request(request=service_request, actor=request.user)
    return request_out_for(request.user)(selectors.access_request(request.user, request_id))


# --- family transfers -----------------------------------------------------------------------------------


@router.post("/transfers", response={201: TransferOut}, summary="Give time coins to a family member (亲情转赠)")
def transfer(request, payload: TransferIn):
    mine = acting_residents(request.user)
    if not mine:
        raise Forbidden()
    sender = mine[0] if payload.from_resident is None else next(
        (r for r in mine if r.pk == payload.from_resident), None)
    if sender is None:
        raise InvalidInput(field="from_resident")
    recipient = Resident.objects.filter(pk=payload.to_resident).first()
    if recipient is None:
        raise InvalidInput(field="to_resident")
    tx = services.transfer_time(sender=sender, recipient=recipient, actor=request.user, minutes=payload.minutes,
                                memo=payload.memo, idempotency_key=payload.idempotency_key)
    balance = posting.resident_account(sender).balance
    return Status(201, {"transaction_id": tx.pk, "minutes": payload.minutes, "balance": balance,
                        "warnings": tx.warnings})


# --- micro-wishes ---------------------------------------------------------------------------------------


def wish_out_for(user):
    def out(w: MicroWish) -> dict:
        full = acts_for(user, w.beneficiary) or user.has_perm("volunteering.post_wish_for", w)
        return {"id": w.pk, "community_id": w.community_id,
                "beneficiary": w.beneficiary.name if full else mask_name(w.beneficiary.name), "title": w.title,
                "description": w.description,
                "category": w.category, "status": w.status, "claimer": w.claimer_name if full else
                mask_name(w.claimer_name), "created_at": w.created_at, "fulfilment_note": w.fulfilment_note}
    return out


@router.post("/wishes", response={201: WishOut},
             summary="Post a micro-wish (微心愿) for yourself, or as staff for a resident")
def create_wish(request, payload: WishIn):
    beneficiary = _resident_for(request, payload.beneficiary, "volunteering.post_wish_for")
    wish = services.post_wish(beneficiary=beneficiary, actor=request.user, title=payload.title,
                              description=payload.description, category=payload.category)
    return Status(201, wish_out_for(request.user)(selectors.access_wish(request.user, wish.pk)))


@router.get("/wishes", response=list[WishOut])
@paginate(Page)
def list_wishes(request, status: WishStatus | None = None, community: ObjectId | None = None):
    qs = selectors.wishes_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    if community:
        qs = qs.filter(community_id=community)
    return MappedPage(qs.order_by("-created_at", "-id"), wish_out_for(request.user))


def _wish_step(request, wish_id: int, perm: str | None, step):
    wish = selectors.access_wish(request.user, wish_id)
    if perm:
        require(request.user, perm, wish)
    step(wish)
    return wish_out_for(request.user)(selectors.access_wish(request.user, wish_id))


@router.post("/wishes/{wish_id}/claim", response=WishOut, summary="A party member claims the wish (党员认领)")
def claim_wish(request, wish_id: int):
    return _wish_step(request, wish_id, None, lambda w: services.claim_wish(wish=w, actor=request.user))


@router.post("/wishes/{wish_id}/release", response=WishOut)
def release_wish(request, wish_id: int):
    return _wish_step(request, wish_id, "volunteering.release_wish",
                      lambda w: services.release_wish(wish=w, actor=request.user))


@router.post("/wishes/{wish_id}/fulfil", response=WishOut)
def fulfil_wish(request, wish_id: int, payload: NoteIn):
    return _wish_step(request, wish_id, "volunteering.fulfil_wish",
                      lambda w: services.fulfil_wish(wish=w, actor=request.user, note=payload.note))


@router.post("/wishes/{wish_id}/confirm", response=WishOut)
def confirm_wish(request, wish_id: int):
    return _wish_step(request, wish_id, "volunteering.confirm_wish",
                      lambda w: services.confirm_wish(wish=w, actor=request.user))


@router.post("/wishes/{wish_id}/cancel", response=WishOut)
def cancel_wish(request, wish_id: int):
    return _wish_step(request, wish_id, "volunteering.cancel_wish",
                      lambda w: services.cancel_wish(wish=w, actor=request.user))


@router.get("/public/wishes/{community_id}", response=list[WishOut], auth=None,
            summary="The community's micro-wish board (no login; names masked)")
def public_wishes(request, community_id: int):
    return [{"id": w.pk, "community_id": w.community_id, "beneficiary": mask_name(w.beneficiary.name),
             "title": w.title, "description": "", "category": w.category, "status": w.status,
             "claimer": mask_name(w.claimer_name), "created_at": w.created_at, "fulfilment_note": w.fulfilment_note}
            for w in selectors.public_wishes(community_id)[:200]]
