from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from kb.api import api
from kb.seo import sitemap, sitemap_section
from kb.uploads import serve_upload
from kb.views import robots_txt

# Branded pages in Chinese, JSON under /api/ (kb.errors); a database outage gets the 503 page.
handler400 = "kb.errors.bad_request"
handler403 = "kb.errors.permission_denied"
handler404 = "kb.errors.page_not_found"
handler500 = "kb.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("kb.editor")),
    path("api/", api.urls),
    re_path(r"^media/(?P<path>.*)$", serve_upload, name="media"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots"),
]

# The public pages, in simplified Chinese at / and in traditional at /zh-hant/ (kb.variants).
urlpatterns += i18n_patterns(path("", include("kb.urls")), prefix_default_language=False)
