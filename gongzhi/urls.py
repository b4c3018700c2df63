from django.urls import include, path

from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("gongzhi.accounts.urls")),
    path("", include("gongzhi.portal.urls")),
    path("console/", include("gongzhi.registry.urls")),
    path("console/party/", include("gongzhi.party.urls")),
]
