"""Writes for the one-stop service hall: catalogue, applications, certificates, 低保 pre-check, task admission."""

import datetime as dt
import json
import secrets
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import crypto, masking
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import DomainError, InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.core.permissions import require
from gongzhi.core.workdays import add_workdays
from gongzhi.registry.enums import ResidentStatus
from gongzhi.registry.models import Household, Place, Resident

from .enums import ApplicationChannel, CertificateKind, TaskDecision
from .models import (
    Application,
    ApplicationEvent,
    AssignedTask,
    Certificate,
    LowIncomeCheck,
    LowIncomeLine,
    ServiceCategory,
    ServiceItem,
)

DEFAULT_CATALOG = Path(__file__).parent / "data" / "default_catalog.json"
# Fuzhou urban 低保 line used when no LowIncomeLine is configured (yuan per person per month).
DEFAULT_LOW_INCOME_LINE_FEN = 95_000
ASSET_MONTHS = 24  # family financial assets per person may not exceed 24 months of the line
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@transaction.atomic
def load_default_catalog() -> tuple[int, int]:
    """Load (or refresh) the shipped district default catalogue; returns (categories, items)."""
    data = json.loads(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    categories = {}
    for c in data["categories"]:
        categories[c["code"]], _created = ServiceCategory.objects.update_or_create(
            code=c["code"], defaults={"name": c["name"], "sort": c["sort"]})
    for i, it in enumerate(data["items"]):
        ServiceItem.objects.update_or_create(code=it["code"], defaults={
            "category": categories[it["category"]], "name": it["name"], "materials": it["materials"],
            "time_limit_days": it["time_limit_days"], "channel": it["channel"], "fee_fen": it["fee_fen"],
            "department": it["department"], "on_admission_catalog": it["on_admission_catalog"],
            "certificate_kind": it["certificate_kind"], "keywords": it.get("keywords", ""), "sort": i})
    return len(data["categories"]), len(data["items"])


def _new_application_number(today: dt.date) -> str:
    return f"SQ{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


@transaction.atomic
def submit_application(*, actor, item: ServiceItem, resident: Resident, channel: str, note: str = "",
                       form_data: dict | None = None) -> Application:
    """一号申请 — a resident (online) or the counter (for a resident) applies for a catalogue item."""
    require(actor, "catalog.apply_for_resident", resident)
    if resident.status != ResidentStatus.ACTIVE:
        raise InvalidInput(_("This resident is archived."), field="resident")
    if channel not in ApplicationChannel.values:
        raise InvalidInput(_("Unknown channel."), field="channel")
    if channel == ApplicationChannel.ONLINE and item.channel == "hall":
        raise InvalidInput(_("This item can only be handled at the service hall."), field="channel")
    today = timezone.localdate()
    for _attempt in range(5):
        application = Application(
            number=_new_application_number(today), item=item, community_id=resident.community_id,
            path=resident.path, resident=resident, household_id=resident.household_id, channel=channel,
            due_on=add_workdays(today, item.time_limit_days), trips=1 if channel == ApplicationChannel.COUNTER else 0,
            form_data=form_data or {}, note=note.strip(), created_by=actor)
        try:
            with transaction.atomic():
                application.save()
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 5 collisions in a million-space
        raise DomainError(_("Could not number the application; try again."))
    ApplicationEvent.objects.create(application=application, action="submit", to_status=application.status,
                                    actor=actor, note=note.strip())
    return application


# --- Certificates -------------------------------------------------------------------------------------

def _verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _certificate_number(community: Place, year: int) -> str:
    prefix = f"ZM{community.pk:04d}{year}"
    last = (Certificate.objects.select_for_update().filter(number__startswith=prefix)
            .order_by("-number").values_list("number", flat=True).first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def _full_content(resident: Resident, *, kind: str, purpose: str, number: str, issued_on: dt.date) -> dict:
    household = resident.household
    building = household.building
    estate = building.parent
    community = resident.community
    return {
        "kind": kind, "number": number, "name": resident.name, "gender": resident.gender,
        "id_number": crypto.decrypt(resident.id_number_cipher) if resident.id_number_cipher else "",
        "community": community.name, "estate": estate.name if estate else "", "building": building.name,
        "door": household.door, "since": resident.moved_in_on.isoformat() if resident.moved_in_on else "",
        "purpose": purpose, "issued_on": issued_on.isoformat(),
    }


def content_digest(content: dict) -> str:
    """Keyed digest of the full printed content, so the public page can confirm without showing it."""
    return crypto.lookup_hash(json.dumps(content, ensure_ascii=False, sort_keys=True))


@transaction.atomic
def issue_certificate(*, actor, resident: Resident, kind: str = CertificateKind.RESIDENCE, purpose: str,
                      application: Application | None = None) -> Certificate:
    """开具证明 — numbered, verifiable, audited. Prints the full ID number, so it needs the reveal right."""
    require(actor, "catalog.issue_certificate", resident)
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise InvalidInput(_("State what the certificate is for."), field="purpose")
    if kind not in CertificateKind.values:
        raise InvalidInput(_("Unknown certificate kind."), field="kind")
    if resident.status != ResidentStatus.ACTIVE:
        raise InvalidInput(_("An archived resident cannot be certified as living here."), field="resident")
    today = timezone.localdate()
    community = resident.community
    number = _certificate_number(community, today.year)
    content = _full_content(resident, kind=kind, purpose=purpose, number=number, issued_on=today)
    public = {
        "kind": kind, "number": number, "name": masking.mask_name(resident.name),
        "id_number": resident.id_number_masked, "community": content["community"],
        "place": f"{content['estate']}{content['building']}", "since": content["since"], "purpose": purpose,
        "issued_on": content["issued_on"],
    }
    certificate = Certificate.objects.create(
        kind=kind, number=number, verification_code=_verification_code(), resident=resident,
        community=community, path=resident.path, purpose=purpose, public_content=public,
        content_digest=content_digest(content), application=application, issued_by=actor,
        valid_until=today + dt.timedelta(days=90))
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=certificate, scope_path=resident.path,
                 reason=purpose, data={"kind": kind, "resident_id": resident.pk})
    return certificate


def certificate_pdf(*, actor, certificate: Certificate, verify_url: str, reason: str = "") -> bytes:
    """The certificate as PDF. Rendering decrypts the ID number, so every rendering is an audited reveal."""
    require(actor, "catalog.issue_certificate", certificate.resident)
    resident = certificate.resident
    content = _full_content(resident, kind=certificate.kind, purpose=certificate.purpose,
                            number=certificate.number, issued_on=dt.date.fromisoformat(
                                certificate.public_content["issued_on"]))
    record_audit(actor=actor, action=AuditEvent.Action.REVEAL, target=resident, field="id_number",
                 reason=reason or _("print certificate %(number)s") % {"number": certificate.number})
    from .pdf import render_certificate

    gender = "男" if content["gender"] == "male" else "女"
    since = dt.date.fromisoformat(content["since"]) if content["since"] else None
    where = f"福州市{certificate.community.parent.name if certificate.community.parent_id else ''}" \
            f"{content['community']}{content['estate']}{content['building']}{content['door']}"
    if certificate.kind == CertificateKind.RESIDENCE:
        title = "居住证明"
        body = (f"兹证明{content['name']}（性别：{gender}，公民身份号码：{content['id_number']}）"
                + (f"自{since:%Y年%m月%d日}起" if since else "现")
                + f"居住在{where}。")
    else:
        title = "家庭关系证明"
        members = "、".join(f"{r.name}（{r.get_relation_display()}）"
                           for r in resident.household.residents.filter(status=ResidentStatus.ACTIVE))
        body = (f"兹证明{content['name']}（性别：{gender}，公民身份号码：{content['id_number']}）"
                f"登记居住于{where}，同户成员：{members}。")
    issued = dt.date.fromisoformat(content["issued_on"])
    return render_certificate(
        title=title, number=certificate.number,
        paragraphs=[body, "特此证明。", f"用途：{certificate.purpose}",
                    f"本证明有效期至{certificate.valid_until:%Y年%m月%d日}。"],
        issuer=f"{certificate.community.name}居民委员会", date_text=f"{issued:%Y年%m月%d日}",
        verify_url=verify_url, verification_code=certificate.verification_code)


def verify_certificate(code: str) -> dict:
    """Public check of a verification code: valid / revoked / expired / unknown (forged), with masked content."""
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    certificate = Certificate.objects.filter(verification_code=code).select_related("community").first()
    if certificate is None:
        return {"status": "unknown"}
    today = timezone.localdate()
    if certificate.revoked_at:
        status = "revoked"
    elif certificate.valid_until and certificate.valid_until < today:
        status = "expired"
    else:
        status = "valid"
    current = _full_content(certificate.resident, kind=certificate.kind, purpose=certificate.purpose,
                            number=certificate.number,
                            issued_on=dt.date.fromisoformat(certificate.public_content["issued_on"]))
    return {"status": status, "content": certificate.public_content,
            "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
            "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
            "revoke_reason": certificate.revoke_reason,
            "registry_unchanged": content_digest(current) == certificate.content_digest}


@transaction.atomic
def revoke_certificate(*, actor, certificate: Certificate, reason: str) -> Certificate:
    require(actor, "catalog.revoke_certificate", certificate)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput(_("Give the reason for revoking."), field="reason")
    if certificate.revoked_at:
        raise InvalidInput(_("This certificate is already revoked."))
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = timezone.now(), actor, reason[:200]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=certificate, reason=reason,
                 data={"revoked": True})
    return certificate


