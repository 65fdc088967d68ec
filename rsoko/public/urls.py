from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.cache import cache_page

from . import feeds, views
from .api.views import EmbedView


def public_feed(feed):
    return login_not_required(cache_page(settings.PUBLIC_CACHE_SECONDS, key_prefix="public")(feed))


app_name = "public"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("results/", views.results_view, name="results"),
    path("results/<str:code>/", views.procedure_results_view, name="procedure_results"),
    path("objectivity/", views.objectivity_view, name="objectivity"),
    path("roadmaps/", views.roadmap_list_view, name="roadmap_list"),
    path("roadmaps/<int:pk>/", views.roadmap_detail_view, name="roadmap_detail"),
    path("feed/rss/", public_feed(feeds.ScheduleFeed()), name="feed_rss"),
    path("feed/atom/", public_feed(feeds.ScheduleAtomFeed()), name="feed_atom"),
    path("embed.json", login_not_required(EmbedView.as_view()), name="embed"),
]
