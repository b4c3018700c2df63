from django.urls import path

from . import views

app_name = "triage"
urlpatterns = [
    path("", views.top_problems, name="top_problems"),
    path("appeals/<int:appeal_id>/duplicates/", views.appeal_duplicates, name="duplicates"),
    path("models/", views.models, name="models"),
    path("models/<int:model_id>/activate/", views.activate, name="activate"),
]
