from django.http import HttpResponse
from django.urls import reverse
from ninja import Router
from ninja.pagination import paginate

from gongzhi.core.api import MappedPage, Page
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.core.permissions import require
from gongzhi.registry import selectors as registry_selectors

from . import selectors, services, workflow
from .enums import ApplicationAction
from .models import ServiceItem
from .schemas import (
    ApplicationActionIn,
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    CertificateIn,
    CertificateOut,
    LowIncomeIn,
    LowIncomeOut,
    RevokeIn,
    ServiceItemOut,
    TaskIn,
    TaskOut,
)

router = Router(tags=["services"])


def item_out(i: ServiceItem) -> dict:
    return {"id": i.pk, "code": i.code, "name": i.name, "category": i.category.name, "materials": i.materials,
            "time_limit_days": i.time_limit_days, "channel": i.channel, "fee_fen": i.fee_fen,
            "department": i.department, "on_admission_catalog": i.on_admission_catalog}


def application_out(a, user=None) -> dict:
    actions = [x for x in workflow.available_actions(a)
               if user is None or user.has_perm(workflow.PERMISSION[x], a)]
    return {"id": a.pk, "number": a.number, "item": a.item.code, "item_name": a.item.name,
            "resident_id": a.resident_id, "resident_name": a.resident.name, "channel": a.channel,
            "status": a.status, "due_on": a.due_on, "trips": a.trips, "at_most_one_trip": a.at_most_one_trip,
            "missing_materials": a.missing_materials, "result_note": a.result_note, "available_actions": actions}


def certificate_out(request, c) -> dict:
    return {"id": c.pk, "number": c.number, "kind": c.kind, "verification_code": c.verification_code,
            "resident_id": c.resident_id, "purpose": c.purpose, "issued_at": c.issued_at,
            "valid_until": c.valid_until, "revoked": c.revoked_at is not None,
            "pdf_url": reverse("catalog:certificate_pdf", args=[c.pk]),
            "verify_url": request.build_absolute_uri(reverse("catalog_public:verify", args=[c.verification_code]))}


@router.get("/catalog/items", response=list[ServiceItemOut], auth=None)
@paginate(Page)
def list_items(request, q: str = "", category: str = ""):
    """The one-stop service catalogue (public)."""
    return MappedPage(selectors.catalog_items(q=q, category=category), item_out)


@router.get("/applications", response=list[ApplicationOut])
@paginate(Page)
def list_applications(request, status: str = ""):
    qs = selectors.applications_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    return MappedPage(qs, lambda a: application_out(a, request.user))


@router.post("/applications", response={201: ApplicationOut})
def create_application(request, payload: ApplicationIn):
    item = ServiceItem.objects.filter(code=payload.item).first()
    if item is None:
        raise InvalidInput("unknown item", field="item")
    resident = registry_selectors.access_resident(request.user, payload.resident_id)
    application = services.submit_application(actor=request.user, item=item, resident=resident,
                                              channel=payload.channel, note=payload.note)
    return 201, application_out(application, request.user)


@router.get("/applications/{application_id}", response=ApplicationDetailOut)
def get_application(request, application_id: int):
    a = selectors.access_application(request.user, application_id)
    return {**application_out(a, request.user), "events": list(a.events.all())}


@router.post("/applications/{application_id}/actions/{action}", response=ApplicationOut)
def act_on_application(request, application_id: int, action: ApplicationAction, payload: ApplicationActionIn):
    a = selectors.access_application(request.user, application_id)
    require(request.user, workflow.PERMISSION[action], a)
    a = workflow.transition(a, action, actor=request.user, note=payload.note, missing=payload.missing)
    return application_out(selectors.access_application(request.user, a.pk), request.user)


@router.post("/certificates", response={201: CertificateOut})
def create_certificate(request, payload: CertificateIn):
    resident = registry_selectors.access_resident(request.user, payload.resident_id)
    application = (selectors.access_application(request.user, payload.application_id)
                   if payload.application_id else None)
    c = services.issue_certificate(actor=request.user, resident=resident, kind=payload.kind,
                                   purpose=payload.purpose, application=application)
    return 201, certificate_out(request, c)


@router.get("/certificates/{certificate_id}/pdf")
def certificate_pdf(request, certificate_id: int):
    c = selectors.access_certificate(request.user, certificate_id)
    verify_url = request.build_absolute_uri(reverse("catalog_public:verify", args=[c.verification_code]))
    pdf = services.certificate_pdf(actor=request.user, certificate=c, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{c.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@router.post("/certificates/{certificate_id}/revoke", response=CertificateOut)
def revoke(request, certificate_id: int, payload: RevokeIn):
    c = selectors.access_certificate(request.user, certificate_id)
    return certificate_out(request, services.revoke_certificate(actor=request.user, certificate=c,
                                                                reason=payload.reason))


@router.get("/public/certificates/{code}", auth=None)
def verify(request, code: str):
    """Anyone can check a certificate's verification code: valid, revoked, expired or unknown."""
    return services.verify_certificate(code)


@router.post("/low-income-checks", response={201: LowIncomeOut})
def low_income_check(request, payload: LowIncomeIn):
    household = registry_selectors.access_household(request.user, payload.household_id)
    check = services.check_low_income(actor=request.user, household=household, incomes_fen=payload.incomes_fen,
                                      assets_fen=payload.assets_fen, apply=payload.apply)
    return 201, {**{f: getattr(check, f) for f in LowIncomeOut.model_fields if f != "application_id"},
                 "application_id": check.application_id}


@router.post("/community-tasks", response={201: TaskOut})
def receive_task(request, payload: TaskIn):
    community = registry_selectors.access_place(request.user, payload.community_id)
    if community.kind != "community":
        raise NotFound()
    item = ServiceItem.objects.filter(code=payload.item).first() if payload.item else None
    if payload.item and item is None:
        raise InvalidInput("unknown item", field="item")
    task = services.receive_task(actor=request.user, community=community, title=payload.title,
                                 sender=payload.sender, item=item, purchase_budget_fen=payload.purchase_budget_fen)
    return 201, {"id": task.pk, "decision": task.decision, "reason": task.reason, "budget_fen": task.budget_fen}
