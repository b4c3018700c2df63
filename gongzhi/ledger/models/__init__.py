from .book import Account, Entry, Transaction
from .funds import FundRecord
from .points import BehaviorItem, BehaviorList, PointsAward
from .proxy import ProxyAuthorization
from .shop import ShopItem, ShopOrder

__all__ = [
    "Account", "BehaviorItem", "BehaviorList", "Entry", "FundRecord", "PointsAward", "ProxyAuthorization",
    "ShopItem", "ShopOrder", "Transaction",
]
