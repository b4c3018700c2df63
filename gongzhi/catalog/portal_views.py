"""Resident portal pages (/my/catalog/): apply for a service and track it; order a merchant service or book a
shared resource and follow it; rate what was done. Also the pages of a merchant's staff (their unit's orders)
and of a social organisation (its incubation record). Every page shows only the user's own household or unit.
"""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from gongzhi.core.permissions import require
from gongzhi.registry.enums import ResidentStatus
from gongzhi.registry.models import Resident
from gongzhi.registry.selectors import own_household_id

from . import market, selectors, services, workflow
from .enums import ApplicationAction, ApplicationChannel, OrderStatus, ServiceKind
from .models import Application, OrgProject, ServiceItem, SharedResource

LIST_LIMIT = 50


def portal_page(view):
    """NotFound → 404, Forbidden → 403; another refusal on POST: the message, and back to the page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from None
        except DomainError as exc:
            if request.method != "POST":
                return HttpResponseBadRequest(str(exc.message))
            messages.error(request, str(exc.message))
            return redirect(request.get_full_path())

    return wrapper


def household_members(user) -> list[Resident]:
    """The active residents of the user's own household, the user first: the people they may act for."""
    household_id = own_household_id(user)
    if household_id is None:
        return []
    rows = Resident.objects.filter(household_id=household_id, status=ResidentStatus.ACTIVE).order_by("id")
    return sorted(rows, key=lambda r: r.pk != user.resident_id)


def _members_or_refuse(request) -> list[Resident]:
    members = household_members(request.user)
    if not members:
        raise Forbidden(_("Your login is not linked to a registered resident yet."))
    return members


def _chosen(request, members: list[Resident]) -> Resident:
    wanted = request.POST.get("resident", "")
    for m in members:
        if str(m.pk) == wanted:
            return m
    if wanted:
        raise InvalidInput(_("Choose someone of your household."), field="resident")
    return members[0]


def _id(value) -> int:
    """A posted id; anything else matches nothing (0), never a 500."""
    try:
        return max(0, min(int(value or 0), 2**53))
    except (TypeError, ValueError):
        return 0


