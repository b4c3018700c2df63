"""Pages of 诉求办理: the staff console (inboxes, case page, overdue board, responsibility lists) and the
resident portal (submit, my appeals, rate) plus the public board.

Pages read through the selectors and write through the services and the workflow, like the API. A POST
the domain refuses comes back to the same page with the translated reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.accounts.models import Department
from gongzhi.accounts.selectors import scopes_of
from gongzhi.core.errors import DomainError, InvalidInput, NotFound
from gongzhi.core.permissions import require
from gongzhi.party.enums import Function
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident

from . import selectors, services, workflow
from .enums import STAFF_CHANNELS, Action, AppealStatus, Channel, ListStatus, Rating, Tier
from .models import Appeal, Attachment, ResponsibilityItem, ResponsibilityList

PER_PAGE = 20
STATUS_BADGES = {
    "submitted": "badge-grey",
    "triaged": "badge-blue",
    "assigned": "badge-blue",
    "accepted": "badge-blue",
    "in_progress": "badge-amber",
    "replied": "badge-green",
    "rated": "badge-green",
    "closed": "badge-green",
    "withdrawn": "badge-grey",
    "merged": "badge-grey",
}
TIER_BADGES = {"government": "badge-red", "community": "badge-amber", "private": "badge-blue"}


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


class _InboxPaginator(Paginator):
    """Counts at most ``selectors.INBOX_COUNT_CAP`` open cases (one partial-index range): a street's inbox
    pages through its first thousand cases, earliest deadline first, without counting a hundred thousand."""

    @cached_property
    def count(self):
        return selectors.bounded_count(self.object_list)[0]


def _inbox_page(request, qs):
    return _InboxPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _fail(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


def _staff_communities(user):
    """Communities the user works in as staff (for the staff entry form and the list editor)."""
    from django.db.models import Q

    from gongzhi.core import paths

    scopes = scopes_of(user)
    qs = Place.objects.filter(kind=PlaceKind.COMMUNITY)
    if any(s.role == "admin" for s in scopes):
        return qs.order_by("path")
    q = Q(pk__in=[])
    for s in scopes:
        if not s.path or s.role in ("department_handler", "resident", "volunteer", "merchant"):
            continue
        q |= Q(pk=s.community_id) if s.community_id else paths.subtree_q("path", s.path)
    return qs.filter(q).order_by("path")


def _handlers(appeal_or_community) -> dict:
    community = getattr(appeal_or_community, "community", None) or appeal_or_community
    ancestors = [community.path[:i] for i in range(4, len(community.path) + 1, 4)]
    return {
        "departments": Department.objects.filter(place__path__in=ancestors).order_by("name", "office"),
        "committees": Function.choices,
        "tiers": Tier.choices,
    }


# ---- console ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def appeal_list(request):
    filters = {k: request.GET.get(k, "") for k in ("status", "tier", "q", "channel")}
    qs = selectors.search_appeals(request.user, **filters)
    return render(
        request,
        "appeals/list.html",
        {
            "page": _page(request, qs),
            "filters": filters,
            "statuses": AppealStatus.choices,
            "tiers": Tier.choices,
            "channels": Channel.choices,
            "title": _("Appeals"),
            "badges": STATUS_BADGES,
            "tier_badges": TIER_BADGES,
        },
    )


@login_required
@require_GET
def triage_inbox(request):
    qs = selectors.triage_inbox(request.user)
    return render(
        request,
        "appeals/triage.html",
        {"page": _inbox_page(request, qs), "badges": STATUS_BADGES, "tier_badges": TIER_BADGES},
    )


@login_required
@require_GET
def handler_inbox(request):
    qs = selectors.handler_inbox(request.user)
    return render(
        request,
        "appeals/list.html",
        {
            "page": _inbox_page(request, qs),
            "title": _("Cases to handle"),
            "badges": STATUS_BADGES,
            "tier_badges": TIER_BADGES,
            "inbox": True,
        },
    )


@login_required
@require_GET
def overdue(request):
    group = request.GET.get("group", "handler")
    if group not in ("handler", "community", "street"):
        group = "handler"
    rows = selectors.overdue_board(request.user, group=group)
    cases = selectors.with_related(selectors.appeals_handled_by(request.user).overdue()).order_by("due_at")
    return render(
        request,
        "appeals/overdue.html",
        {
            "rows": rows,
            "group": group,
            "page": _page(request, cases),
            "badges": STATUS_BADGES,
            "tier_badges": TIER_BADGES,
        },
    )


def _actions_for(user, appeal):
    return [a for a in workflow.available_actions(appeal) if user.has_perm(f"appeals.{a}_appeal", appeal)]


@login_required
def appeal_detail(request, appeal_id: int):
    try:
        appeal = selectors.access_appeal(request.user, appeal_id)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        return _act(request, appeal)
    context = {
        "appeal": appeal,
        "events": selectors.appeal_timeline(appeal),
        "actions": _actions_for(request.user, appeal),
        "photos": appeal.attachments.filter(event__isnull=True),
        "ratings": Rating.choices,
        "items": _published_items(appeal.community_id),
        "badges": STATUS_BADGES,
        "tier_badges": TIER_BADGES,
        "show_contact": request.user.has_perm("appeals.view_contact", appeal) and not appeal.anonymous,
        **_handlers(appeal),
    }
    template = "appeals/detail.html#case" if request.htmx else "appeals/detail.html"
    return render(request, template, context)


def _published_items(community_id):
    rlist = selectors.published_list(community_id)
    return list(rlist.items.all()) if rlist else []


def _act(request, appeal: Appeal):
    action = request.POST.get("action", "")
    try:
        if action not in Action.values or action in (Action.SUBMIT, Action.REMIND):
            raise InvalidInput(_("Unknown action."), field="action")
        require(request.user, f"appeals.{action}_appeal", appeal)
        params = {"rating": request.POST.get("rating", ""), "comment": request.POST.get("comment", "")}
        if request.POST.get("resolved") in ("0", "1"):
            params["resolved"] = request.POST["resolved"] == "1"
        if action == Action.TRIAGE:
            item = None
            if request.POST.get("item"):
                item = ResponsibilityItem.objects.filter(
                    pk=request.POST["item"], responsibility_list__community_id=appeal.community_id
                ).first()
            elif request.POST.get("accept_suggestion") and appeal.suggestion:
                params.update(
                    tier=appeal.suggestion.get("tier", ""),
                    category=appeal.suggestion.get("category", ""),
                    handler=appeal.suggestion.get("handler", ""),
                )
                if appeal.suggestion.get("item"):
                    item = ResponsibilityItem.objects.filter(pk=appeal.suggestion["item"]).first()
            params.setdefault("tier", request.POST.get("tier", ""))
            params.setdefault("category", request.POST.get("category", ""))
            params.setdefault("handler", request.POST.get("handler", ""))
            params["item"] = item
        if action == Action.MERGE:
            into = request.POST.get("into", "")
            params["into"] = selectors.access_appeal(request.user, into).pk if into else None
        files = request.FILES.getlist("files")[:9]
        workflow.transition(
            appeal, action, actor=request.user, note=request.POST.get("note", ""), files=files, **params
        )
        messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    except DomainError as exc:
        _fail(request, exc)
    except NotFound:
        messages.error(request, _("Not found."))
    back = request.POST.get("next", "")
    if back.startswith("/console/") or back.startswith("/my/"):
        return redirect(back)
    if selectors.appeals_visible_to(request.user).filter(pk=appeal.pk).exists():
        return redirect("appeals:detail", appeal_id=appeal.pk)
    return redirect("appeals:inbox")


@login_required
def staff_entry(request):
    """Record an appeal received by phone, mailbox, talk day, opinion diary, grid walk or party studio."""
    communities = _staff_communities(request.user)
    if request.method == "POST":
        try:
            community = communities.filter(pk=request.POST.get("community") or 0).first()
            if community is None:
                raise InvalidInput(_("Choose the community."), field="community")
            require(request.user, "appeals.submit_appeal", community)
            place = None
            if request.POST.get("place"):
                place = Place.objects.filter(pk=request.POST["place"], community=community).first()
            channel = request.POST.get("channel", "")
            if channel not in STAFF_CHANNELS:
                raise InvalidInput(_("Choose the channel."), field="channel")
            resident = None
            if request.POST.get("resident"):
                resident = Resident.objects.filter(pk=request.POST["resident"], community=community).first()
                if resident is None or not request.user.has_perm("registry.view_resident", resident):
                    raise InvalidInput(_("Choose a resident of this community."), field="resident")
            appeal = services.submit_appeal(
                actor=request.user,
                community=community,
                place=place,
                text=request.POST.get("text", ""),
                channel=channel,
                resident=resident,
                contact_name=request.POST.get("contact_name", ""),
                contact_phone=request.POST.get("contact_phone", ""),
                photos=request.FILES.getlist("photos"),
                anonymous=request.POST.get("anonymous") == "1",
            )
            messages.success(request, _("Appeal #%(id)s recorded.") % {"id": appeal.pk})
            return redirect("appeals:detail", appeal_id=appeal.pk)
        except DomainError as exc:
            _fail(request, exc)
    return render(
        request,
        "appeals/new.html",
        {
            "communities": communities,
            "channels": [(c, Channel(c).label) for c in Channel.values if c in STAFF_CHANNELS],
            "post": request.POST,
        },
    )


# ---- responsibility lists --------------------------------------------------------------------------------


@login_required
@require_GET
def lists(request):
    communities = _staff_communities(request.user)
    published = {
        r.community_id: r
        for r in ResponsibilityList.objects.filter(community__in=communities, status=ListStatus.PUBLISHED)
    }
    rows = [{"community": c, "published": published.get(c.pk)} for c in communities[:500]]
    return render(request, "appeals/lists.html", {"rows": rows})


def _community_for_list(request, community_id: int) -> Place:
    community = _staff_communities(request.user).filter(pk=community_id).first()
    if community is None:
        raise Http404
    return community


@login_required
def list_editor(request, community_id: int):
    community = _community_for_list(request, community_id)
    may_edit = request.user.has_perm("appeals.change_responsibilitylist", community)
    if request.method == "POST":
        try:
            require(request.user, "appeals.change_responsibilitylist", community)
            op = request.POST.get("op")
            draft = ResponsibilityList.objects.filter(community=community, status=ListStatus.DRAFT).first()
            if op == "draft":
                services.draft_list(actor=request.user, community=community)
                messages.success(request, _("Draft started."))
            elif op == "publish" and draft:
                services.publish_list(actor=request.user, rlist=draft)
                messages.success(request, _("Version %(v)s published.") % {"v": draft.version})
            elif op in ("save_item", "add_item") and draft:
                item = draft.items.filter(pk=request.POST.get("item") or 0).first() if op == "save_item" else None
                values = {
                    k: request.POST.get(k, "")
                    for k in ("matter", "category", "tier", "description", "help_text", "keywords", "code")
                }
                for k in ("accept_hours", "respond_hours", "reply_days"):
                    try:
                        values[k] = int(request.POST.get(k, ""))
                    except ValueError:
                        raise InvalidInput(_("Time limits are whole numbers."), field=k) from None
                values["handler"] = request.POST.get("handler", "")
                if item is not None:
                    values.pop("code")
                services.save_item(actor=request.user, rlist=draft, values=values, item=item)
                messages.success(request, _("Saved."))
            elif op == "delete_item" and draft:
                item = draft.items.filter(pk=request.POST.get("item") or 0).first()
                if item:
                    services.delete_item(actor=request.user, item=item)
            return redirect("appeals:list_editor", community_id=community.pk)
        except DomainError as exc:
            _fail(request, exc)
    versions = list(selectors.lists_of(community.pk))
    draft = next((v for v in versions if v.status == ListStatus.DRAFT), None)
    published = next((v for v in versions if v.status == ListStatus.PUBLISHED), None)
    shown = draft or published
    items = list(shown.items.select_related("department").order_by("tier", "sort", "id")) if shown else []
    return render(
        request,
        "appeals/list_editor.html",
        {
            "community": community,
            "versions": versions,
            "draft": draft,
            "published": published,
            "shown": shown,
            "items": items,
            "may_edit": may_edit,
            "tier_badges": TIER_BADGES,
            **_handlers(community),
        },
    )


# ---- resident portal -------------------------------------------------------------------------------------


@login_required
@require_GET
def my_appeals(request):
    qs = selectors.with_related(selectors.own_appeals(request.user)).order_by("-created_at", "-id")
    return render(
        request,
        "appeals/portal/mine.html",
        {"page": _page(request, qs), "badges": STATUS_BADGES, "tier_badges": TIER_BADGES},
    )


@login_required
def portal_submit(request):
    resident = request.user.resident if request.user.resident_id else None
    places = []
    if resident is not None:
        building = resident.household.building
        places = [
            building,
            *Place.objects.filter(community_id=resident.community_id)
            .exclude(kind=PlaceKind.BUILDING)
            .exclude(pk=building.pk)
            .order_by("path")[:200],
        ]
    if request.method == "POST":
        try:
            if resident is None:
                raise InvalidInput(_("Only a registered resident can submit here; call your community."), field="text")
            place = None
            if request.POST.get("place"):
                place = Place.objects.filter(pk=request.POST["place"], community_id=resident.community_id).first()
            require(request.user, "appeals.submit_appeal", place or resident.community)
            anonymous = request.POST.get("anonymous") == "1"
            appeal = services.submit_appeal(
                actor=request.user,
                community=resident.community,
                place=place or building,
                text=request.POST.get("text", ""),
                channel=Channel.PORTAL,
                resident=None if anonymous else resident,
                contact_phone=request.POST.get("contact_phone", ""),
                anonymous=anonymous,
                photos=request.FILES.getlist("photos"),
                idempotency_key=request.POST.get("idempotency_key", "")[:100],
                idempotency_payload={"text": request.POST.get("text", "")},
            )
            return redirect("appeals_portal:detail", appeal_id=appeal.pk)
        except DomainError as exc:
            _fail(request, exc)
    import uuid

    return render(
        request,
        "appeals/portal/new.html",
        {
            "places": places,
            "post": request.POST,
            "idempotency_key": uuid.uuid4().hex,
            "allow_anonymous": resident is not None
            and selectors.appeal_settings(resident.community_id).allow_anonymous,
        },
    )


@login_required
def portal_detail(request, appeal_id: int):
    try:
        appeal = selectors.with_related(selectors.own_appeals(request.user)).get(pk=appeal_id)
    except (Appeal.DoesNotExist, ValueError):
        raise Http404 from None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in (Action.RATE, Action.WITHDRAW, Action.REOPEN):
                raise InvalidInput(_("Unknown action."), field="action")
            require(request.user, f"appeals.{action}_appeal", appeal)
            workflow.transition(
                appeal,
                action,
                actor=request.user,
                note=request.POST.get("note", ""),
                rating=request.POST.get("rating", ""),
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Thank you."))
        except DomainError as exc:
            _fail(request, exc)
        return redirect("appeals_portal:detail", appeal_id=appeal.pk)
    events = [e for e in selectors.appeal_timeline(appeal)]
    return render(
        request,
        "appeals/portal/detail.html",
        {
            "appeal": appeal,
            "events": events,
            "actions": _actions_for(request.user, appeal),
            "ratings": Rating.choices,
            "badges": STATUS_BADGES,
            "tier_badges": TIER_BADGES,
            "help_text": appeal.list_item.help_text if appeal.list_item_id else "",
        },
    )


@require_GET
def public_board(request):
    community = request.GET.get("community", "")
    qs = selectors.public_appeals(
        community=int(community) if community.isdigit() else None, tier=request.GET.get("tier", "")
    )
    communities = (
        Place.objects.filter(kind=PlaceKind.COMMUNITY, appeals__status="closed").distinct().order_by("path")[:200]
    )
    return render(
        request,
        "appeals/portal/board.html",
        {
            "page": _page(request, qs),
            "communities": communities,
            "community": community,
            "tier_badges": TIER_BADGES,
            "tiers": Tier.choices,
            "tier": request.GET.get("tier", ""),
        },
    )


@require_GET
def public_list(request, community_id: int):
    """三事分流责任清单 (公示) — a community's published list, public."""
    community = Place.objects.filter(pk=community_id, kind=PlaceKind.COMMUNITY).first()
    rlist = selectors.published_list(community_id) if community else None
    if rlist is None:
        raise Http404
    items = sorted(rlist.items.all(), key=lambda i: (["government", "community", "private"].index(i.tier), i.sort))
    return render(request, "appeals/portal/list.html", {"community": community, "rlist": rlist, "items": items})


@login_required
@require_GET
def attachment(request, attachment_id: int):
    """A photo or file of a case, to those who may see the case (missing and forbidden look the same)."""
    found = Attachment.objects.filter(pk=attachment_id).select_related("appeal").first()
    if found is None or not selectors.appeals_visible_to(request.user).filter(pk=found.appeal_id).exists():
        raise Http404
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=found.content_type or "application/octet-stream")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
