from django.urls import path

from notifications import views

app_name = "digest"

urlpatterns = [
    path("", views.digest_preview, name="preview"),
]
