"""Role × endpoint × in-scope/out-of-scope: who gets what from every API endpoint, and nothing leaks.

The policy (issue #2, part 5): a role is held on a place and sees that place's subtree only. Registry
readers (admin, street officer, secretary, community worker, grid worker) see residents and households
in scope; a resident sees their own household only; department handlers, volunteers, social
organisations and merchants see no residents. Reveal only for street officers, secretaries, community
workers and grid workers in scope, or a resident for themself — never the administrator, a system
administrator with no business reading personal data. One object fetched by id: missing and forbidden
look the same (404); an object the caller sees but may not act on: 403.

The tables below ARE the policy; the world they run in is drawn in tests/security/world.py. Each role
runs every endpoint against every object of the world, and every response body is searched for the
names, ID numbers and phones the role must not see.
"""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.accounts.enums import Role
from gongzhi.core import idcard
from gongzhi.core.models import AuditEvent
from tests.security.world import RESIDENT_NAMES, ROLE_PLACES, World, build_world, unique_names

pytestmark = pytest.mark.django_db

R = Role
ANONYMOUS = "anonymous"
ROLES = [R.ADMIN, R.STREET_OFFICER, R.SECRETARY, R.COMMUNITY_WORKER, R.GRID_WORKER, R.DEPARTMENT_HANDLER,
         R.RESIDENT, R.VOLUNTEER, R.SOCIAL_ORGANIZATION, R.MERCHANT]


def grid(text: str) -> dict[str, dict[str, str]]:
    """Parse a table: a header row of column keys, then one row per role."""
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    header, rows = lines[0][1:], lines[1:]  # the first header cell names the role column
    table = {row[0]: dict(zip(header, row[1:], strict=True)) for row in rows}
    assert set(table) == {str(r) for r in ROLES}, "every role needs a row"
    return table


# ── Places: a role sees the subtree of the place it is held on (admin: everything). ──────────────────
PLACE_ROOTS = {
    R.ADMIN: ["district"],
    R.STREET_OFFICER: ["street"],
    R.SECRETARY: ["A"],
    R.COMMUNITY_WORKER: ["A"],
    R.GRID_WORKER: ["A1"],
    R.DEPARTMENT_HANDLER: ["street"],  # the place of the handler's department
    R.RESIDENT: ["A"],
    R.VOLUNTEER: ["A"],
    R.SOCIAL_ORGANIZATION: ["A"],
    R.MERCHANT: ["A"],
}

# ── Residents: Y = listed and readable by id; - = not listed, 404 by id. ────────────────────────────────
#   self = the resident user's own record (household H1, building A1-1), kin = their spouse (H1),
#   neighbour = another household of the same building, grid2 = community A grid A2,
#   comm_b = community B of the same street, street2 = another street of the district.
RESIDENTS = grid("""
role                 self kin neighbour grid2 comm_b street2
admin                Y    Y   Y         Y     Y      Y
street_officer       Y    Y   Y         Y     Y      -
secretary            Y    Y   Y         Y     -      -
community_worker     Y    Y   Y         Y     -      -
grid_worker          Y    Y   Y         -     -      -
department_handler   -    -   -         -     -      -
resident             Y    Y   -         -     -      -
volunteer            -    -   -         -     -      -
social_organization  -    -   -         -     -      -
merchant             -    -   -         -     -      -
""")

# ── Reveal the full ID number (POST /residents/{id}/reveal with a reason):
#   200 revealed and audited; 403 the caller sees the resident but may not reveal; 404 not visible.
REVEAL = grid("""
role                 self kin neighbour grid2 comm_b street2
admin                403  403 403       403   403    403
street_officer       200  200 200       200   200    404
secretary            200  200 200       200   404    404
community_worker     200  200 200       200   404    404
grid_worker          200  200 200       404   404    404
department_handler   404  404 404       404   404    404
resident             200  403 404       404   404    404
volunteer            404  404 404       404   404    404
social_organization  404  404 404       404   404    404
merchant             404  404 404       404   404    404
""")

