from .book import Account, Entry, Transaction
from .funds import FundRecord
from .points import BehaviorItem, BehaviorList, PointsAward
from .proxy import ProxyAuthorization
from .shop import ShopItem, ShopOrder
from .vouchers import CareProvider, VoucherGrant, VoucherRedemption

__all__ = [
    "Account", "BehaviorItem", "BehaviorList", "Entry", "FundRecord", "PointsAward", "ProxyAuthorization",
    "ShopItem", "ShopOrder", "Transaction", "CareProvider", "VoucherGrant", "VoucherRedemption",
]
