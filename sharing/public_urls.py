"""What people without an account open: /s/<token>/ and its PDF."""

from django.urls import path

from sharing import views

app_name = "shared"

urlpatterns = [
    path("<str:token>/", views.shared_page, name="page"),
    path("<str:token>/pdf/", views.shared_pdf, name="pdf"),
]
