"""RSS and Atom feeds of the public schedule (and results, once published) for official sites and readers."""
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import selectors
from .views import procedure_link

FEED_SIZE = 100


class ScheduleFeed(Feed):
    description = "Календарь оценочных процедур региона и публикация их обобщённых результатов."

    def title(self):
        return f"Оценочные процедуры — {settings.REGION_NAME}"

    def link(self):
        return reverse("public:calendar")

    def items(self):
        year = selectors.current_year()
        procedures = selectors.calendar_procedures(year=year) | selectors.calendar_procedures(year=year + 1)
        return procedures.order_by("-date_start", "code")[:FEED_SIZE]

    def item_title(self, procedure):
        entry = selectors.calendar_entry(procedure)
        grade = f", {entry['grade']} класс" if entry["grade"] else ""
        return f"{entry['kind']}: {entry['subject']}{grade}"

    def item_description(self, procedure):
        entry = selectors.calendar_entry(procedure)
        dates = entry["date_start"].strftime("%d.%m.%Y")
        if entry["date_end"] != entry["date_start"]:
            dates += "–" + entry["date_end"].strftime("%d.%m.%Y")
        state = "результаты опубликованы" if entry["results_published"] else entry["status_name"].lower()
        return f"{entry['kind_name']} ({entry['level_name'].lower()} уровень). Даты: {dates}. Состояние: {state}."

    def item_link(self, procedure):
        return procedure_link(procedure)

    def item_guid(self, procedure):
        return f"rsoko-procedure-{procedure.code}"

    item_guid_is_permalink = False

    def item_updateddate(self, procedure):
        return procedure.updated_at

    def item_pubdate(self, procedure):
        return procedure.created_at


class ScheduleAtomFeed(ScheduleFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description
