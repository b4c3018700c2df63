"""信息公开 and the resident portal: public pages need no login; "my household" shows masked data only."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from gongzhi.accounts.enums import STAFF_ROLES
from gongzhi.accounts.selectors import roles_of
from gongzhi.core.context_processors import portal_tiles
from gongzhi.registry.enums import PlaceKind, Relation, ResidentStatus
from gongzhi.registry.models import Place, WorkListEntry
from gongzhi.registry.selectors import residents_visible_to

PUBLIC_COMMUNITIES_LIMIT = 500

# Portal areas that apps fill in through ``portal_nav`` on their AppConfig; until then: "coming soon".
PLANNED_AREAS = [
    ("appeals", _("My appeals"), "诉"),
    ("deliberation", _("Deliberation"), "议"),
    ("ledger", _("Points"), "分"),
    ("volunteering", _("Volunteering"), "志"),
]


@require_GET
def home(request):
    """公开首页 — communities and their public frontline work lists; signed-in users go to their own pages."""
    if request.user.is_authenticated:
        if roles_of(request.user) & STAFF_ROLES:
            return redirect("console:home")
        return redirect("portal:resident_home")
    communities = (Place.objects.filter(kind=PlaceKind.COMMUNITY).select_related("parent__parent")
                   .annotate(staff=Count("work_list")).order_by("path")[:PUBLIC_COMMUNITIES_LIMIT])
    return render(request, "portal/home.html", {"communities": communities})


@require_GET
def work_list(request, community_id: int):
    """一线工作清单 — public: every staff member's duties, covered buildings and linked merchants."""
    community = get_object_or_404(Place.objects.select_related("parent"), pk=community_id,
                                  kind=PlaceKind.COMMUNITY)
    entries = (WorkListEntry.objects.filter(community=community)
               .prefetch_related(Prefetch("buildings", queryset=Place.objects.select_related("parent")),
                                 "merchants")
               .order_by("sort", "id"))
    return render(request, "portal/work_list.html", {"community": community, "entries": entries})


def _tiles(registered: list[dict]) -> list[dict]:
    """Registered portal tiles, then the planned areas no app has registered yet (shown as coming soon)."""
    tiles = [dict(t, soon=False) for t in registered]
    taken = {t["name"].split(":")[0].removesuffix("_portal") for t in registered}
    for key, label, icon in PLANNED_AREAS:
        if key not in taken:
            tiles.append({"url": "", "label": label, "icon": icon, "soon": True})
    return tiles


@login_required
@require_GET
def resident_home(request):
    """我的 — the resident's own household (masked), links to their community's public pages."""
    user = request.user
    resident = user.resident if user.resident_id else None
    members = []
    if resident is not None:
        order = {value: i for i, value in enumerate(Relation.values)}
        qs = (residents_visible_to(user)
              .filter(household_id=resident.household_id, status=ResidentStatus.ACTIVE)
              .select_related("household__building__parent").prefetch_related("taggings"))
        members = sorted(qs, key=lambda r: (order.get(r.relation, 99), r.birth_date))
    community = resident.community if resident is not None else None
    context = {
        "resident": resident,
        "household": resident.household if resident is not None else None,
        "members": members,
        "community": community,
        "tiles": _tiles(portal_tiles()),
        "is_staff": bool(roles_of(user) & STAFF_ROLES),
    }
    response = render(request, "portal/resident_home.html", context)
    add_never_cache_headers(response)
    return response
