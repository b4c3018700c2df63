from ninja import Router

from .schemas import MeOut, RoleOut, TokenIn, TokenOut
from .services import issue_token

router = Router(tags=["accounts"])


@router.post("/auth/token", response=TokenOut, auth=None)
def create_token(request, payload: TokenIn):
    """Exchange a username and password for a bearer token (valid 30 days)."""
    token, row = issue_token(request=request, username=payload.username, password=payload.password)
    return {"token": token, "expires_at": row.expires_at.isoformat()}


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    roles = [
        RoleOut(role=a.role, role_label=str(a.get_role_display()), place_id=a.place_id,
                place_name=a.place.name if a.place_id else None, department_id=a.department_id,
                department_name=str(a.department) if a.department_id else None)
        for a in user.roles.select_related("place", "department")
    ]
    return MeOut(id=user.pk, username=user.username, display_name=user.display_name, roles=roles,
                 resident_id=user.resident_id)
