from django.contrib import admin
from django.urls import include, path, re_path

from kb.api import api
from kb.editor import serve_upload

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("kb.editor")),
    path("api/", api.urls),
    re_path(r"^media/(?P<path>.*)$", serve_upload, name="media"),
    path("", include("kb.urls")),
]
