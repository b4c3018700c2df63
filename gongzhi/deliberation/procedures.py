"""议事程序 — procedure templates shipped with Gongzhi; communities add their own (ProcedureTemplate).

The community deliberation procedure follows the steps of 城乡社区协商 (议题提出 → 议题确定 → 发布公告 →
协商讨论 → 表决 → 公开结果 → 监督落实). The "six steps seven rules" of 唐桂议事厅 (seed 002) are only named
in our sources, not spelled out, so they are not shipped: a community enters its own steps.
"""

from django.utils.translation import gettext_lazy as _

COMMUNITY_DELIBERATION = "community_deliberation"

TEMPLATES: dict[str, tuple] = {
    COMMUNITY_DELIBERATION: (
        _("community deliberation meeting"),
        [
            ("topic_raised", _("Topic raised")),  # 议题提出
            ("topic_agreed", _("Topic agreed")),  # 议题确定
            ("notice_published", _("Notice published")),  # 发布公告
            ("deliberation", _("Deliberation")),  # 协商讨论
            ("vote", _("Vote")),  # 表决
            ("result_published", _("Result published")),  # 公开结果
            ("implementation_supervised", _("Implementation supervised")),  # 监督落实
        ],
    ),
}
