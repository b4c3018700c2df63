from django.urls import path

from . import portal_views

app_name = "catalog_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("items/", portal_views.items, name="items"),
    path("items/<str:code>/apply/", portal_views.apply, name="apply"),
    path("applications/<int:application_id>/", portal_views.application, name="application"),
    path("services/", portal_views.directory, name="directory"),
    path("orders/<int:order_id>/", portal_views.order, name="order"),
    path("resources/", portal_views.resources, name="resources"),
    path("bookings/<int:booking_id>/cancel/", portal_views.cancel_booking, name="cancel_booking"),
    path("merchant/", portal_views.merchant_orders, name="merchant"),
    path("organization/", portal_views.organization, name="organization"),
]
