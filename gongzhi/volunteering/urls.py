from django.urls import path

from . import views

app_name = "volunteering"
urlpatterns = [
    path("", views.home, name="home"),
    path("wishes/", views.wishes, name="wishes"),
    path("volunteers/<int:volunteer_id>/certificate/", views.certificate, name="certificate"),
]