# --- 低保 pre-check ----------------------------------------------------------------------------------

def low_income_line(place: Place, on: dt.date) -> int:
    """The line (fen per person per month) in force for ``place`` on ``on``: the nearest configured ancestor."""
    candidates = [place.path[:i] for i in range(len(place.path), 0, -4)]
    row = (LowIncomeLine.objects.filter(place__path__in=candidates, effective_from__lte=on)
           .select_related("place").order_by("-place__path", "-effective_from").first())
    return row.monthly_fen if row else DEFAULT_LOW_INCOME_LINE_FEN


def assess_low_income(*, members: int, monthly_income_fen: int, assets_fen: int, line_fen: int) -> dict:
    """The arithmetic of the pre-check, exact: per-capita income rounded half-up to the fen."""
    if members < 1:
        raise InvalidInput(_("A household has at least one member."), field="members")
    if monthly_income_fen < 0 or assets_fen < 0:
        raise InvalidInput(_("Income and assets cannot be negative."), field="income")
    per_capita = int((Decimal(monthly_income_fen) / Decimal(members)).quantize(Decimal(1), ROUND_HALF_UP))
    asset_limit = line_fen * ASSET_MONTHS * members
    return {"per_capita_fen": per_capita, "line_fen": line_fen, "asset_limit_fen": asset_limit,
            "below_line": per_capita < line_fen, "within_asset_limit": assets_fen <= asset_limit}