# ── Households: H1 (self, kin) and H2 (neighbour) in building A1-1, H3 in grid A2, H4 community B,
#   H5 street 2.
HOUSEHOLDS = grid("""
role                 H1 H2 H3 H4 H5
admin                Y  Y  Y  Y  Y
street_officer       Y  Y  Y  Y  -
secretary            Y  Y  Y  -  -
community_worker     Y  Y  Y  -  -
grid_worker          Y  Y  -  -  -
department_handler   -  -  -  -  -
resident             Y  -  -  -  -
volunteer            -  -  -  -  -
social_organization  -  -  -  -  -
merchant             -  -  -  -  -
""")

# ── Party organisations: staff see the organisations answering for places in their subtree.
#   wc1 东街党工委 (street), ca 军门党委 (A), gba1 一网格党总支 (A1), ba1 一小区党支部 (A1 estate),
#   ga1 一号楼党小组 (building A1-1), gba2 二网格党总支 (A2), cb 斗池党委 (B), wc2 南街党工委 (street 2),
#   cc 三坊党委 (C).
ORGANIZATIONS = grid("""
role                 wc1 ca gba1 ba1 ga1 gba2 cb wc2 cc
admin                Y   Y  Y    Y   Y   Y    Y  Y   Y
street_officer       Y   Y  Y    Y   Y   Y    Y  -   -
secretary            -   Y  Y    Y   Y   Y    -  -   -
community_worker     -   Y  Y    Y   Y   Y    -  -   -
grid_worker          -   -  Y    Y   Y   -    -  -   -
department_handler   -   -  -    -   -   -    -  -   -
resident             -   -  -    -   -   -    -  -   -
volunteer            -   -  -    -   -   -    -  -   -
social_organization  -   -  -    -   -   -    -  -   -
merchant             -   -  -    -   -   -    -  -   -
""")

# ── Party members named in an organisation's detail: registry readers in scope only.
#   m_kin 李配偶 (in ga1), m_b 周党员 (in cb), m_c 吴党员 (in cc).
MEMBERS = grid("""
role                 m_kin m_b m_c
admin                Y     Y   Y
street_officer       Y     Y   -
secretary            Y     -   -
community_worker     Y     -   -
grid_worker          Y     -   -
department_handler   -     -   -
resident             -     -   -
volunteer            -     -   -
social_organization  -     -   -
merchant             -     -   -
""")

# ── Export (GET /residents/export?place=…): registry readers export what they see under a place in their scope
#   (200, masked); a role that sees the place but reads no registry: 403; a place out of scope: 404.
#   With unmasked=true and a reason: only the roles that may reveal (the administrator may not: 403).
EXPORT = grid("""
role                 A1   B    C    A1-unmasked
admin                200  200  200  403
street_officer       200  200  404  200
secretary            200  404  404  200
community_worker     200  404  404  200
grid_worker          200  404  404  200
department_handler   403  403  404  403
resident             403  404  404  403
volunteer            403  404  404  403
social_organization  403  404  404  403
merchant             403  404  404  403
""")

# ── Import (POST /residents/import, a dry run into a grid): registry writers in scope (administrator,
#   secretary, community worker, grid worker); a role that sees the grid but may not write: 403; out of scope: 404.
IMPORT = grid("""
role                 A1   B1
admin                200  200
street_officer       403  403
secretary            200  404
community_worker     200  404
grid_worker          200  404
department_handler   403  403
resident             403  404
volunteer            403  404
social_organization  403  404
merchant             403  404
""")

# ── The audit log: administrators all of it; street officers and secretaries their scope; others 403.
AUDIT = {R.ADMIN: 200, R.STREET_OFFICER: 200, R.SECRETARY: 200, R.COMMUNITY_WORKER: 403, R.GRID_WORKER: 403,
         R.DEPARTMENT_HANDLER: 403, R.RESIDENT: 403, R.VOLUNTEER: 403, R.SOCIAL_ORGANIZATION: 403,
         R.MERCHANT: 403}

