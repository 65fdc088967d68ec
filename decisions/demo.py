"""Demo decision: a 2-year training programme for the teachers of a third of the schools, whose effect page reads
a real difference. The schools report training coverage in monitoring forms before and after (synthetic answers:
the programme's schools gain about 25 points, the others about 3), so difference in differences finds the effect
and its interval; ВПР quality, which the programme does not move in the demo, reads «не отличима от нуля»."""
from datetime import date

import numpy as np
from django.db import transaction
from django.utils import timezone

from monitoring.models import FormAnswer, Indicator, MonitoringForm
from monitoring.services import form_fill
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from .models import Decision

INDICATOR = "teachers_training_coverage"
MAX_SCHOOLS = 120


def coverage_form(year: int) -> MonitoringForm:
    form, _ = MonitoringForm.objects.get_or_create(
        title=f"Охват педагогов повышением квалификации (ОО), {year}", period=str(year),
        defaults={"deadline": date(year, 12, 20), "audience": "schools"})
    form.indicators.set(Indicator.objects.filter(code=INDICATOR))
    return form


def fill(form: MonitoringForm, schools: list, values) -> None:
    for school, value in zip(schools, values):
        if not FormAnswer.objects.filter(form=form, organization=school).exists():
            form_fill(form=form, organization=school, actor=None, values={INDICATOR: float(value)})


@transaction.atomic
def build(stdout) -> None:
    today = timezone.localdate()
    year = today.year if today.month >= 6 else today.year - 1
    ministry = Organization.objects.filter(kind=OrgKind.MINISTRY, is_active=True).order_by("id").first()
    schools = list(Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True).order_by("code")[:MAX_SCHOOLS])
    if ministry is None or len(schools) < 8 or not Indicator.objects.filter(code=INDICATOR).exists():
        stdout.write("  Нет министерства, школ или показателя охвата ПК: демо-решение не создано.")
        return
    treated = schools[::3]
    rng = np.random.default_rng(year)
    before = np.clip(rng.normal(45, 8, len(schools)), 5, 95).round(1)
    gain = np.where([s in treated for s in schools], rng.normal(25, 6, len(schools)), rng.normal(3, 6, len(schools)))
    after = np.clip(before + gain, 0, 100).round(1)
    fill(coverage_form(year - 1), schools, before)
    fill(coverage_form(year), schools, after)
    decision = Decision.objects.filter(order_number=f"ДЕМО-{year - 1}-ПК").first()
    if decision is None:
        decision = Decision.objects.create(
            owner=ministry, order_number=f"ДЕМО-{year - 1}-ПК", order_date=date(year - 1, 9, 15),
            title="О программе повышения квалификации учителей математики школ с низкими результатами",
            text="Организовать курсы повышения квалификации по оценке образовательных результатов для учителей "
                 "школ, показавших низкие результаты ВПР; МОУО обеспечить охват не менее 70 % педагогов.",
            mechanism="2.2")
        decision.indicators.set(Indicator.objects.filter(code__in=[INDICATOR, "vpr_quality"]))
        decision.schools.set(treated)
    stdout.write(f"  Решение «{decision.title[:60]}…»: {len(treated)} ОО, эффект — на странице решения.")

