"""Every monitoring route × every persona."""
from datetime import date

from tests.permission_matrix import API_REACH, SIGNED_IN, api, page

MINISTRY = ["ministry"]
FORM_USERS = ["ministry", "coordinator", "school_head"]
FORM_CREATORS = ["ministry", "coordinator"]  # a МОУО creates its own forms for its municipality's schools


def monitoring_form(w, audience="both"):
    from monitoring.models import Indicator, MonitoringForm

    form, created = MonitoringForm.objects.get_or_create(
        title=f"Форма {audience}", period="2026", defaults={"deadline": date(2026, 12, 20), "audience": audience})
    if created:
        form.indicators.set(Indicator.objects.filter(is_manual=True))
    return form


def municipal_form(w, letter="a"):
    """A МОУО's own form for the schools of municipality A (or B), one answer of its first school."""
    from monitoring.models import FormAnswer, Indicator, MonitoringForm

    municipality, school = (w.mun_a, w.school_a1) if letter == "a" else (w.mun_b, w.school_b1)
    form, created = MonitoringForm.objects.get_or_create(
        title=f"Форма МОУО {letter}", period="2026",
        defaults={"deadline": date(2026, 12, 20), "audience": "schools", "municipality": municipality})
    if created:
        indicators = list(Indicator.objects.filter(is_manual=True))
        form.indicators.set(indicators)
        FormAnswer.objects.create(form=form, organization=school, indicator=indicators[0], value=10)
    return form


def school_value(w, school):
    from monitoring.models import Indicator, IndicatorValue

    value, _ = IndicatorValue.objects.get_or_create(
        indicator=Indicator.objects.get(code="vpr_quality"), period="2026", key=f"s{school.pk}",
        defaults={"level": "school", "organization": school, "municipality_id": school.municipality_id, "value": 50.0})
    return value


def russia_indicator(w):
    from monitoring.models import Indicator

    return Indicator.objects.get(code="vpr_quality").pk


def russia_value(w):
    from monitoring.models import RussiaValue

    return RussiaValue.objects.get_or_create(indicator_id=russia_indicator(w), period="2025", defaults={"value": 60})[0]


def russia_marks(w):
    from assessments.stats.models import RussiaMarks
    from tests.fieldwork.factories import procedure

    return RussiaMarks.objects.get_or_create(procedure=procedure(), defaults={
        "pct_2": 10, "pct_3": 40, "pct_4": 35, "pct_5": 15})[0]


NEW_INDICATOR = {"code": "matrix_formula", "name": "Показатель матрицы", "mechanism": "1.1", "unit": "%",
                 "direction": "higher", "levels": ["region"], "periodicity": "year", "value_kind": "percent",
                 "formula": "100 - vpr_pct_2"}

