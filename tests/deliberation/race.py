"""Vote race: OS processes cast votes for the same households at the same moment.

    python -m tests.deliberation.race setup N           → JSON: ballot id, heads, spouses (N households)
    python -m tests.deliberation.race vote BALLOT START RID,RID,…  → JSON: ok, refused, errors
    python -m tests.deliberation.race check BALLOT      → JSON: participations, votes, households voted

START is a Unix time every worker waits for, so the attempts overlap. Used by test_vote_race.py.
"""

import json
import os
import sys
import time


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.deliberation.race_settings")
    import django

    django.setup()


def setup(households: int) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", run_syncdb=True, verbosity=0)
    from gongzhi.accounts.services import create_user
    from gongzhi.registry.enums import Relation
    from tests.factories.deliberation import make_ballot
    from tests.factories.registry import make_household, make_resident, make_tree

    with transaction.atomic():
        tree = make_tree()
        staff = create_user(username="race-staff", password=None)
        building = tree.buildings["A1-1"]
        heads, spouses = [], []
        for i in range(households):
            household = make_household(building, area="80.00")
            heads.append(make_resident(household, name=f"户主{i}").pk)
            spouses.append(make_resident(household, name=f"配偶{i}", relation=Relation.SPOUSE).pk)
        ballot = make_ballot(staff, tree.community_a, [building])
    return {"ballot": ballot.pk, "heads": heads, "spouses": spouses}


def vote(ballot_id: int, start: float, resident_ids: list[int]) -> dict:
    from django.db import connection

    from gongzhi.deliberation.errors import AlreadyDone
    from gongzhi.deliberation.models import Ballot
    from gongzhi.deliberation.services.ballots import cast_vote
    from gongzhi.registry.models import Resident

    ballot = Ballot.objects.get(pk=ballot_id)
    residents = list(Resident.objects.filter(pk__in=resident_ids))
    connection.close()
    delay = start - time.time()
    if delay > 0:
        time.sleep(delay)
    ok = refused = 0
    errors: list[str] = []
    for resident in residents:
        try:
            cast_vote(actor=None, ballot=ballot, resident=resident, choice="yes")
            ok += 1
        except AlreadyDone:
            refused += 1
        except Exception as exc:  # noqa: BLE001 - every other failure is reported, not hidden
            errors.append(f"{type(exc).__name__}: {exc}")
    return {"ok": ok, "refused": refused, "errors": errors}


def check(ballot_id: int) -> dict:
    from django.db.models import Count

    from gongzhi.deliberation.models import Participation, Vote

    per_elector = Participation.objects.filter(ballot_id=ballot_id).values("elector").annotate(n=Count("id"))
    return {"participations": Participation.objects.filter(ballot_id=ballot_id).count(),
            "votes": Vote.objects.filter(ballot_id=ballot_id).count(),
            "max_per_elector": max((row["n"] for row in per_elector), default=0)}


def main(argv: list[str]) -> None:
    _setup_django()
    command, args = argv[0], argv[1:]
    if command == "setup":
        result = setup(int(args[0]))
    elif command == "vote":
        result = vote(int(args[0]), float(args[1]), [int(x) for x in args[2].split(",") if x])
    elif command == "check":
        result = check(int(args[0]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
