"""A sign with no pupils at a boundary is «не оценивалась», never ±∞ (the signs API answered 500 for whole years)."""
from importlib import import_module

from django.apps import apps
import numpy as np
import pandas as pd
import pytest

from assessments.analytics import objectivity as ob
from assessments.stats.models import ObjectivitySign

migration = import_module("assessments.stats.migrations.0005_h15a_no_infinite_signs")


def component(schools, heaping_p):
    count = len(schools)
    return pd.DataFrame({"school_id": schools, "n": [40] * count, "at": [3] * count, "below": [5] * count,
                         "heaping_p": heaping_p, "residual_z": np.linspace(-1, 1, count),
                         "consistency_z": np.linspace(1, -1, count)})


def test_no_pupil_at_any_boundary_is_not_evaluated_and_finite():
    schools = list(range(1, 31))
    p = [0.5] * 29 + [1.0]  # school 30: pupils one point below the boundaries, none at them
    out = ob.calibrated_evaluation([component(schools, p), component(schools, p)])
    heaping = out[(out["criterion"] == "cal_heaping")].set_index("school_id")
    assert np.isfinite(out[["value", "threshold"]].to_numpy(dtype=float)[out["evaluated"].to_numpy()]).all()
    assert not np.isinf(out["value"].to_numpy(dtype=float)).any()
    last = heaping.loc[30]
    assert (last["evaluated"], last["flagged"], np.isnan(last["value"])) == (False, False, True)
    assert last["explanation"] == "Не оценивалось: ни одного участника на первом балле отметки — скопления на границе нет"
    assert heaping.loc[1, "evaluated"] and np.isfinite(heaping.loc[1, "value"])


def test_an_underflowing_p_value_keeps_a_finite_z_and_stays_flagged():
    schools = list(range(1, 31))
    p = [0.5] * 29 + [0.0]
    out = ob.calibrated_evaluation([component(schools, p)])
    strong = out[(out["criterion"] == "cal_heaping") & (out["school_id"] == 30)].iloc[0]
    assert strong["flagged"] and np.isfinite(strong["value"]) and strong["value"] > 30


def test_any_infinite_value_becomes_not_evaluated():
    rows = ob._rows(ob.CAL_RESIDUAL, [1, 2], [np.inf, 1.5], np.inf, [20, 20], [True, True], [True, False],
                    [0.0, 0.2], ["флаг", "нет"])
    assert rows["evaluated"].tolist() == [False, True] and rows["flagged"].tolist() == [False, False]
    assert np.isnan(rows["value"].iloc[0]) and np.isnan(rows["threshold"]).all()
    assert rows["explanation"].iloc[0].startswith("Не оценивалось")


@pytest.mark.django_db
def test_stored_infinite_signs_are_fixed_and_the_api_answers(world, client_for):
    def stored(criterion, value, **fields):
        return ObjectivitySign.objects.create(year=2021, school=world.school_a1, criterion=criterion, version=1,
                                              value=value, evaluated=True, flagged=False,
                                              explanation="z = −∞ по 2 процедурам", **fields)

    heaping = stored("cal_heaping", float("-inf"), p_value=1.0, q_value=1.0, threshold=0.05)
    odd = stored("cal_residual", 1.2, p_value=float("inf"))
    fine = stored("official_spearman", 0.3, p_value=0.2)
    migration.fix_infinite_signs(apps, None)
    heaping.refresh_from_db()
    odd.refresh_from_db()
    fine.refresh_from_db()
    assert (heaping.value, heaping.p_value, heaping.q_value, heaping.evaluated, heaping.threshold) == (
        None, None, None, False, 0.05)
    assert heaping.explanation == migration.HEAPING
    assert (odd.value, odd.p_value, odd.evaluated) == (1.2, None, True)
    assert (fine.value, fine.p_value, fine.explanation) == (0.3, 0.2, "z = −∞ по 2 процедурам")
    response = client_for("ministry").get("/api/v1/objectivity-signs/?page_size=50")
    assert response.status_code == 200 and len(response.json()["results"]) == 3
