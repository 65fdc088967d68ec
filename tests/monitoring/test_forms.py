"""Monitoring forms: validation (type, range), all-or-nothing, history, values, who has filled."""
from datetime import date

import pytest

from monitoring.models import FormAnswerChange, Indicator, IndicatorValue, MonitoringForm
from monitoring.selectors import form_status_table
from monitoring.services import FormAnswerError, form_create, form_fill


@pytest.fixture
def mform(world):
    return form_create(title="Профориентация", period="2026", deadline=date(2026, 12, 20), audience="both",
                       indicators=Indicator.objects.filter(code__in=["career_guidance", "teachers_trained"]),
                       actor=world.user("ministry"))


def test_values_out_of_range_or_not_numbers_are_refused_and_nothing_is_written(mform, world):
    with pytest.raises(FormAnswerError) as error:
        form_fill(form=mform, organization=world.school_a1, actor=world.user("school_head"),
                  values={"career_guidance": "105", "teachers_trained": "50"})
    assert "больше допустимого" in str(error.value) and "профориентационными" in str(error.value)
    with pytest.raises(FormAnswerError, match="не число"):
        form_fill(form=mform, organization=world.school_a1, actor=None, values={"career_guidance": "много"})
    with pytest.raises(FormAnswerError, match="меньше допустимого"):
        form_fill(form=mform, organization=world.school_a1, actor=None, values={"teachers_trained": "-1"})
    assert not mform.answers.exists() and not IndicatorValue.objects.exists()


def test_history_is_kept_and_the_value_is_the_latest(mform, world):
    head = world.user("school_head")
    form_fill(form=mform, organization=world.school_a1, actor=head, values={"career_guidance": "60,5"})
    form_fill(form=mform, organization=world.school_a1, actor=head, values={"career_guidance": "70"})
    history = list(FormAnswerChange.objects.order_by("id").values_list("value_before", "value_after", "actor_name"))
    assert history == [(None, 60.5, "school_head"), (60.5, 70.0, "school_head")]
    value = IndicatorValue.objects.get(indicator__code="career_guidance", key=f"s{world.school_a1.pk}")
    assert (value.value, value.level, value.is_manual) == (70.0, "school", True)


def test_municipal_answers_make_the_region_mean(mform, world):
    form_fill(form=mform, organization=world.mouo_a, actor=None, values={"teachers_trained": "40"})
    form_fill(form=mform, organization=world.mouo_b, actor=None, values={"teachers_trained": "80"})
    region = IndicatorValue.objects.get(indicator__code="teachers_trained", key="region")
    assert region.value == 60.0


def test_the_ministry_sees_who_has_filled(mform, world):
    form_fill(form=mform, organization=world.mouo_a, actor=None, values={"teachers_trained": "40",
                                                                         "career_guidance": "50"})
    form_fill(form=mform, organization=world.school_a1, actor=None, values={"teachers_trained": "40"})
    states = {row["organization"]: row["state"] for row in form_status_table(mform).rows}
    assert states[world.mouo_a.short_name] == "заполнено"
    assert states[world.school_a1.short_name] == "частично"
    assert states[world.school_b1.short_name] == "не заполнено"


def test_a_school_head_fills_the_form_on_the_page(mform, world, client_for):
    client = client_for("school_head")
    response = client.post(f"/monitoring/forms/{mform.pk}/", {"career_guidance": "200", "teachers_trained": "10"})
    assert response.status_code == 200 and "больше допустимого" in response.content.decode()
    response = client.post(f"/monitoring/forms/{mform.pk}/", {"career_guidance": "75", "teachers_trained": "10"})
    assert response.status_code == 302
    assert set(mform.answers.values_list("organization_id", flat=True)) == {world.school_a1.pk}


def test_a_form_for_municipal_offices_is_not_shown_to_schools(world):
    only_mouo = MonitoringForm.objects.create(title="Только МОУО", period="2026", deadline=date(2026, 12, 1),
                                              audience="mouo")
    assert list(MonitoringForm.objects.visible_to(world.user("school_head"))) == []
    assert list(MonitoringForm.objects.visible_to(world.user("coordinator"))) == [only_mouo]


def test_editing_an_indicator_is_audited(world, client_for):
    from rsoko.audit.models import AuditEntry

    response = client_for("ministry").post("/monitoring/indicators/vpr_quality/edit/",
                                           {"name": "Качество ВПР", "target": "55", "is_active": "on"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="vpr_quality")
    assert (indicator.name, indicator.target) == ("Качество ВПР", 55.0)
    assert AuditEntry.objects.filter(model="monitoring.indicator", object_id=str(indicator.pk)).exists()