# Every endpoint of the API this matrix covers, (method, path as in the OpenAPI schema).
MATRIX_ENDPOINTS = {
    ("GET", "/me"),
    ("GET", "/places"),
    ("GET", "/places/{place_id}"),
    ("GET", "/residents"),
    ("GET", "/residents/{resident_id}"),
    ("POST", "/residents/{resident_id}/reveal"),
    ("GET", "/households"),
    ("GET", "/households/{household_id}"),
    ("GET", "/party/organizations"),
    ("GET", "/party/organizations/{org_id}"),
    ("GET", "/audit"),
    ("GET", "/residents/export"),
    ("POST", "/residents/import"),
}
# Endpoints open without login, tested on their own (tests/accounts/test_token_auth.py, below).
PUBLIC_ENDPOINTS = {("POST", "/auth/token"), ("GET", "/health")}
# Routers of other apps: their owners test them, so this matrix leaves them out — explicitly. Any other
# new endpoint fails test_openapi_has_no_endpoint_outside_the_matrix until it has rows here.
OTHER_APPS_PREFIXES = (
    "/appeals", "/public", "/deliberation", "/ledger", "/volunteering", "/open311",  # appeals … volunteering
    "/triage", "/insights",  # their owners test them
    "/catalog", "/applications", "/certificates", "/low-income-checks", "/community-tasks",  # catalog (services)
    "/care", "/market",  # catalog: elderly, meals, after-school (personal data: its owner needs a matrix like this one)
)

REASON = "核对身份信息"
RESIDENT_KEYS = list(RESIDENT_NAMES)
IMPORT_ID = idcard.make("350102", dt.date(1999, 9, 9), 99)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Places used as objects and as ``?place=`` filters: each level, inside and outside every role's scope.
PROBE_PLACES = ["district", "street", "A", "A1", "A1.estate", "A1-1", "A2", "A2-1", "B", "B1-1", "street2", "C",
                "C1-1"]


def yes(table: dict, role: str) -> set[str]:
    return {key for key, mark in table[str(role)].items() if mark == "Y"}


def xlsx_text(content: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return "\n".join("\t".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True))


def visible_places(w: World, role: str) -> set[str]:
    roots = [w.places[k].path for k in PLACE_ROOTS[role]]
    return {key for key, place in w.places.items() if any(place.path.startswith(r) for r in roots)}


class Checker:
    """Runs requests, keeps every body for the leak check, and collects mismatches instead of stopping."""

    def __init__(self, client):
        self.client = client
        self.bodies: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def call(self, label: str, method: str, url: str, status: int, body=None, params=None):
        if method == "GET":
            response = self.client.get(url, **(params or {}))
        elif method == "UPLOAD":
            response = self.client.client.post(url, body, **self.client.headers)  # multipart form
        else:
            response = self.client.post(url, body)
        if response["Content-Type"] == XLSX:
            text = xlsx_text(response.content)
            self.bodies.append((label, text))
            if response.status_code != status:
                self.problems.append(f"{label}: expected {status}, got {response.status_code}")
            return {"rows": int(response["X-Row-Count"]), "text": text}
        text = response.content.decode()
        self.bodies.append((label, text))
        if response.status_code != status:
            self.problems.append(f"{label}: expected {status}, got {response.status_code} {text[:160]}")
            return None
        data = json.loads(text)
        if status >= 400:
            if "code" not in data:
                self.problems.append(f"{label}: error body without a code: {text[:160]}")
            return None
        return data

    def same(self, label: str, got, expected):
        if got != expected:
            self.problems.append(f"{label}: expected {sorted(expected)!r}, got {sorted(got)!r}")