@transaction.atomic
def check_low_income(*, actor, household: Household, incomes_fen: dict[int, int], assets_fen: int = 0,
                     apply: bool = False) -> LowIncomeCheck:
    """低保预审 — members from the registry, incomes entered per member; optionally pre-fill the application.

    The result is a hint for the worker; the decision stays with a person (民政部门审核审批).
    """
    require(actor, "catalog.check_low_income", household)
    members = list(household.residents.filter(status=ResidentStatus.ACTIVE).order_by("id"))
    if not members:
        raise InvalidInput(_("This household has no registered members."), field="household")
    unknown = set(incomes_fen) - {m.pk for m in members}
    if unknown:
        raise InvalidInput(_("Income given for someone who is not a member of this household."), field="incomes")
    if any(v < 0 for v in incomes_fen.values()):
        raise InvalidInput(_("Income and assets cannot be negative."), field="incomes")
    total = sum(incomes_fen.get(m.pk, 0) for m in members)
    today = timezone.localdate()
    result = assess_low_income(members=len(members), monthly_income_fen=total, assets_fen=assets_fen,
                               line_fen=low_income_line(household.building, today))
    detail = {"members": [{"resident_id": m.pk, "name": m.name, "relation": m.relation, "age": m.age(today),
                           "id_number": m.id_number_masked, "monthly_income_fen": incomes_fen.get(m.pk, 0)}
                          for m in members], "address": household.address}
    check = LowIncomeCheck.objects.create(
        household=household, path=household.path, members=len(members), monthly_income_fen=total,
        assets_fen=assets_fen, detail=detail, checked_by=actor, **result)
    if apply:
        head = next((m for m in members if m.relation == "head"), members[0])
        item = ServiceItem.objects.filter(name="最低生活保障申请").first()
        if item is None:
            raise DomainError(_("The catalogue has no 低保 item; load the default catalogue first."))
        check.application = submit_application(
            actor=actor, item=item, resident=head, channel=ApplicationChannel.COUNTER,
            form_data={"low_income_check": check.pk, **detail, **result, "assets_fen": assets_fen})
        check.save(update_fields=["application"])
    return check


# --- 社区工作准入 ----------------------------------------------------------------------------------------

@transaction.atomic
def receive_task(*, actor, community: Place, title: str, sender: str, item: ServiceItem | None = None,
                 purchase_budget_fen: int = 0) -> AssignedTask:
    """A task sent down to the community: accepted if on the admission catalogue, else rejected or bought."""
    require(actor, "catalog.receive_task", community)
    title, sender = (title or "").strip(), (sender or "").strip()
    if not title:
        raise InvalidInput(_("Title is required."), field="title")
    if not sender:
        raise InvalidInput(_("Say who sent the task."), field="sender")
    if item is not None and item.on_admission_catalog:
        decision, reason = TaskDecision.ACCEPTED, ""
    elif purchase_budget_fen > 0:
        decision, reason = TaskDecision.PURCHASED, _("Not on the admission catalogue; bought as a service.")
    else:
        decision, reason = TaskDecision.REJECTED, _("Not on the community work admission catalogue.")
    task = AssignedTask.objects.create(community=community, path=community.path, title=title, item=item,
                                       sender=sender, decision=decision, budget_fen=max(purchase_budget_fen, 0)
                                       if decision == TaskDecision.PURCHASED else 0, reason=reason, actor=actor)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=task, scope_path=community.path,
                 data={"decision": decision})
    return task
