from django.urls import re_path

from . import open311

app_name = "appeals_open311"
FMT = r"\.(?P<fmt>[a-z]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.services, name="services"),
    re_path(r"^services/(?P<code>[-\w]+)" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests_view, name="requests"),
    re_path(r"^requests/(?P<request_id>[0-9]+)" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[0-9a-f-]{36})" + FMT, open311.token_detail, name="token"),
]