def run_role(role: str, api) -> tuple[World, Checker]:
    w = build_world()
    user = w.users.get(role)
    c = Checker(api(user) if user else api())
    anon = role == ANONYMOUS

    def status_for(allowed: bool) -> int:
        return 401 if anon else (200 if allowed else 404)

    # GET /me
    me = c.call("GET /me", "GET", "/api/v1/me", 401 if anon else 200)
    if me and not anon:
        c.same("GET /me roles", {(r["role"], r["place_name"]) for r in me["roles"]},
               {(str(role), w.places[ROLE_PLACES[role]].name if ROLE_PLACES[role] else None)})

    # GET /places, /places/{id}
    places = set() if anon else visible_places(w, role)
    body = c.call("GET /places", "GET", "/api/v1/places", 401 if anon else 200, params={"limit": 200})
    if body:
        c.same("GET /places ids", {i["id"] for i in body["items"]}, {w.places[k].pk for k in places})
        c.same("GET /places count", {body["count"]}, {len(places)})
    for key in PROBE_PLACES:
        place = w.places[key]
        c.call(f"GET /places/{{{key}}}", "GET", f"/api/v1/places/{place.pk}", status_for(key in places))

    # GET /residents, /residents?place=, /residents/{id}
    residents = set() if anon else yes(RESIDENTS, role)
    body = c.call("GET /residents", "GET", "/api/v1/residents", 401 if anon else 200, params={"limit": 200})
    if body:
        c.same("GET /residents ids", {i["id"] for i in body["items"]}, {w.residents[k].pk for k in residents})
        c.same("GET /residents count", {body["count"]}, {len(residents)})
    for key in PROBE_PLACES:
        place = w.places[key]
        expected = {k for k in residents if w.residents[k].path.startswith(place.path)}
        body = c.call(f"GET /residents?place={{{key}}}", "GET", "/api/v1/residents",
                      status_for(key in places), params={"place": place.pk, "limit": 200})
        if body:
            c.same(f"GET /residents?place={{{key}}} ids", {i["id"] for i in body["items"]},
                   {w.residents[k].pk for k in expected})
    for key, resident in w.residents.items():
        body = c.call(f"GET /residents/{{{key}}}", "GET", f"/api/v1/residents/{resident.pk}",
                      status_for(key in residents))
        if body:
            c.same(f"GET /residents/{{{key}}} masked", {body["id_number"], body["phone"]},
                   {resident.id_number_masked, resident.phone_masked})

    # POST /residents/{id}/reveal
    for key, resident in w.residents.items():
        expected = 401 if anon else int(REVEAL[str(role)][key])
        body = c.call(f"POST /residents/{{{key}}}/reveal", "POST", f"/api/v1/residents/{resident.pk}/reveal",
                      expected, body={"field": "id_number", "reason": REASON})
        if body and expected == 200:
            c.same(f"reveal {key} value", {body["value"]}, {w.id_numbers[key]})

    # GET /households, /households?place=, /households/{id}
    households = set() if anon else yes(HOUSEHOLDS, role)
    body = c.call("GET /households", "GET", "/api/v1/households", 401 if anon else 200, params={"limit": 200})
    if body:
        c.same("GET /households ids", {i["id"] for i in body["items"]}, {w.households[k].pk for k in households})
        c.same("GET /households count", {body["count"]}, {len(households)})
    for key in ("A", "A1", "A1-1", "B", "C"):
        place = w.places[key]
        expected = {k for k in households if w.households[k].path.startswith(place.path)}
        body = c.call(f"GET /households?place={{{key}}}", "GET", "/api/v1/households",
                      status_for(key in places), params={"place": place.pk, "limit": 200})
        if body:
            c.same(f"GET /households?place={{{key}}} ids", {i["id"] for i in body["items"]},
                   {w.households[k].pk for k in expected})
    for key, household in w.households.items():
        body = c.call(f"GET /households/{{{key}}}", "GET", f"/api/v1/households/{household.pk}",
                      status_for(key in households))
        if body:
            members = {k for k in residents if w.residents[k].household_id == household.pk}
            c.same(f"GET /households/{{{key}}} members", {m["id"] for m in body["members"]},
                   {w.residents[k].pk for k in members})

    # GET /party/organizations, /party/organizations/{id}
    organizations = set() if anon else yes(ORGANIZATIONS, role)
    members = set() if anon else yes(MEMBERS, role)
    body = c.call("GET /party/organizations", "GET", "/api/v1/party/organizations", 401 if anon else 200,
                  params={"limit": 200})
    if body:
        c.same("GET /party/organizations ids", {i["id"] for i in body["items"]},
               {w.organizations[k].pk for k in organizations})
        c.same("GET /party/organizations count", {body["count"]}, {len(organizations)})
    for key, org in w.organizations.items():
        body = c.call(f"GET /party/organizations/{{{key}}}", "GET", f"/api/v1/party/organizations/{org.pk}",
                      status_for(key in organizations))
        if body:
            shown = {k for k in members if w.members[k].organization_id == org.pk}
            c.same(f"GET /party/organizations/{{{key}}} members", {m["id"] for m in body["members"]},
                   {w.members[k].pk for k in shown})

    # GET /residents/export (masked, then unmasked)
    for column in ("A1", "B", "C", "A1-unmasked"):
        key, unmasked = column.removesuffix("-unmasked"), column.endswith("-unmasked")
        place = w.places[key]
        expected = 401 if anon else int(EXPORT[str(role)][column])
        params = {"place": place.pk, **({"unmasked": "true", "reason": REASON} if unmasked else {})}
        body = c.call(f"GET /residents/export?place={{{column}}}", "GET", "/api/v1/residents/export", expected,
                      params=params)
        if body:
            rows = {k for k in residents if w.residents[k].path.startswith(place.path)}
            c.same(f"GET /residents/export?place={{{column}}} rows", {body["rows"]}, {len(rows)})
            c.same(f"GET /residents/export?place={{{column}}} names",
                   {w.residents[k].name for k in RESIDENT_KEYS if w.residents[k].name in body["text"]},
                   {w.residents[k].name for k in rows})

    # POST /residents/import (a dry run: validates, writes nothing)
    for key in ("A1", "B1"):
        ledger = f"姓名,身份证号,楼栋,房号\n导入试行,{IMPORT_ID},1号楼,909\n".encode()
        upload = SimpleUploadedFile("台账.csv", ledger, content_type="text/csv")
        body = c.call(f"POST /residents/import unit={{{key}}}", "UPLOAD", "/api/v1/residents/import",
                      401 if anon else int(IMPORT[str(role)][key]),
                      body={"file": upload, "unit": w.places[key].pk, "dry_run": "true"})
        if body:
            c.same(f"POST /residents/import unit={{{key}}} committed", {body["committed"]}, {False})

    # GET /audit (after the reveals, so they are in it)
    c.call("GET /audit", "GET", "/api/v1/audit", 401 if anon else AUDIT[role], params={"limit": 200})
    return w, c


