from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "gongzhi.ledger"
    label = "ledger"
    verbose_name = "积分·时间币·资金账本"
    nav: list = []
