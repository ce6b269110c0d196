from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from kb.api import api
from kb.seo import SITEMAPS
from kb.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("markdownx.urls")),
    path("api/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]

# The public pages, in simplified Chinese at / and in traditional at /zh-hant/ (kb.variants).
urlpatterns += i18n_patterns(path("", include("kb.urls")), prefix_default_language=False)
