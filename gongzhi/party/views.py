"""Party organisation pages: the tree with member counts; member names only for those allowed to see them."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongzhi.accounts.enums import STAFF_ROLES
from gongzhi.core import paths
from gongzhi.registry.views import console_page

from . import selectors

OPEN_LEVELS = 2  # the tree opens its first levels; deeper ones on click
FULL_TREE_LIMIT = 400  # above this many organisations the page lists the top levels and opens one sub-tree
OVERVIEW_LEVELS = 3  # levels listed in that overview (street working committee, community committee, …)


def _nest(orgs: list) -> list:
    """Nest a path-ordered list; each org gets ``nodes`` (children) and ``subtree_count`` (members)."""
    by_path = {o.path: o for o in orgs}
    roots = []
    for o in orgs:
        o.nodes = []
        o.subtree_count = o.member_count
    for o in orgs:
        parent = by_path.get(o.path[: -paths.STEP]) if len(o.path) > paths.STEP else None
        (parent.nodes if parent is not None else roots).append(o)
        o.level = parent.level + 1 if parent is not None else 0
        o.indent = range(o.level)
        o.open = o.level < OPEN_LEVELS
    for o in reversed(orgs):  # children come after their parent in path order
        parent = by_path.get(o.path[: -paths.STEP]) if len(o.path) > paths.STEP else None
        if parent is not None:
            parent.subtree_count += o.subtree_count
    return roots


@console_page(STAFF_ROLES)
@require_GET
def tree(request):
    """党组织树 — ``?org=<id>`` answers that organisation's member names (htmx), if the user may see them."""
    user = request.user
    org_id = request.GET.get("org")
    if org_id:
        org = selectors.access_organization(user, org_id)
        members = selectors.members_visible_to(user).filter(organization=org).order_by("name")
        return render(request, "party/tree.html#members", {"org": org, "members": members})
    root = selectors.access_organization(user, request.GET["root"]) if request.GET.get("root") else None
    orgs = selectors.organization_tree(user)
    roots = _nest(orgs)
    context = {
        "total_orgs": len(orgs),
        "total_members": sum(o.member_count for o in orgs),
        "can_see_members": selectors.members_visible_to(user).exists(),
        "root": root,
    }
    if root is not None:
        node = next(o for o in orgs if o.pk == root.pk)
        node.open = True
        context["roots"] = [node]
    elif len(orgs) > FULL_TREE_LIMIT:
        # A street or a city: list the top levels; each organisation opens its own sub-tree.
        context["overview"] = [o for o in orgs if o.level < OVERVIEW_LEVELS]
    else:
        context["roots"] = roots
    return render(request, "party/tree.html", context)
