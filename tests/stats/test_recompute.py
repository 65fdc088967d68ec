"""Recomputation stores what the pure analytics compute, for every level, and replaces it atomically."""
import pandas as pd
import pytest

from assessments.analytics import statistics
from assessments.stats.models import Form, ObjectivityIndex, ObjectivitySign, StatisticRow
from assessments.stats.services import procedure_recompute


def test_statistics_are_stored_for_every_level_and_match_the_pure_computation(synthetic_year):
    region, schools, procedures = synthetic_year
    sp = region.procedure(2021, "MA", 4)
    procedure = procedures[sp.code]
    summary = procedure_recompute(procedure_id=procedure.pk)
    assert summary["participants"] == len(sp.results)
    stored = StatisticRow.objects.get(procedure=procedure, form=Form.MARKS, level="region")
    expected = statistics.mark_statistics(sp.results, "region", max_score=sp.max_score).iloc[0]
    assert stored.participants == len(sp.results)
    assert stored.data["success_pct"] == pytest.approx(expected["success_pct"], abs=1e-3)
    assert stored.data["pct_2"] == pytest.approx(expected["pct_2"], abs=1e-3)
    school_rows = StatisticRow.objects.filter(procedure=procedure, form=Form.MARKS, level="school")
    assert school_rows.count() == sp.results["school_id"].nunique()
    assert set(StatisticRow.objects.filter(procedure=procedure).values_list("form", flat=True)) == set(Form.values)
    classes = sp.results.groupby(["school_id", "class_name"]).ngroups
    assert StatisticRow.objects.filter(procedure=procedure, form=Form.MARKS, level="class").count() == classes


def test_a_second_recompute_replaces_rather_than_adds(synthetic_year):
    _, _, procedures = synthetic_year
    procedure = next(iter(procedures.values()))
    procedure_recompute(procedure_id=procedure.pk)
    counts = (StatisticRow.objects.count(), ObjectivitySign.objects.count(), ObjectivityIndex.objects.count())
    procedure_recompute(procedure_id=procedure.pk)
    assert (StatisticRow.objects.count(), ObjectivitySign.objects.count(), ObjectivityIndex.objects.count()) == counts


def test_per_procedure_signs_and_the_index_are_stored_with_their_explanations(synthetic_year):
    region, schools, procedures = synthetic_year
    sp = region.procedure(2021, "RU", 4)
    procedure = procedures[sp.code]
    procedure_recompute(procedure_id=procedure.pk)
    signs = pd.DataFrame(ObjectivitySign.objects.filter(procedure=procedure).values())
    assert set(signs["criterion"]) == {"official_mean_ci", "official_spearman", "raised_marks", "heaping"}
    assert not signs.loc[~signs["evaluated"], "flagged"].any()
    assert signs["explanation"].str.len().min() > 10
    index = ObjectivityIndex.objects.get(procedure=procedure)
    official = signs[signs["criterion"].isin(["official_mean_ci", "official_spearman"])]
    per_school = official.groupby("school_id").agg(evaluated=("evaluated", "any"), flagged=("flagged", "any"))
    assert index.evaluated_schools == int(per_school["evaluated"].sum())
    assert index.index == pytest.approx(100 - 100 * (per_school["flagged"] & per_school["evaluated"]).sum()
                                        / per_school["evaluated"].sum())


def recompute_everything(procedures):
    from assessments.stats.services import year_recompute

    for procedure in procedures.values():
        procedure_recompute(procedure_id=procedure.pk)
    for year in (2020, 2021):
        year_recompute(year=year)


def test_the_year_recompute_stores_cohort_and_calibrated_signs_that_find_the_planted_schools(synthetic_region):
    region, schools, procedures = synthetic_region
    recompute_everything(procedures)
    year_signs = ObjectivitySign.objects.filter(year=2021, procedure__isnull=True)
    criteria = set(year_signs.values_list("criterion", flat=True))
    assert {"official_cohort", "cal_journal_residual", "cal_journal_consistency", "cal_heaping", "cal_cohort"} <= criteria
    assert not ObjectivitySign.objects.filter(year=2020, criterion="official_cohort").exists()  # no 2019 grade 4
    index = ObjectivityIndex.objects.get(year=2021, procedure__isnull=True)
    assert 0 < index.evaluated_schools <= len(schools) and 0 <= index.index <= 100
    flagged = set(year_signs.filter(criterion__startswith="cal_", flagged=True).values_list("school_id", flat=True))
    planted = {schools[sid].pk for sid in region.planted["school_id"]}
    clean = {school.pk for school in schools.values()} - planted
    assert len(flagged & planted) / len(planted) >= 0.75
    assert len(flagged & clean) / len(clean) <= 0.05


def test_a_deactivated_criterion_is_not_stored(synthetic_year):
    from assessments.stats.models import ObjectivityCriterion

    _, _, procedures = synthetic_year
    ObjectivityCriterion.objects.filter(code="raised_marks").update(is_active=False)
    procedure = next(iter(procedures.values()))
    procedure_recompute(procedure_id=procedure.pk)
    assert not ObjectivitySign.objects.filter(criterion="raised_marks").exists()
