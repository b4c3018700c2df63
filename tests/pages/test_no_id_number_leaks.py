"""No page shows a full ID number (or phone) unless it is the answer to an audited reveal."""

import re

import pytest
from django.urls import reverse

from tests.pages.conftest import HTMX

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")


def _pages(world) -> list[str]:
    r, h, t = world.residents, world.households, world.tree
    urls = [reverse("console:home"), reverse("console:places"), reverse("console:residents"),
            reverse("console:residents") + "?q=张", reverse("console:residents") + "?tag=low_income",
            reverse("console:residents") + f"?place={t.community_a.pk}", reverse("console:work_list"),
            reverse("console:audit"), reverse("party:tree"), reverse("portal:home"),
            reverse("portal:work_list", args=[t.community_a.pk]), reverse("portal:resident_home")]
    urls += [reverse("console:resident", args=[x.pk]) for x in r.values()]
    urls += [reverse("console:household", args=[x.pk]) for x in h.values()]
    urls += [reverse("console:places") + f"?parent={p.pk}" for p in (t.community_a, t.grid_a1,
                                                                      t.buildings["A1-1"])]
    urls += [reverse("party:tree") + f"?org={o.pk}" for o in world.organizations.values()]
    return urls


@pytest.mark.parametrize("role", ["admin", "street", "secretary", "worker", "grid01", "resident"])
def test_no_page_contains_a_full_id_number_or_phone(world, login, role):
    from gongzhi.core.audit import record_audit
    from gongzhi.core.models import AuditEvent

    record_audit(actor=world.users["grid01"], action=AuditEvent.Action.REVEAL, target=world.residents["head"],
                 field="id_number", reason="核实")
    client = login(world.users[role])
    secrets = list(world.id_numbers.values()) + [f"1391234{n:04d}" for n in range(len(world.residents))]
    seen = 0
    for url in _pages(world):
        for extra in ({}, HTMX):
            response = client.get(url, **extra)
            html = response.content.decode()
            seen += response.status_code == 200
            assert not ID_NUMBER.search(html), (url, ID_NUMBER.search(html))
            assert not [s for s in secrets if s in html], url
    assert seen >= (4 if role == "resident" else 30)  # the pages were really rendered
