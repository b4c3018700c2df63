from ninja import Schema


class OrganizationOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    parent_id: int | None
    place_id: int
    function: str
    is_non_public: bool
    path: str
    member_count: int


class MemberOut(Schema):
    id: int
    name: str
    organization_id: int
    resident_id: int | None
    kind: str
    status: str


class OrganizationDetailOut(OrganizationOut):
    subtree_member_count: int
    members: list[MemberOut]
