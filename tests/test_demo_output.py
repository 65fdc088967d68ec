"""`make run` prints what a person reads: no raw dicts, no English warnings, a believable overdue count (issue 17)."""
import io
import logging
import logging.config

from django.conf import settings
import pytest


def test_the_monitoring_line_names_each_period_in_words():
    from monitoring.demo import computed_line

    line = computed_line({"2026": 3691, "2026Q3": 44, "2025": 2373})
    assert line == ("Значения показателей рассчитаны: 2025 год — 2\u202f373, 2026 год — 3\u202f691, "
                    "3 квартал 2026 года — 44")


def test_the_roadmap_line_counts_overdue_measures_not_executors(db):
    from rsoko.orgs import demo as orgs_demo
    from roadmaps import demo
    from roadmaps.models import Assignment, Item

    orgs_demo.build(io.StringIO())
    out = io.StringIO()
    demo.build(out)
    line = out.getvalue().strip().splitlines()[-1]
    measures = Item.objects.filter(is_section=False, roadmap__is_template=False).count()
    late = Assignment.objects.filter(status="overdue", item__roadmap__is_template=False)
    assert f"просрочено на сегодня: {late.values('item').distinct().count()} из {measures}" in line, line
    assert "{" not in line and "документ" in line


@pytest.mark.skipif(bool(settings.CELERY_BROKER_URL), reason="about `make run` with no broker; a broker is configured")
def test_eager_tasks_leave_no_kombu_warning_nor_a_task_trace(caplog):
    from monitoring.tasks import refresh

    assert settings.CELERY_TASK_ALWAYS_EAGER
    logging.config.dictConfig(settings.LOGGING)
    assert logging.getLogger("kombu.connection").getEffectiveLevel() >= logging.ERROR
    assert logging.getLogger("celery.app.trace").getEffectiveLevel() >= logging.WARNING
    assert refresh  # the task the demo runs eagerly
