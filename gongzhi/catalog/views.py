"""Service hall pages: the counter (find a resident, issue a certificate) and the public verification page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongzhi.core.errors import DomainError
from gongzhi.registry import selectors as registry_selectors

from . import selectors, services
from .enums import CertificateKind


@login_required
def counter(request):
    """窗口模式 — keyboard-first: type a name, initials or last 4 ID digits, pick the resident, act."""
    q = request.GET.get("q", "").strip()
    residents = registry_selectors.search_residents(request.user, q=q)[:20] if q else []
    resident = None
    if request.GET.get("resident"):
        resident = registry_selectors.access_resident(request.user, request.GET["resident"])
    context = {
        "q": q, "residents": residents, "resident": resident,
        "certificates": selectors.certificates_visible_to(request.user).filter(resident=resident)[:10]
        if resident else [],
        "applications": selectors.applications_visible_to(request.user).filter(resident=resident)[:10]
        if resident else [],
        "kinds": CertificateKind.choices,
        "can_certify": resident is not None and request.user.has_perm("catalog.issue_certificate", resident),
    }
    template = "catalog/counter.html#results" if request.htmx and not resident else "catalog/counter.html"
    return render(request, template, context)


@login_required
@require_POST
def issue_certificate(request, resident_id: int):
    resident = registry_selectors.access_resident(request.user, resident_id)
    try:
        certificate = services.issue_certificate(actor=request.user, resident=resident,
                                                 kind=request.POST.get("kind", CertificateKind.RESIDENCE),
                                                 purpose=request.POST.get("purpose", ""))
    except DomainError as exc:
        return render(request, "catalog/counter.html", {
            "resident": resident, "error": exc.message, "kinds": CertificateKind.choices, "can_certify": True,
            "certificates": selectors.certificates_visible_to(request.user).filter(resident=resident)[:10],
        }, status=exc.status)
    return redirect(f"{reverse('catalog:counter')}?resident={resident.pk}&issued={certificate.pk}")


@login_required
def certificate_pdf(request, certificate_id: int):
    certificate = selectors.access_certificate(request.user, certificate_id)
    verify_url = request.build_absolute_uri(reverse("catalog_public:verify", args=[certificate.verification_code]))
    pdf = services.certificate_pdf(actor=request.user, certificate=certificate, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def applications(request):
    status = request.GET.get("status", "")
    qs = selectors.applications_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    return render(request, "catalog/applications.html", {"applications": qs[:100], "status": status})


@login_required
def care_lists(request):
    """一老一少 — the care worker's lists: elderly by filters, today's meal run sheet, the check-up worklist."""
    from django.utils import timezone

    from . import care
    from .models import CheckupCampaign

    tab = request.GET.get("tab", "elderly")
    try:
        min_age = max(0, min(130, int(request.GET.get("min_age", "80"))))
    except ValueError:
        min_age = 80
    living_alone = request.GET.get("living_alone", "1") == "1"
    context = {"tab": tab, "min_age": min_age, "living_alone": living_alone, "today": timezone.localdate()}
    if tab == "meals":
        context["sheet"] = care.meal_run_sheet(request.user, day=timezone.localdate())
    elif tab == "checkups":
        campaign = CheckupCampaign.objects.filter(year=timezone.localdate().year).order_by("-id").first()
        visible = care.care_residents_visible_to(request.user).values("pk")
        context["campaign"] = campaign
        context["records"] = (campaign.records.filter(resident_id__in=visible)
                              .select_related("resident__household__building__parent")[:500] if campaign else [])
    elif tab == "phones":
        context["people"] = care.elderly_list(request.user, min_age=65, without_emergency_phone=True)[:500]
    else:
        context["people"] = care.elderly_list(request.user, min_age=min_age, living_alone=living_alone)[:500]
    return render(request, "catalog/care.html", context)


def verify_form(request):
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("catalog_public:verify", code=code)
    return render(request, "catalog/verify.html", {"result": None})


def verify(request, code: str):
    """证明核验 — public, no login: shows only masked content and the certificate's status."""
    return render(request, "catalog/verify.html", {"code": code, "result": services.verify_certificate(code)})
