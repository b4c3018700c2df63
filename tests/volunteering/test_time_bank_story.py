"""The issue's story, end to end through the API: a retired teacher escorts a neighbour's child to school, is
paid in time coins once the family confirms, gives coins to her mother, who spends them on home cleaning."""

from gongzhi.ledger.models import Account
from gongzhi.ledger.verify import verify_ledger

V = "/api/v1/volunteering"


def balance(resident) -> int:
    row = Account.objects.filter(resident=resident).first()
    return row.balance if row else 0


def test_escort_paid_after_family_confirms_then_given_to_mother_who_buys_cleaning(api, world):
    teacher, family = api(world.users["res_a1"]), api(world.users["res_a2"])
    mother = world.residents["elder"]

    escort = family.post(f"{V}/requests", {"category": "school_escort", "description": "工作日早上送孩子到军门小学"})
    taken = teacher.post(f"{V}/requests/{escort.json()['id']}/match", {}).json()
    done = teacher.post(f"{V}/requests/{taken['id']}/complete", {"minutes": 45, "note": "送到校门口"}).json()
    before_confirmation = balance(world.residents["a1"])
    self_confirm = teacher.post(f"{V}/records/{done['record_id']}/confirm", {})
    confirmed = family.post(f"{V}/records/{done['record_id']}/confirm", {"note": "谢谢张老师"}).json()
    again = family.post(f"{V}/records/{done['record_id']}/confirm", {})

    gift = teacher.post(f"{V}/transfers", {"to_resident": mother.pk, "minutes": 30, "memo": "给妈妈"}).json()
    cleaning = teacher.post(f"{V}/requests", {"requester": mother.pk, "category": "cleaning",
                                              "description": "厨房和卫生间保洁", "funding": "requester"}).json()
    cleaner = api(world.users["res_a2"])
    cleaner.post(f"{V}/requests/{cleaning['id']}/match", {})
    cleaned = cleaner.post(f"{V}/requests/{cleaning['id']}/complete", {"minutes": 30}).json()
    teacher.post(f"{V}/records/{cleaned['record_id']}/confirm", {"note": "代母亲确认"})

    assert escort.status_code == 201
    assert taken["status"] == "matched"
    assert (done["status"], before_confirmation) == ("done", 0)
    assert self_confirm.status_code == 403
    assert confirmed["status"] == "confirmed"
    assert again.status_code == 409
    assert (gift["minutes"], gift["balance"]) == (30, 15)
    assert cleaning["requester"] == "刘奶奶"
    assert (balance(world.residents["a1"]), balance(mother), balance(world.residents["a2"])) == (15, 0, 30)
    assert verify_ledger().ok
