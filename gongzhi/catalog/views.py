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


def verify_form(request):
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("catalog_public:verify", code=code)
    return render(request, "catalog/verify.html", {"result": None})


def verify(request, code: str):
    """证明核验 — public, no login: shows only masked content and the certificate's status."""
    return render(request, "catalog/verify.html", {"code": code, "result": services.verify_certificate(code)})
