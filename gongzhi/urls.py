from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _

from .api import api


def json_not_found(request, rest=""):
    """Unknown URLs under /api/v1/ answer in JSON, like every other API error."""
    return JsonResponse({"code": "not_found", "detail": _("Not found.")}, status=404)


urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", json_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("gongzhi.accounts.urls")),
    path("console/", include("gongzhi.registry.urls")),
    path("console/party/", include("gongzhi.party.urls")),
    path("console/io/", include("gongzhi.registry.urls_io")),
    path("console/appeals/", include("gongzhi.appeals.urls")),
    path("console/deliberation/", include("gongzhi.deliberation.urls")),
    path("console/ledger/", include("gongzhi.ledger.urls")),
    path("console/volunteering/", include("gongzhi.volunteering.urls")),
    path("console/catalog/", include("gongzhi.catalog.urls")),
    path("verify/", include("gongzhi.catalog.public_urls")),
    path("console/triage/", include("gongzhi.triage.urls")),
    path("console/insights/", include("gongzhi.insights.urls")),
    path("public/", include("gongzhi.insights.public_urls")),
    path("my/appeals/", include("gongzhi.appeals.portal_urls")),
    path("open311/v2/", include("gongzhi.appeals.open311_urls")),
    path("my/deliberation/", include("gongzhi.deliberation.portal_urls")),
    path("my/ledger/", include("gongzhi.ledger.portal_urls")),
    path("my/volunteering/", include("gongzhi.volunteering.portal_urls")),
    path("my/catalog/", include("gongzhi.catalog.portal_urls")),
    path("", include("gongzhi.portal.urls")),
]
