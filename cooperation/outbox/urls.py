from django.urls import path

from cooperation.outbox import views

app_name = "outbox"

urlpatterns = [
    path("<int:pk>/send-again/", views.message_resend, name="resend"),
]
