from django.urls import path

from . import views

app_name = "catalog_public"
urlpatterns = [
    path("", views.verify_form, name="verify_form"),
    path("<str:code>/", views.verify, name="verify"),
]
