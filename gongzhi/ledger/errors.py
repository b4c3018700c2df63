"""Refusals of the ledger, each with a stable code and a translated message."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.errors import DomainError, InvalidInput

from .formatting import format_amount


class InsufficientBalance(DomainError):
    code = "insufficient_balance"
    status = 409

    def __init__(self, account, needed: int):
        self.account_id = account.pk
        super().__init__(
            _("Not enough in %(account)s: the balance is %(balance)s, %(needed)s are needed.")
            % {"account": account, "balance": format_amount(account.currency, account.balance),
               "needed": format_amount(account.currency, needed)},
            field="amount",
        )


class IdempotencyConflict(DomainError):
    code = "idempotency_conflict"
    status = 409

    def __init__(self):
        super().__init__(_("This idempotency key was already used for a different transaction."),
                         field="idempotency_key")


class AlreadyReversed(DomainError):
    code = "already_reversed"
    status = 409

    def __init__(self):
        super().__init__(_("This transaction has already been reversed."))


class Unbalanced(InvalidInput):
    code = "unbalanced"

    def __init__(self, currency: str):
        super().__init__(_("The entries do not sum to zero in %(currency)s.") % {"currency": currency})


class IllegalState(DomainError):
    """The object is not in a state that allows this step (e.g. cancelling a picked-up order)."""

    code = "illegal_state"
    status = 409
