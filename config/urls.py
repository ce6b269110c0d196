from django.contrib import admin
from django.urls import include, path, re_path

from kb.api import api
from kb.editor import serve_upload

# A database outage gets the branded 503 page, any other failure the 500 page (kb.errors).
handler500 = "kb.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("kb.editor")),
    path("api/", api.urls),
    re_path(r"^media/(?P<path>.*)$", serve_upload, name="media"),
    path("", include("kb.urls")),
]
