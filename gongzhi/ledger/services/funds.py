"""社区基金: funds as CNY accounts (fen); donations and grants in, spending out, allocations between funds.

Money from and to the outside world passes through the community's EXTERNAL account, which has no floor;
a fund has a hard floor of zero (it cannot spend money it does not have) and may have a warning level.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent

from ..enums import AccountKind, Currency, FundPurpose, FundRecordKind, TxKind
from ..models import Account, FundRecord
from . import posting

RECORD_TX_KIND = {
    FundRecordKind.DONATION: TxKind.DONATION,
    FundRecordKind.GRANT: TxKind.GRANT,
    FundRecordKind.SPENDING: TxKind.SPENDING,
    FundRecordKind.ALLOCATION: TxKind.ALLOCATION,
}


@transaction.atomic
def open_fund(*, community, actor, name: str, purpose: str = FundPurpose.OTHER, project: str = "",
              description: str = "", is_public: bool = True, soft_floor: int | None = None) -> Account:
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the fund a name."), field="name")
    if Account.objects.filter(community=community, kind=AccountKind.FUND, name=name).exists():
        raise InvalidInput(_("This community already has a fund of that name."), field="name")
    fund = Account.objects.create(community=community, path=community.path, kind=AccountKind.FUND,
                                  currency=Currency.CNY, name=name, purpose=purpose, project=project,
                                  description=description, is_public=is_public, floor=0, soft_floor=soft_floor)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=fund)
    return fund


@transaction.atomic
def record_fund_movement(*, fund: Account, actor, kind: str, amount: int, purpose: str, counterparty: str = "",
                         counterparty_is_person: bool = False, anonymous: bool = False, project: str = "",
                         receipt_no: str = "", occurred_on: dt.date | None = None, other_fund: Account | None = None,
                         idempotency_key: str = "") -> FundRecord:
    """A donation or grant into ``fund``, a spending out of it, or an allocation to ``other_fund``."""
    if kind not in RECORD_TX_KIND:
        raise InvalidInput(_("Unknown kind of fund movement."), field="kind")
    if fund.kind != AccountKind.FUND:
        raise InvalidInput(_("This account is not a fund."), field="fund")
    if type(amount) is not int or amount <= 0:
        raise InvalidInput(_("The amount must be a positive number of fen."), field="amount")
    if not purpose.strip():
        raise InvalidInput(_("Say what the money is for."), field="purpose")
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="occurred_on")
    community = fund.community
    if kind == FundRecordKind.ALLOCATION:
        if other_fund is None or other_fund.kind != AccountKind.FUND or other_fund.community_id != fund.community_id \
                or other_fund.pk == fund.pk:
            raise InvalidInput(_("Choose another fund of the same community."), field="other_fund")
        legs = [(fund, -amount), (other_fund, amount)]
    else:
        other_fund = None
        external = posting.system_account(community, AccountKind.EXTERNAL, Currency.CNY)
        sign = -1 if kind == FundRecordKind.SPENDING else 1
        legs = [(external, -sign * amount), (fund, sign * amount)]
    tx = posting.post(community=community, kind=RECORD_TX_KIND[kind], legs=legs, actor=actor,
                      memo=purpose.strip()[:200], idempotency_key=idempotency_key)
    record, _created = FundRecord.objects.get_or_create(transaction=tx, defaults={
        "community": community, "fund": fund, "other_fund": other_fund, "kind": kind, "amount": amount,
        "counterparty": counterparty.strip(), "counterparty_is_person": counterparty_is_person,
        "anonymous": anonymous, "purpose": purpose.strip(), "project": project.strip(),
        "receipt_no": receipt_no.strip(), "occurred_on": occurred_on, "actor": actor,
    })
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=record, scope_path=community.path,
                 data={"kind": kind, "amount": amount})
    return record