CASES = [
    page("monitoring:dashboard", "/monitoring/", SIGNED_IN),
    page("monitoring:refresh", "/monitoring/refresh/", MINISTRY, method="post", allowed_status=302),
    page("monitoring:indicator_list", "/monitoring/indicators/", SIGNED_IN),
    page("monitoring:indicator_detail", "/monitoring/indicators/vpr_quality/", SIGNED_IN),
    page("monitoring:indicator_create", "/monitoring/indicators/new/", MINISTRY),
    page("monitoring:indicator_create", "/monitoring/indicators/new/", MINISTRY, method="post",
         data=lambda w: NEW_INDICATOR, allowed_status=302),
    page("monitoring:indicator_edit", "/monitoring/indicators/vpr_quality/edit/", MINISTRY),
    page("monitoring:form_list", "/monitoring/forms/", FORM_USERS),
    page("monitoring:form_create", "/monitoring/forms/new/", FORM_CREATORS),
    page("monitoring:form_detail", lambda w: f"/monitoring/forms/{monitoring_form(w).pk}/", FORM_USERS),
    # a form for municipal offices only: a school head cannot find it
    page("monitoring:form_detail", lambda w: f"/monitoring/forms/{monitoring_form(w, 'mouo').pk}/",
         ["ministry", "coordinator"], others={"school_head": 404}),
    # filling: the coordinator (for МОУО А) saves and is redirected; the ministry only reads the status
    page("monitoring:form_detail", lambda w: f"/monitoring/forms/{monitoring_form(w).pk}/",
         ["ministry", "school_head"], method="post", data={"career_guidance": "50"},
         others={"coordinator": 302, "school_head": 302}),
    page("monitoring:map", "/monitoring/map/", SIGNED_IN),
    page("monitoring:map", "/monitoring/map/?indicator=vpr_quality&period=2026&export=xlsx&table=map", SIGNED_IN),
    page("monitoring:map_upload", "/monitoring/map/upload/", MINISTRY),
    page("monitoring:map_upload", "/monitoring/map/upload/", MINISTRY, method="post"),  # no file: the form again
    page("monitoring:russia_figures", "/monitoring/russia/", MINISTRY),
    page("monitoring:russia_figures", "/monitoring/russia/?table=marks&export=xlsx", MINISTRY),
    page("monitoring:russia_figures", "/monitoring/russia/", MINISTRY, method="post", allowed_status=302,
         data=lambda w: {"form": "value", "value-indicator": russia_indicator(w), "value-period": "2026",
                         "value-value": "61,5"}),
    page("monitoring:russia_value_delete", lambda w: f"/monitoring/russia/values/{russia_value(w).pk}/delete/",
         MINISTRY, method="post", allowed_status=302),
    page("monitoring:russia_marks_delete", lambda w: f"/monitoring/russia/marks/{russia_marks(w).pk}/delete/",
         MINISTRY, method="post", allowed_status=302),
    api("indicator-list", "/api/v1/indicators/", SIGNED_IN),
    api("indicator-list", "/api/v1/indicators/", MINISTRY, method="post", data=lambda w: NEW_INDICATOR,
        allowed_status=201),
    api("indicator-detail", "/api/v1/indicators/vpr_quality/", SIGNED_IN),
    api("indicator-value-list", "/api/v1/indicator-values/", SIGNED_IN),
    api("indicator-value-detail", lambda w: f"/api/v1/indicator-values/{school_value(w, w.school_b1).pk}/",
        ["ministry", "methodologist", "centre"], denied_status=404, others=API_REACH),
    api("indicator-value-detail", lambda w: f"/api/v1/indicator-values/{school_value(w, w.school_a1).pk}/",
        ["ministry", "methodologist", "centre", "coordinator", "school_head", "api_client"], denied_status=404),
    api("indicator-value-export", "/api/v1/indicator-values/export/?file=csv", SIGNED_IN),
]


# A МОУО's own forms: A's is read (answers) by A's МОУО and the ministry and filled by A's schools; B's does not exist
# for anyone of A.
FORM_ROLES_404 = {"coordinator": 404, "school_head": 404}
NEW_FORM = {"title": "Форма матрицы", "period": "2026", "deadline": "2026-12-20", "audience": "both"}
CASES += [
    page("monitoring:form_detail", lambda w: f"/monitoring/forms/{municipal_form(w).pk}/", FORM_USERS),
    page("monitoring:form_detail", lambda w: f"/monitoring/forms/{municipal_form(w).pk}/?table=answers&export=xlsx",
         FORM_CREATORS, others={"school_head": 200}),  # the school's own fill page (no export there)
    page("monitoring:form_detail", lambda w: f"/monitoring/forms/{municipal_form(w, 'b').pk}/", MINISTRY,
         others=FORM_ROLES_404),
    page("monitoring:form_detail", lambda w: f"/monitoring/forms/{municipal_form(w, 'b').pk}/", MINISTRY,
         method="post", data={"career_guidance": "50"}, others=FORM_ROLES_404),
    page("monitoring:form_create", "/monitoring/forms/new/", FORM_CREATORS, method="post", allowed_status=302,
         data=lambda w: {**NEW_FORM, "indicators": [indicator_pk(w)]}),
    api("monitoring-form-list", "/api/v1/monitoring-forms/", FORM_USERS),
    api("monitoring-form-list", "/api/v1/monitoring-forms/", FORM_CREATORS, method="post", allowed_status=201,
        data=lambda w: {**NEW_FORM, "indicators": [indicator_pk(w)]}),
    api("monitoring-form-detail", lambda w: f"/api/v1/monitoring-forms/{municipal_form(w).pk}/", FORM_USERS),
    api("monitoring-form-detail", lambda w: f"/api/v1/monitoring-forms/{municipal_form(w, 'b').pk}/", MINISTRY,
        others=FORM_ROLES_404),
    api("monitoring-form-answers", lambda w: f"/api/v1/monitoring-forms/{municipal_form(w).pk}/answers/",
        FORM_CREATORS),
    api("monitoring-form-answers", lambda w: f"/api/v1/monitoring-forms/{municipal_form(w, 'b').pk}/answers/",
        MINISTRY, others=FORM_ROLES_404),
    api("monitoring-form-answers", lambda w: f"/api/v1/monitoring-forms/{monitoring_form(w).pk}/answers/",
        MINISTRY),
]


def indicator_pk(w):
    from monitoring.models import Indicator

    return Indicator.objects.filter(is_manual=True).order_by("code").first().pk
