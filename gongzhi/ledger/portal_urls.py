from django.urls import path

from . import portal_views

app_name = "ledger_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("shop/", portal_views.shop_page, name="shop"),
    path("public/<int:community_id>/", portal_views.public, name="public"),  # no login
]