def visible_names(w: World, role: str) -> set[str]:
    if role == ANONYMOUS:
        return set()
    names = {w.places[k].name for k in visible_places(w, role)}
    # The names of the places above one's own are context, not someone else's data: an export names the
    # community of a grid worker's grid (GET /places/{community} is still a 404 for them).
    for root in PLACE_ROOTS[role]:
        names |= {p.name for p in w.places.values() if w.places[root].path.startswith(p.path)}
    names |= {w.residents[k].name for k in yes(RESIDENTS, role)}
    names |= {w.organizations[k].name for k in yes(ORGANIZATIONS, role)}
    names |= {w.members[k].name for k in yes(MEMBERS, role)}
    return names


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_access_matrix_allows_and_denies_exactly_and_leaks_nothing(role, api):
    before = AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).count()
    w, c = run_role(role, api)

    forbidden = {name: label for name, label in unique_names(w).items() if name not in visible_names(w, role)}
    for label, text in c.bodies:
        for name, what in forbidden.items():
            if name in text:
                c.problems.append(f"{label}: leaks the name of {what} ({name})")
        for key in RESIDENT_KEYS:
            may_reveal = REVEAL.get(str(role), {}).get(key) == "200"
            revealed_here = may_reveal and (label == f"POST /residents/{{{key}}}/reveal" or "unmasked" in label)
            if w.id_numbers[key] in text and not revealed_here:
                c.problems.append(f"{label}: shows the clear ID number of resident {key}")
            if w.phones[key] in text and not (may_reveal and "unmasked" in label):
                c.problems.append(f"{label}: shows the clear phone of resident {key}")
    assert c.problems == []

    # Every granted reveal, and only those, is in the audit log with its actor, field and reason.
    granted = set() if role == ANONYMOUS else {k for k, s in REVEAL[str(role)].items() if s == "200"}
    reveals = AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL)
    assert before == 0
    assert sorted(reveals.values_list("target_id", "actor_id", "field", "reason")) == sorted(
        (str(w.residents[k].pk), w.users[role].pk, "id_number", REASON) for k in granted
    )


def test_openapi_has_no_endpoint_outside_the_matrix(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    ours = {op for op in operations if not op[1].startswith(OTHER_APPS_PREFIXES)}

    assert ours - MATRIX_ENDPOINTS - PUBLIC_ENDPOINTS == set(), "add these endpoints to the access matrix"
    assert operations >= MATRIX_ENDPOINTS | PUBLIC_ENDPOINTS, "the matrix names endpoints that no longer exist"


def test_health_answers_without_login(client):
    response = client.get("/api/v1/health")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
