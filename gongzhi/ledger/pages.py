"""Shared pieces of the ledger's and volunteering's HTML pages: the community a staff page is about, and
turning domain refusals into the right page (404, 403, or a message and a redirect back)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from gongzhi.core.errors import DomainError, Forbidden, NotFound
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from .selectors import community_ids_for


def staff_communities(user, roles) -> list[Place]:
    ids = community_ids_for(user, roles)
    qs = Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("path")
    return list(qs if ids is None else qs.filter(pk__in=ids))


def chosen_community(request, roles) -> tuple[Place, list[Place]]:
    """The community from ``?community=`` among those the user works in, else the first; 404 if none."""
    communities = staff_communities(request.user, roles)
    if not communities:
        raise Http404()
    wanted = request.GET.get("community") or request.POST.get("community")
    for c in communities:
        if str(c.pk) == wanted:
            return c, communities
    return communities[0], communities


def back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(request.get_full_path())


def domain_page(view):
    """NotFound → 404, Forbidden → 403; any other refusal: on POST an error message and a redirect back,
    on GET a 400 with the message. Never a 500 for a refusal."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from None
        except DomainError as exc:
            if request.method == "POST":
                messages.error(request, str(exc.message))
                return back(request)
            return HttpResponseBadRequest(str(exc.message))

    return wrapper


def int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None
