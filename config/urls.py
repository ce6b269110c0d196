from django.contrib import admin
from django.urls import include, path

from kb.api import api

# A database outage gets the branded 503 page, any other failure the 500 page (kb.errors).
handler500 = "kb.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("markdownx.urls")),
    path("api/", api.urls),
    path("", include("kb.urls")),
]
