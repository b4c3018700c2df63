from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from gongzhi.accounts.enums import STAFF_ROLES
from gongzhi.accounts.selectors import roles_of
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, WorkListEntry


def home(request):
    if request.user.is_authenticated:
        if roles_of(request.user) & set(STAFF_ROLES):
            return redirect("console:home")
        return redirect("portal:resident_home")
    communities = Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("path")[:200]
    return render(request, "portal/home.html", {"communities": communities})


def work_list(request, community_id: int):
    """一线工作清单 — public: every staff member's duties, covered buildings and linked merchants."""
    community = get_object_or_404(Place, pk=community_id, kind=PlaceKind.COMMUNITY)
    entries = (WorkListEntry.objects.filter(community=community)
               .prefetch_related("buildings", "merchants").order_by("sort", "id"))
    return render(request, "portal/work_list.html", {"community": community, "entries": entries})


@login_required
def resident_home(request):
    resident = request.user.resident
    return render(request, "portal/resident_home.html", {"resident": resident})
