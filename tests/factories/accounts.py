from gongzhi.accounts.services import assign_role, create_user

PASSWORD = "correct-horse-battery"


def make_user(username: str, role: str | None = None, *, place=None, department=None, resident=None):
    user = create_user(username=username, password=PASSWORD, display_name=username, resident=resident)
    if role:
        assign_role(user=user, role=role, place=place, department=department)
    return user
