from django.urls import path

from . import views_io

app_name = "registry_io"
urlpatterns = [
    path("", views_io.index, name="index"),
    path("import/", views_io.import_preview, name="import_preview"),
    path("import/confirm/", views_io.import_confirm, name="import_confirm"),
    path("export/", views_io.export, name="export"),
]
