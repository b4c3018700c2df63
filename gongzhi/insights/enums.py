"""Who may read the dashboards, rates and reports (数据看板)."""

from gongzhi.accounts.enums import Role

INSIGHT_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER})
