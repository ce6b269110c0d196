from django.contrib import admin
from django.urls import include, path

from kb.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("markdownx.urls")),
    path("api/", api.urls),
    path("", include("kb.urls")),
]
