"""Staff console pages of the registry: overview, places, residents, households, reveal, work list, audit.

Every page asks the selectors "which rows may this user see"; one object is fetched with ``access_*`` (missing
and forbidden both answer 404). A full load renders the page, an htmx request the named partial.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from gongzhi.accounts.enums import AUDIT_ROLES, REGISTRY_ROLES, STAFF_ROLES
from gongzhi.accounts.selectors import home_community_ids, roles_of, scope_paths
from gongzhi.core import paths
from gongzhi.core.errors import Forbidden, InvalidInput, NotFound
from gongzhi.core.models import AuditEvent
from gongzhi.party.selectors import members_visible_to

from . import selectors
from .enums import MoveKind, PlaceKind, Relation, ResidentStatus, Tag
from .forms import AuditFilterForm, ResidentSearchForm, RevealForm, place_filter_choices
from .models import Household, Place, Resident, ResidentTagging, WorkListEntry
from .services import reveal_resident_field

RESIDENTS_PER_PAGE = 20
AUDIT_PER_PAGE = 50
CARE_TAGS = [Tag.LIVING_ALONE, Tag.EMPTY_NESTER, Tag.DISABLED, Tag.LOW_INCOME, Tag.SPECIAL_NEEDS_CHILD]


def console_page(roles: Iterable[str] = STAFF_ROLES) -> Callable:
    """Console view guard: signed in, holding one of ``roles``; domain refusals become 403/404 pages.

    Console pages carry personal data, so they are never stored by browsers or proxies.
    """
    allowed = frozenset(roles)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _to_login(request)
            if not roles_of(request.user) & allowed:
                raise PermissionDenied
            try:
                response = view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None
            except Forbidden:
                raise PermissionDenied from None
            add_never_cache_headers(response)
            patch_vary_headers(response, ["HX-Request"])
            return response

        return wrapper

    return decorate


def _to_login(request):
    """Send a signed-out user to the log-in page; an htmx request reloads the whole page there."""
    if request.htmx:
        page = request.htmx.current_url_abs_path or reverse("console:home")
        return HttpResponseClientRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}")
    return redirect_to_login(request.get_full_path())


def _partial(request, template: str, name: str) -> str:
    """The page for a full load, its named partial for an htmx request (not for hx-boost)."""
    if request.htmx and not request.htmx.boosted:
        return f"{template}#{name}"
    return template


# ---------------------------------------------------------------- overview


@login_required
def home(request):
    """控制台首页 — the user's scope and the key counts under it."""
    user = request.user
    roles = roles_of(user)
    if not roles & STAFF_ROLES:
        return redirect("portal:resident_home")
    return _home(request)


