from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.home, name="home"),
    path("lists/", views.lists, name="lists"),
    path("contests/", views.contests, name="contests"),
    path("rankings/", views.rankings, name="rankings"),
    path("shop/", views.shop_page, name="shop"),
    path("funds/", views.funds_page, name="funds"),
    path("funds/<int:fund_id>/", views.fund_statement, name="fund_statement"),
]
