"""A campaign world: a procedure with results of three schools and an expert bank around them."""
from dataclasses import dataclass
import datetime

import pytest

from assessments.fieldwork.models import ExpertAvailability, ExpertConflict
from tests.factories import MunicipalityFactory, SchoolFactory

from . import factories

# The inflated school reports 3 points more than the works deserve (see `true_scores`).
INFLATED = [[4, 4, 4, 2, 1], [3, 4, 3, 2, 0], [4, 3, 3, 3, 2], [2, 3, 3, 2, 1], [4, 4, 4, 4, 3], [3, 3, 3, 3, 3],
            [4, 4, 2, 2, 2], [3, 2, 3, 2, 1], [4, 4, 4, 3, 1], [2, 2, 3, 3, 2], [3, 3, 4, 2, 1], [4, 2, 3, 3, 2]]
HONEST = [[2, 2, 1, 1, 0], [4, 3, 3, 2, 2], [3, 3, 2, 2, 1], [1, 2, 2, 1, 0], [4, 4, 3, 3, 3], [3, 2, 2, 1, 1],
          [2, 3, 2, 2, 1], [4, 4, 4, 3, 2], [3, 3, 3, 2, 2], [2, 2, 2, 2, 2]]


def true_scores(school_scores: list[int], inflated: bool) -> list[int]:
    """What the experts find: the inflated school's first three non-zero tasks lose a point each."""
    if not inflated:
        return list(school_scores)
    scores, taken = list(school_scores), 0
    for i, value in enumerate(scores):
        if value > 0 and taken < 3:
            scores[i] -= 1
            taken += 1
    return scores


@dataclass
class CampaignWorld:
    world: object
    procedure: object
    mun_c: object
    school_c1: object
    experts: dict


@pytest.fixture
def campaign_world(world) -> CampaignWorld:
    proc = factories.procedure()
    mun_c = MunicipalityFactory(region=world.region, name="Вединский муниципальный район")
    school_c1 = SchoolFactory(municipality=mun_c, code="sch990004", short_name="Школа В1")
    factories.school_results(proc, world.school_a1, INFLATED)
    factories.school_results(proc, world.school_b1, HONEST)
    factories.school_results(proc, world.school_a2, HONEST[:6])
    experts = {
        # own municipality of a1/a2: never checks them
        "a2_teacher": factories.ExpertFactory(full_name="Учитель из А2", organization=world.school_a2),
        "b1_teacher": factories.ExpertFactory(full_name="Учитель из Б1", organization=world.school_b1),
        "c1_teacher": factories.ExpertFactory(full_name="Учитель из В1", organization=school_c1),
        "c1_teacher2": factories.ExpertFactory(full_name="Второй учитель из В1", organization=school_c1),
        "iro_1": factories.ExpertFactory(full_name="Методист ИРО 1", organization=world.institute),
        "iro_2": factories.ExpertFactory(full_name="Методист ИРО 2", organization=world.institute),
        "iro_3": factories.ExpertFactory(full_name="Методист ИРО 3", organization=world.institute),
        "conflicted": factories.ExpertFactory(full_name="Эксперт с конфликтом", organization=world.institute),
        "away": factories.ExpertFactory(full_name="Эксперт в отпуске", organization=world.institute),
        "russian": factories.ExpertFactory(full_name="Эксперт по русскому", organization=world.institute,
                                           subjects=[proc.subject.__class__.objects.get(code="RU")]),
    }
    ExpertConflict.objects.create(expert=experts["conflicted"], organization=world.school_a1, reason="родственник")
    ExpertConflict.objects.create(expert=experts["conflicted"], organization=world.school_b1, reason="совместитель")
    ExpertAvailability.objects.create(expert=experts["away"], date_from=datetime.date(2025, 6, 1),
                                      date_to=datetime.date(2025, 6, 30))
    return CampaignWorld(world, proc, mun_c, school_c1, experts)
