"""共治 Gongzhi — co-governance of Chinese urban communities."""

__version__ = "0.1.0"
