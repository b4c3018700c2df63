"""Resident portal pages (/my/volunteering/): volunteering and the time bank, micro-wishes, a certificate;
and the public micro-wish board of a community (no login, names masked)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongzhi.core.errors import Forbidden, InvalidInput
from gongzhi.core.masking import mask_name
from gongzhi.core.permissions import require
from gongzhi.ledger.identity import acting_residents
from gongzhi.ledger.pages import back, domain_page, int_or_none
from gongzhi.ledger.services import posting
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident

from . import certificates, selectors, services
from .enums import ActivityStatus, Funding, RecordStatus, ServiceCategory, WishCategory, WishStatus


def _residents(request):
    residents = acting_residents(request.user)
    if not residents:
        raise Forbidden(_("Your login is not linked to a registered resident yet."))
    return residents


def _acting_for(request, residents):
    return next((r for r in residents if str(r.pk) == request.POST.get("resident")), residents[0])


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def home(request):
    """志愿服务与时间银行 — register, sign up, ask for help, confirm a service, give coins to family."""
    residents = _residents(request)
    me = residents[0]
    volunteer = selectors.my_volunteer(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "register":
            services.register_volunteer(resident=me, actor=request.user, skills=request.POST.get("skills", ""))
            messages.success(request, _("Welcome, volunteer!"))
        elif action == "signup":
            if volunteer is None:
                raise Forbidden(_("Register as a volunteer first."))
            activity = selectors.access_activity(request.user, int_or_none(request.POST.get("activity")) or 0)
            services.sign_up(activity=activity, volunteer=volunteer, actor=request.user)
            messages.success(request, _("Signed up."))
        elif action in ("check_in", "check_out"):
            signup = selectors.access_signup(request.user, int_or_none(request.POST.get("signup")) or 0)
            require(request.user, "volunteering.check_in", signup)
            step = services.check_in if action == "check_in" else services.check_out
            step(signup=signup, actor=request.user)
        elif action == "ask":
            services.request_service(requester=_acting_for(request, residents), actor=request.user,
                                     category=request.POST.get("category") or ServiceCategory.OTHER,
                                     description=request.POST.get("description", ""),
                                     funding=request.POST.get("funding") or Funding.COMMUNITY)
            messages.success(request, _("Your request was sent; the community will find a volunteer."))
        elif action in ("take", "complete"):
            service_request = selectors.access_request(request.user, int_or_none(request.POST.get("request")) or 0)
            if action == "take":
                if volunteer is None:
                    raise Forbidden(_("Register as a volunteer first."))
                services.match_request(request=service_request, volunteer=volunteer, actor=request.user)
            else:
                require(request.user, "volunteering.complete_request", service_request)
                services.complete_request(request=service_request, actor=request.user,
                                          minutes=int_or_none(request.POST.get("minutes")) or 0,
                                          note=request.POST.get("note", ""))
        elif action == "confirm":
            record = selectors.access_record(request.user, int_or_none(request.POST.get("record")) or 0)
            require(request.user, "volunteering.confirm_request_record", record)
            services.confirm_record(record=record, actor=request.user)
            messages.success(request, _("Thank you; the volunteer was paid in time coins."))
        elif action == "transfer":
            recipient = Resident.objects.filter(pk=int_or_none(request.POST.get("to_resident")) or 0).first()
            if recipient is None:
                raise InvalidInput(_("Choose a family member."), field="to_resident")
            services.transfer_time(sender=_acting_for(request, residents), recipient=recipient, actor=request.user,
                                   minutes=int_or_none(request.POST.get("minutes")) or 0,
                                   idempotency_key=request.POST.get("idempotency_key", "")[:100])
            messages.success(request, _("Given."))
        return back(request)
    mine = [r.pk for r in residents]
    family = list(Resident.objects.filter(household_id__in={r.household_id for r in residents})
                  .exclude(pk=me.pk).order_by("pk")) + [r for r in residents[1:] if r.household_id != me.household_id]
    return render(request, "volunteering_portal/home.html", {
        "me": me, "residents": residents, "volunteer": volunteer,
        "balances": [(r, posting.resident_account(r).balance) for r in residents],
        "activities": selectors.activities_visible_to(request.user).filter(
            community=me.community, status=ActivityStatus.OPEN, ends_at__gt=timezone.now()).order_by("starts_at")[:20],
        "my_signups": selectors.signups_visible_to(request.user).filter(volunteer=volunteer).exclude(
            status="cancelled").order_by("-activity__starts_at")[:20] if volunteer else [],
        "my_requests": selectors.requests_visible_to(request.user).filter(requester_id__in=mine)[:20],
        "to_confirm": selectors.records_visible_to(request.user).filter(served_id__in=mine,
                                                                         status=RecordStatus.PENDING),
        "open_requests": selectors.requests_visible_to(request.user).filter(status="open").exclude(
            requester_id__in=mine)[:20] if volunteer else [],
        "my_tasks": selectors.requests_visible_to(request.user).filter(volunteer=volunteer,
                                                                        status="matched") if volunteer else [],
        "family": family, "categories": ServiceCategory.choices, "fundings": Funding.choices,
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def wishes(request):
    """微心愿 — post a wish; party members claim and fulfil; the resident confirms."""
    residents = _residents(request)
    member_name = services.party_member_name(request.user, residents[0].community)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "post":
            services.post_wish(beneficiary=_acting_for(request, residents), actor=request.user,
                               title=request.POST.get("title", ""), description=request.POST.get("description", ""),
                               category=request.POST.get("category") or WishCategory.GOODS)
            messages.success(request, _("Your wish is on the board."))
        else:
            wish = selectors.access_wish(request.user, int_or_none(request.POST.get("wish")) or 0)
            if action == "claim":
                services.claim_wish(wish=wish, actor=request.user)
                messages.success(request, _("Claimed. Thank you!"))
            elif action == "fulfil":
                require(request.user, "volunteering.fulfil_wish", wish)
                services.fulfil_wish(wish=wish, actor=request.user, note=request.POST.get("note", ""))
            elif action == "confirm":
                require(request.user, "volunteering.confirm_wish", wish)
                services.confirm_wish(wish=wish, actor=request.user)
            elif action == "cancel":
                require(request.user, "volunteering.cancel_wish", wish)
                services.cancel_wish(wish=wish, actor=request.user)
        return back(request)
    mine = {r.pk for r in residents}
    rows = []
    for w in selectors.wishes_visible_to(request.user).filter(community_id__in={r.community_id for r in residents},
                                                              status__in=selectors.PUBLIC_WISH_STATUSES)[:200]:
        own = w.beneficiary_id in mine
        rows.append({"wish": w, "own": own, "name": w.beneficiary.name if own else mask_name(w.beneficiary.name),
                     "claimed_by_me": w.claimed_by_id == request.user.pk})
    return render(request, "volunteering_portal/wishes.html", {
        "rows": rows, "residents": residents, "member_name": member_name, "categories": WishCategory.choices,
        "S": WishStatus,
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def certificate(request):
    """My certificate of service hours; POST issues the numbered, verifiable PDF and opens it."""
    volunteer = selectors.my_volunteer(request.user)
    if volunteer is None:
        raise Forbidden(_("Register as a volunteer first."))
    if request.method == "POST":
        issued = certificates.issue_hours_certificate(volunteer=volunteer, actor=request.user,
                                                      year=int_or_none(request.POST.get("year")))
        return redirect(reverse("api:volunteering_hours_certificate_pdf", args=[issued.pk]))
    return render(request, "volunteering/certificate.html", {
        "c": selectors.certificate(volunteer, year=int_or_none(request.GET.get("year"))),
        "today": timezone.localdate()})


@require_GET
def board(request, community_id: int):
    """微心愿墙 — public, no login; beneficiaries' and claimers' names masked, no details."""
    community = get_object_or_404(Place, pk=community_id, kind=PlaceKind.COMMUNITY)
    rows = [{"wish": w, "name": mask_name(w.beneficiary.name), "claimer": mask_name(w.claimer_name)}
            for w in selectors.public_wishes(community.pk)[:200]]
    return render(request, "volunteering_portal/board.html", {"community": community, "rows": rows})
