"""志愿服务时长证明: issue a numbered certificate of confirmed hours, render it as PDF, check it publicly.

The PDF comes from catalog's ``render_certificate`` (CJK font, QR code of the verification address), read only.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.masking import mask_name
from gongzhi.core.models import AuditEvent

from .models import HoursCertificate, Volunteer
from .selectors import certificate as hours_summary

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
FIRST_YEAR = 2000


def _number(community, year: int) -> str:
    prefix = f"ZY{community.pk:04d}{year}"
    last = (HoursCertificate.objects.select_for_update().filter(number__startswith=prefix)
            .order_by("-number").values_list("number", flat=True).first())
    return f"{prefix}{(int(last[len(prefix):]) + 1) if last else 1:06d}"


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


@transaction.atomic
def issue_hours_certificate(*, volunteer: Volunteer, actor, year: int | None = None) -> HoursCertificate:
    """开具时长证明 — snapshot of the confirmed hours now, numbered ZY<community><year><seq>; audited."""
    today = timezone.localdate()
    if year is not None and not FIRST_YEAR <= year <= today.year:
        raise InvalidInput(_("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR,
                                                                                "last": today.year}, field="year")
    summary = hours_summary(volunteer, year=year)
    if not summary["minutes"]:
        raise InvalidInput(_("There are no confirmed hours to certify."), field="year")
    community = volunteer.community
    certificate = HoursCertificate.objects.create(
        number=_number(community, today.year), verification_code="".join(
            secrets.choice(CODE_ALPHABET) for _i in range(10)),
        volunteer=volunteer, community=community, path=volunteer.path, year=year, minutes=summary["minutes"],
        records=summary["records"], serial=summary["serial"], issued_by=actor,
        public_content={"name": mask_name(summary["name"]), "community": community.name, "year": year,
                        "minutes": summary["minutes"], "hours": _hours(summary["minutes"]),
                        "records": summary["records"], "issued_on": today.isoformat()})
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=certificate, scope_path=volunteer.path,
                 data={"volunteer_id": volunteer.pk, "year": year, "minutes": summary["minutes"]})
    return certificate


def hours_certificate_pdf(*, certificate: HoursCertificate, verify_url: str) -> bytes:
    from gongzhi.catalog.pdf import render_certificate

    volunteer = certificate.volunteer
    resident = volunteer.resident
    issued = timezone.localtime(certificate.issued_at).date()
    when = f"{certificate.year}年" if certificate.year else f"截至{issued:%Y年%m月%d日}"
    body = (f"兹证明{resident.name}自{volunteer.registered_on:%Y年%m月%d日}起注册为{certificate.community.name}"
            f"志愿者，{when}累计参加经确认的志愿服务{certificate.records}次，服务时长"
            f"{_hours(certificate.minutes)}小时（{certificate.minutes}分钟）。")
    teams = "、".join(t.name for t in volunteer.teams.all())
    paragraphs = [body] + ([f"所属志愿服务队：{teams}。"] if teams else []) + [
        "特此证明。", "本证明只统计经服务对象或社区工作人员确认的服务时长。"]
    return render_certificate(title="志愿服务时长证明", number=certificate.number, paragraphs=paragraphs,
                              issuer=f"{certificate.community.name}居民委员会", date_text=f"{issued:%Y年%m月%d日}",
                              verify_url=verify_url, verification_code=certificate.verification_code)


def verify_hours_certificate(code: str) -> dict:
    """Public check of a verification code: valid or unknown (forged); whether the hours changed since."""
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    certificate = (HoursCertificate.objects.filter(verification_code=code).select_related("volunteer__resident")
                   .first()) if code else None
    if certificate is None:
        return {"status": "unknown", "number": None, "content": None, "hours_unchanged": None}
    now = hours_summary(certificate.volunteer, year=certificate.year)
    return {"status": "valid", "number": certificate.number, "content": certificate.public_content,
            "hours_unchanged": now["serial"] == certificate.serial}
