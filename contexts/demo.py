"""Demo context of schools: size, language and income figures drawn per school (rural schools smaller and
poorer), a few schools on the ministry's list; then the flags and comparable groups under the default rule, which
puts about one school in seven in difficult social conditions (a real region: 10–20 %)."""
import numpy as np

from rsoko.orgs.choices import OrgKind, SettlementType
from rsoko.orgs.models import Organization

from .models import SchoolContext
from .services import contexts_recompute


def build(stdout) -> None:
    schools = list(Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True).order_by("code"))
    missing = [s for s in schools if not SchoolContext.objects.filter(school=s).exists()]
    rng = np.random.default_rng(2026)
    contexts = []
    for position, school in enumerate(missing):
        rural = school.settlement_type == SettlementType.RURAL
        pupils = int(rng.lognormal(4.6 if rural else 6.3, 0.5))
        # Shares near a Russian region's (not a national republic's): Russian a second language for ~7 % of pupils
        # on average, low-income families ~20 % in villages and ~12 % in towns.
        contexts.append(SchoolContext(
            school=school, pupils=pupils, russian_second_share=round(float(rng.beta(1, 14) * 100), 1),
            low_income_share=round(float(rng.beta(2, 8) if rural else rng.beta(1.5, 11)) * 100, 1),
            listed=position % 37 == 5))
    SchoolContext.objects.bulk_create(contexts)
    count = contexts_recompute()
    difficult = SchoolContext.objects.filter(difficult=True).count()
    stdout.write(f"  Контекст ОО: {count}, в сложных социальных условиях: {difficult}.")