def _local_datetime(value: str, field: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        raise InvalidInput(_("Enter a date and time."), field=field) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _own_applications(user):
    household_id = own_household_id(user)
    if household_id is None:
        return Application.objects.none()
    return (Application.objects.filter(household_id=household_id)
            .select_related("item__category", "resident"))


def _access_own_application(user, application_id: int) -> Application:
    try:
        return _own_applications(user).get(pk=application_id)
    except Application.DoesNotExist:
        raise NotFound() from None


# --- Resident: home, apply, track ------------------------------------------------------------------------

@login_required
@portal_page
@require_GET
def home(request):
    """我的办事 — my household's applications, orders and bookings, newest first."""
    members = household_members(request.user)
    household_id = own_household_id(request.user)
    orders = bookings = []
    if household_id is not None:
        orders = list(market.orders_visible_to(request.user).filter(resident__household_id=household_id)
                      .order_by("-created_at")[:LIST_LIMIT])
        bookings = list(market.bookings_visible_to(request.user).filter(resident__household_id=household_id)
                        .order_by("-starts_at")[:LIST_LIMIT])
    units = list(market.staff_units(request.user))
    context = {"members": members, "applications": list(_own_applications(request.user)[:LIST_LIMIT]),
               "orders": orders, "bookings": bookings, "now": timezone.now(),
               "sells": any(u.kind != "social_organization" for u in units),
               "organizes": any(u.kind == "social_organization" for u in units)}
    return render(request, "catalog/portal/home.html", context)


@login_required
@portal_page
@require_GET
def items(request):
    """办事指南 — search the catalogue for what can be applied for online; htmx swaps the result list."""
    q = request.GET.get("q", "").strip()[:50]
    found = selectors.catalog_items(q=q).exclude(channel="hall")[:LIST_LIMIT] if q else []
    context = {"q": q, "items": found,
               "popular": selectors.catalog_items().exclude(channel="hall").filter(fee_fen=0)[:8]}
    template = "catalog/portal/items.html#results" if request.htmx else "catalog/portal/items.html"
    return render(request, template, context)


@login_required
@portal_page
@require_http_methods(["GET", "POST"])
def apply(request, code: str):
    """一号申请 — apply online for someone of the household; materials are listed before applying."""
    item = ServiceItem.objects.select_related("category").filter(code=code).first()
    if item is None:
        raise NotFound()
    members = _members_or_refuse(request)
    if request.method == "POST":
        resident = _chosen(request, members)
        application = services.submit_application(actor=request.user, item=item, resident=resident,
                                                  channel=ApplicationChannel.ONLINE,
                                                  note=request.POST.get("note", "")[:1000])
        messages.success(request, _("Application %(number)s submitted.") % {"number": application.number})
        return redirect("catalog_portal:application", application_id=application.pk)
    return render(request, "catalog/portal/apply.html", {"item": item, "members": members,
                                                         "hall_only": item.channel == "hall"})


EVENT_LABELS = {"submit": _lazy("submitted"), **dict(ApplicationAction.choices)}
RESIDENT_ACTIONS = (ApplicationAction.WITHDRAW, ApplicationAction.RESUBMIT)


@login_required
@portal_page
@require_http_methods(["GET", "POST"])
def application(request, application_id: int):
    """Track one application: status, deadline, the missing materials asked for, the result, the timeline."""
    a = _access_own_application(request.user, application_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in RESIDENT_ACTIONS:
            raise InvalidInput(_("Unknown action."), field="action")
        require(request.user, workflow.PERMISSION[action], a)
        workflow.transition(a, action, actor=request.user, note=request.POST.get("note", "")[:1000])
        messages.success(request, _("Done."))
        return redirect("catalog_portal:application", application_id=a.pk)
    actions = [x for x in workflow.available_actions(a)
               if x in RESIDENT_ACTIONS and request.user.has_perm(workflow.PERMISSION[x], a)]
    events = list(a.events.all())
    for e in events:
        e.label = EVENT_LABELS.get(e.action, e.action)
    return render(request, "catalog/portal/application.html", {"a": a, "events": events, "actions": actions})


# --- Resident: merchant services and shared resources -------------------------------------------------

@login_required
@portal_page
@require_http_methods(["GET", "POST"])
def directory(request):
    """便民服务 — my community's merchant services by category; order one for someone of the household."""
    members = _members_or_refuse(request)
    community = members[0].community
    kind = request.GET.get("kind", "")
    if request.method == "POST":
        service = market.directory(community).filter(pk=_id(request.POST.get("service"))).first()
        if service is None:
            raise InvalidInput(_("Choose a service."), field="service")
        order = market.place_order(actor=request.user, service=service, resident=_chosen(request, members),
                                   wanted_at=_local_datetime(request.POST.get("wanted_at", ""), "wanted_at"),
                                   note=request.POST.get("note", ""))
        messages.success(request, _("Ordered. The merchant will confirm."))
        return redirect("catalog_portal:order", order_id=order.pk)
    services_ = market.directory(community, kind=kind if kind in ServiceKind.values else "")
    return render(request, "catalog/portal/directory.html",
                  {"community": community, "services": services_, "kinds": ServiceKind.choices, "kind": kind,
                   "members": members})


def _own_order(request, order_id: int):
    household_id = own_household_id(request.user)
    order = (market.orders_visible_to(request.user).filter(pk=order_id, resident__household_id=household_id)
             .first() if household_id is not None else None)
    if order is None:
        raise NotFound()
    return order


@login_required
@portal_page
@require_http_methods(["GET", "POST"])
def order(request, order_id: int):
    """Follow one order; cancel it before it is done; rate it once it is done."""
    o = _own_order(request, order_id)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            market.move_order(actor=request.user, order=o, action="cancel")
            messages.success(request, _("Order cancelled."))
        elif request.POST.get("action") == "rate":
            try:
                rating = int(request.POST.get("rating", ""))
            except ValueError:
                raise InvalidInput(_("A rating is from 1 to 5."), field="rating") from None
            market.rate_order(actor=request.user, order=o, rating=rating, comment=request.POST.get("comment", ""))
            messages.success(request, _("Thank you for rating."))
        else:
            raise InvalidInput(_("Unknown action."), field="action")
        return redirect("catalog_portal:order", order_id=o.pk)
    return render(request, "catalog/portal/order.html", {
        "o": o, "can_cancel": o.status in (OrderStatus.ORDERED, OrderStatus.ACCEPTED),
        "can_rate": o.status == OrderStatus.DONE and o.rating is None, "stars": range(5, 0, -1)})


@login_required
@portal_page
@require_http_methods(["GET", "POST"])
def resources(request):
    """共享资源 — off-hours parking and venues of the community's units; book one."""
    members = _members_or_refuse(request)
    community = members[0].community
    shared = SharedResource.objects.filter(unit__community=community, active=True).select_related("unit")
    if request.method == "POST":
        resource = shared.filter(pk=_id(request.POST.get("resource"))).first()
        if resource is None:
            raise InvalidInput(_("Choose what to book."), field="resource")
        market.book(actor=request.user, resource=resource, resident=_chosen(request, members),
                    starts_at=_local_datetime(request.POST.get("starts_at", ""), "starts_at"),
                    ends_at=_local_datetime(request.POST.get("ends_at", ""), "ends_at"))
        messages.success(request, _("Booked."))
        return redirect("catalog_portal:home")
    return render(request, "catalog/portal/resources.html",
                  {"community": community, "resources": shared.order_by("name"), "members": members})


@login_required
@portal_page
@require_POST
def cancel_booking(request, booking_id: int):
    household_id = own_household_id(request.user)
    booking = (market.bookings_visible_to(request.user).filter(pk=booking_id, resident__household_id=household_id)
               .first() if household_id is not None else None)
    if booking is None:
        raise NotFound()
    market.cancel_booking(actor=request.user, booking=booking)
    messages.success(request, _("Booking cancelled."))
    return redirect("catalog_portal:home")


# --- Merchants and social organisations -------------------------------------------------------------------

def _my_unit(request, kinds: tuple[str, ...]):
    units = [u for u in market.staff_units(request.user) if u.kind in kinds]
    if not units:
        raise NotFound()
    wanted = request.GET.get("unit") or request.POST.get("unit")
    return next((u for u in units if str(u.pk) == wanted), units[0]), units


MERCHANT_ACTIONS = {OrderStatus.ORDERED: ("accept", "cancel"), OrderStatus.ACCEPTED: ("complete", "cancel")}


@login_required
@portal_page
@require_http_methods(["GET", "POST"])
def merchant_orders(request):
    """商户接单 — a merchant's (or unit's) staff see their own unit's orders and move them; htmx swaps a row."""
    unit, units = _my_unit(request, ("merchant", "unit", "social_organization"))
    orders = (market.orders_visible_to(request.user).filter(service__unit=unit)
              .select_related("resident__household__building__parent"))
    if request.method == "POST":
        o = orders.filter(pk=_id(request.POST.get("order"))).first()
        if o is None:
            raise NotFound()
        try:
            o = market.move_order(actor=request.user, order=o, action=request.POST.get("action", ""))
        except InvalidInput as exc:
            if not request.htmx:
                raise
            return render(request, "catalog/portal/merchant.html#row",
                          {"o": o, "unit": unit, "actions": MERCHANT_ACTIONS, "error": exc.message}, status=422)
        if request.htmx:
            return render(request, "catalog/portal/merchant.html#row", {"o": o, "unit": unit,
                                                                         "actions": MERCHANT_ACTIONS})
        return redirect(f"{request.path}?unit={unit.pk}")
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    return render(request, "catalog/portal/merchant.html", {
        "unit": unit, "units": units, "orders": orders.order_by("-created_at")[:200], "status": status,
        "statuses": OrderStatus.choices, "actions": MERCHANT_ACTIONS})


@login_required
@portal_page
@require_GET
def organization(request):
    """社会组织 — the organisation's own incubation record (微益坊) and projects."""
    unit, units = _my_unit(request, ("social_organization",))
    incubation = market.incubations_of(request.user).filter(organization=unit).first()
    projects = OrgProject.objects.filter(organization=unit).order_by("-starts_on")
    return render(request, "catalog/portal/organization.html",
                  {"unit": unit, "units": units, "incubation": incubation, "projects": projects})
