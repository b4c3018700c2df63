from django.urls import include, path

from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
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
    path("", include("gongzhi.portal.urls")),
]
