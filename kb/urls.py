from django.urls import path

from . import seo, views

app_name = "kb"

# Mounted under i18n_patterns (config/urls.py): each page also exists under /zh-hant/.
urlpatterns = [
    path("", views.home, name="home"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/causes/<int:position>/", views.cause_detail, name="cause"),
    path("about/", views.about, name="about"),
    path("search/", views.search_results, name="search"),
    path("articles/<slug:slug>/troubleshoot/", views.troubleshoot_question, name="troubleshoot"),
    path(
        "articles/<slug:slug>/troubleshoot/<int:position>/",
        views.troubleshoot_question,
        name="troubleshoot_question",
    ),
    path(
        "articles/<slug:slug>/troubleshoot/<int:position>/yes/",
        views.troubleshoot_match,
        name="troubleshoot_match",
    ),
    path(
        "articles/<slug:slug>/troubleshoot/none/",
        views.troubleshoot_advice,
        name="troubleshoot_advice",
    ),
    path("articles/<slug:slug>/feedback/", views.feedback_vote, name="feedback"),
    path("articles/<slug:slug>/feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
    path("feed/", seo.UpdatedArticlesFeed(), name="feed"),
]