@console_page()
def _home(request):
    user = request.user
    roles = roles_of(user)
    stats = None
    care = []
    if roles & REGISTRY_ROLES:
        residents = selectors.residents_visible_to(user).filter(status=ResidentStatus.ACTIVE)
        places = selectors.places_visible_to(user)
        kinds = dict(places.filter(kind__in=[PlaceKind.GRID, PlaceKind.BUILDING])
                     .values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        stats = {
            "residents": residents.count(),
            "households": selectors.households_visible_to(user).count(),
            "buildings": kinds.get(PlaceKind.BUILDING, 0),
            "grids": kinds.get(PlaceKind.GRID, 0),
            "party_members": members_visible_to(user).count(),
        }
        tagged = dict(ResidentTagging.objects.filter(resident__in=residents, tag__in=CARE_TAGS)
                      .values_list("tag").annotate(n=Count("id")).values_list("tag", "n"))
        care = [{"label": _age_label(80), "count": residents.aged(80).count(), "query": "", "tag": ""}]
        care += [{"label": label, "count": tagged.get(tag, 0), "tag": tag}
                 for tag, label in Tag.choices if tag in CARE_TAGS]
    scopes = _scope_places(user)
    return render(request, "registry/home.html", {"stats": stats, "care": care, "scopes": scopes})


def _age_label(years: int):
    from .enums import AGE_TAGS

    return AGE_TAGS[years]


def _scope_places(user) -> list[dict]:
    """Each place the user holds a role on, with its ancestors' names ("鼓楼区 › 东街街道 › 军门社区")."""
    from gongzhi.accounts.models import RoleAssignment

    assignments = list(RoleAssignment.objects.filter(user_id=user.pk).select_related("place", "department")
                       .order_by("role", "place__path"))
    wanted = {p for a in assignments if a.place_id for p in paths.ancestors(a.place.path)}
    names = dict(Place.objects.filter(path__in=wanted).values_list("path", "name"))
    out = []
    for a in assignments:
        trail = [names[p] for p in paths.ancestors(a.place.path) if p in names] if a.place_id else []
        out.append({"role": a.get_role_display(), "place": a.place, "department": a.department,
                    "trail": [*trail, a.place.name] if a.place_id else []})
    return out


# ---------------------------------------------------------------- place tree


@console_page(REGISTRY_ROLES)
@require_GET
def places(request):
    """区划树 — the user's scope roots; ``?parent=<id>`` answers one node's children (htmx)."""
    user = request.user
    parent_id = request.GET.get("parent")
    if parent_id:
        node = selectors.access_place(user, parent_id)
        if node.kind == PlaceKind.BUILDING:
            active = Q(residents__status=ResidentStatus.ACTIVE)
            households = (selectors.households_visible_to(user).filter(building=node)
                          .annotate(members=Count("residents", filter=active))
                          .order_by("unit_no", "room_no", "id"))
            context = {"node": node, "households": households}
            return render(request, _partial(request, "registry/places.html", "households"), context)
        children = list(selectors.places_visible_to(user).filter(parent=node).order_by("sort", "path"))
        counts = selectors.place_counts(node) if children else {}
        rows = [{"place": c, "counts": counts.get(c.pk, {}), "leaf": False} for c in children]
        context = {"node": node, "rows": rows}
        return render(request, _partial(request, "registry/places.html", "children"), context)
    roots = _scope_roots(user)
    rows = [{"place": r, "counts": selectors.place_counts(r).get(r.pk, {}), "leaf": False} for r in roots]
    return render(request, "registry/places.html", {"rows": rows})


def _scope_roots(user) -> list[Place]:
    found = scope_paths(user, REGISTRY_ROLES)
    if found is None:
        return list(Place.objects.filter(parent__isnull=True).order_by("sort", "path"))
    top = sorted({p for p in found if not any(p != q and p.startswith(q) for q in found)})
    return list(Place.objects.filter(path__in=top).order_by("path"))


# ---------------------------------------------------------------- residents


@console_page(REGISTRY_ROLES)
@require_GET
def residents(request):
    """居民查询 — live search with htmx; every identifier masked."""
    user = request.user
    form = ResidentSearchForm(request.GET or None, user=user)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        text = "" if form.buildings else data["q"]  # "3号楼" lists that building's residents
        qs = selectors.search_residents(user, q=text, place=form.place_obj, tag=data["tag"],
                                        include_archived=data["archived"])
        if form.buildings:
            qs = qs.filter(path__in=[b.path for b in form.buildings])
        tags = ResidentTagging.objects.only("tag", "resident")
        qs = qs.prefetch_related(Prefetch("taggings", queryset=tags))
        page = Paginator(qs, RESIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    elif not form.is_bound:
        form = ResidentSearchForm(user=user)
    context = {
        "form": form,
        "page": page,
        "buildings": form.buildings,
        # A callable: the template calls it only for a full page, not for the htmx results partial.
        "place_choices": lambda: place_filter_choices(user, form.place_obj),
        "selected_place": str(form.place_obj.pk) if form.place_obj else "",
    }
    return render(request, _partial(request, "registry/residents.html", "results"), context)


def _members(user, household_id: int, *, exclude: int | None = None) -> list[Resident]:
    qs = (selectors.residents_visible_to(user).filter(household_id=household_id)
          .select_related("household__building__parent").prefetch_related("taggings"))
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    order = {value: i for i, value in enumerate(Relation.values)}
    return sorted(qs, key=lambda r: (r.status != ResidentStatus.ACTIVE, order.get(r.relation, 99),
                                     r.birth_date))


@console_page(REGISTRY_ROLES)
@require_GET
def resident_detail(request, resident_id: int):
    """居民详情 — masked identifiers, tags, move history, household members; reveal for those allowed."""
    user = request.user
    resident = selectors.access_resident(user, resident_id)
    moves = resident.moves.select_related("household__building__parent", "actor").order_by("-on", "-id")
    membership = members_visible_to(user).select_related("organization").filter(resident=resident).first()
    context = {
        "resident": resident,
        "household": resident.household,
        "members": _members(user, resident.household_id, exclude=resident.pk),
        "moves": moves,
        "membership": membership,
        "can_reveal": user.has_perm("registry.reveal_resident", resident),
        "MoveKind": MoveKind,
    }
    return render(request, "registry/resident_detail.html", context)


@console_page(REGISTRY_ROLES)
@require_POST
def reveal(request, resident_id: int):
    """查看完整信息 — the clear value appears only in this response, which is never cached.

    Permission and audit are enforced by ``reveal_resident_field``; users without the right get 403.
    """
    user = request.user
    resident = selectors.access_resident(user, resident_id)
    if not user.has_perm("registry.reveal_resident", resident):
        raise PermissionDenied
    form = RevealForm(request.POST)
    field = request.POST.get("field", "")
    context = {"resident": resident, "field": field, "form": form, "can_reveal": True, "open": True}
    if form.is_valid():
        try:
            value = reveal_resident_field(actor=user, resident=resident, field=form.cleaned_data["field"],
                                          reason=form.cleaned_data["reason"])
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            context.update(value=value, reason=form.cleaned_data["reason"])
            return render(request, _partial(request, "registry/reveal.html", "revealed"), context)
    return render(request, _partial(request, "registry/reveal.html", "slot"), context, status=422)


@console_page(REGISTRY_ROLES)
@require_GET
def household_detail(request, household_id: int):
    """户详情 — address, floor area and the members the user may see."""
    user = request.user
    household = selectors.access_household(user, household_id)
    members = _members(user, household.pk)
    if not members and not user.has_perm("registry.view_household", household):
        raise Http404
    for m in members:
        m.can_reveal = user.has_perm("registry.reveal_resident", m)
    context = {"household": household, "members": members}
    return render(request, "registry/household_detail.html", context)


# ---------------------------------------------------------------- frontline work list


def communities_for_staff(user) -> list[Place]:
    """Communities a staff member works in or above: their own, or every one under their street/district."""
    found = scope_paths(user, STAFF_ROLES)
    qs = Place.objects.filter(kind=PlaceKind.COMMUNITY)
    if found is None:
        return list(qs.order_by("path"))
    q = Q(pk__in=home_community_ids(user))
    for p in found:
        q |= paths.subtree_q("path", p)
    return list(qs.filter(q).order_by("path"))


@console_page()
@require_GET
def work_list(request):
    """一线工作清单 — each staff member's position, duties, covered buildings and linked merchants."""
    communities = communities_for_staff(request.user)
    chosen = communities[0] if communities else None
    wanted = request.GET.get("community")
    if wanted:
        chosen = next((c for c in communities if str(c.pk) == wanted), None)
        if chosen is None:
            raise Http404
    entries = []
    if chosen is not None:
        entries = (WorkListEntry.objects.filter(community=chosen).select_related("staff")
                   .prefetch_related(Prefetch("buildings", queryset=Place.objects.select_related("parent")),
                                     "merchants")
                   .order_by("sort", "id"))
    context = {"communities": communities, "community": chosen, "entries": entries}
    return render(request, "registry/work_list.html", context)


# ---------------------------------------------------------------- audit log


@console_page(AUDIT_ROLES)
@require_GET
def audit_log(request):
    """审计日志 — the events of the user's scope, newest first; reveals show their reason."""
    user = request.user
    found = scope_paths(user, AUDIT_ROLES)
    qs = AuditEvent.objects.all()
    if found is not None:
        q = Q(pk__in=[])
        for p in found:
            q |= paths.subtree_q("scope_path", p)
        qs = qs.filter(q)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["action"]:
            qs = qs.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["q"]:
            text = form.cleaned_data["q"]
            qs = qs.filter(Q(actor_name__startswith=text) | Q(target_repr__startswith=text))
    page = Paginator(qs.order_by("-created_at", "-id"), AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    resident_type = Resident._meta.label_lower
    household_type = Household._meta.label_lower
    context = {"form": form, "page": page, "resident_type": resident_type, "household_type": household_type}
    return render(request, _partial(request, "registry/audit.html", "rows"), context)
