import time

import numpy as np

from assessments.synthetic import DEFAULT_SPECS, PLANT_KINDS, PLANT_MIN_SIZE, generate_region


def test_same_seed_same_region_other_seed_other_region():
    first, second = generate_region(seed=3, n_schools=80), generate_region(seed=3, n_schools=80)
    for a, b in zip(first.procedures, second.procedures):
        assert a.results.equals(b.results) and np.array_equal(a.task_scores, b.task_scores)
    other = generate_region(seed=4, n_schools=80)
    assert not other.procedures[0].results.equals(first.procedures[0].results)


def test_region_shape_and_ground_truth():
    region = generate_region(seed=1, n_schools=400)
    schools = region.schools
    assert schools["size"].between(5, 120).all()
    assert set(schools["settlement_type"]) == {"город", "сельская местность"}
    assert sorted(region.planted["kind"].unique()) == sorted(PLANT_KINDS)
    assert region.planted["school_id"].is_unique
    planted_sizes = schools.set_index("school_id").loc[region.planted["school_id"], "size"]
    assert (planted_sizes >= PLANT_MIN_SIZE).all()
    for procedure in region.procedures:
        results, scores = procedure.results, procedure.task_scores
        assert scores.shape == (len(results), len(procedure.tasks))
        assert (scores <= procedure.tasks["max_score"].to_numpy()).all() and (scores >= 0).all()
        assert np.array_equal(scores.sum(axis=1), results["primary_score"].to_numpy())
        assert procedure.tasks["max_score"].sum() == procedure.max_score
        assert results["journal_mark"].isna().mean() < 0.1
        assert set(results["mark"].unique()) <= {2.0, 3.0, 4.0, 5.0}


def test_planted_heaping_is_visible_in_the_counts():
    region = generate_region(seed=1, n_schools=400)
    procedure = region.procedure(region.last_year, "MA", 4)
    heaping = set(region.planted.loc[region.planted["kind"] == "heaping", "school_id"])
    scores = procedure.results["primary_score"]
    in_heaping = procedure.results["school_id"].isin(heaping)
    # score 5 is one point below the «3» boundary (6): emptied in planted schools only
    below_share = (scores[in_heaping] == 5).mean()
    assert below_share < 0.3 * (scores[~in_heaping] == 5).mean()


def test_cohort_keeps_its_pupils_from_grade_4_to_grade_5():
    region = generate_region(seed=2, n_schools=50)
    four = region.procedure(region.last_year - 1, "RU", 4).results
    five = region.procedure(region.last_year, "RU", 5).results
    shared = set(four["participant_code"]) & set(five["participant_code"])
    assert len(shared) > 0.8 * len(five)


def test_25000_pupils_well_under_a_second():
    start = time.perf_counter()
    region = generate_region(seed=5, n_schools=700, years=(2021,), specs=DEFAULT_SPECS[:1])
    elapsed = time.perf_counter() - start
    pupils = region.participants
    print(f"\nsynthetic generator: {pupils} pupils in {elapsed:.3f} s")
    assert pupils > 20000
    assert elapsed < 0.5
