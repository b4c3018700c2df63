from gongzhi.ledger.models import Account, ProxyAuthorization
from tests.factories.ledger import fund_resident

V, L = "/api/v1/volunteering", "/api/v1/ledger"


def test_transfer_outside_the_family_is_refused(api, world):
    fund_resident(world.residents["a1"], 60)

    response = api(world.users["res_a1"]).post(f"{V}/transfers", {"to_resident": world.residents["a2"].pk,
                                                                   "minutes": 10})

    assert response.status_code == 403
    assert Account.objects.get(resident=world.residents["a1"]).balance == 60


def test_transfer_beyond_the_balance_is_refused(api, world):
    fund_resident(world.residents["a1"], 60)

    response = api(world.users["res_a1"]).post(f"{V}/transfers", {"to_resident": world.residents["elder"].pk,
                                                                   "minutes": 61})

    assert (response.status_code, response.json()["code"]) == (409, "insufficient_balance")


def test_transfer_is_idempotent(api, world):
    fund_resident(world.residents["a1"], 60)
    body = {"to_resident": world.residents["elder"].pk, "minutes": 20, "idempotency_key": "gift-1"}
    client = api(world.users["res_a1"])

    first, second = client.post(f"{V}/transfers", body).json(), client.post(f"{V}/transfers", body).json()

    assert first["transaction_id"] == second["transaction_id"]
    assert Account.objects.get(resident=world.residents["elder"]).balance == 20


def test_proxy_sees_the_elders_account_and_a_revoked_proxy_does_not(api, world):
    fund_resident(world.residents["elder"], 40)
    daughter = api(world.users["res_a1"])
    elder_account = Account.objects.get(resident=world.residents["elder"])

    seen = daughter.get(f"{L}/accounts/{elder_account.pk}").json()
    proxy = ProxyAuthorization.objects.get()
    revoked = api(world.users["grid_a1"]).post(f"{L}/proxies/{proxy.pk}/revoke", {"reason": "老人收回授权"})
    after = api(world.users["res_a1"]).get(f"{L}/accounts/{elder_account.pk}")

    assert seen["balance"] == 40
    assert revoked.status_code == 200
    assert after.status_code == 404


def test_recording_a_proxy_needs_staff_in_scope(api, world):
    body = {"principal": world.residents["elder"].pk, "agent": world.residents["a2"].pk, "relation": "邻居",
            "consent_method": "in_person", "consent_note": "社区工作者上门确认"}

    by_resident = api(world.users["res_a1"]).post(f"{L}/proxies", body)
    by_other_grid = api(world.users["grid_a2"]).post(f"{L}/proxies", body)
    by_grid = api(world.users["grid_a1"]).post(f"{L}/proxies", body)

    assert by_resident.status_code == 403  # she sees her mother (same household) but records no proxies
    assert by_other_grid.status_code == 404
    assert by_grid.status_code == 201
    assert ProxyAuthorization.objects.filter(agent=world.residents["a2"]).count() == 1
