"""Pure functions: draw, pairing, scoring, the re-check sign, controlled-sample figures, Excel neutralising."""
import numpy as np
import pandas as pd
import pytest

from assessments.fieldwork import benchmark, draw, scoring, signs
from rsoko.exports import neutralise


def test_draw_uses_the_sorted_population_so_input_order_does_not_matter():
    codes = [f"P{i:03d}" for i in range(40)]
    shuffled = list(reversed(codes))
    assert draw.draw_codes(codes, seed=9, school_id=3, share_percent=25, minimum=5) == \
        draw.draw_codes(shuffled, seed=9, school_id=3, share_percent=25, minimum=5)


def test_draw_size_is_share_rounded_up_at_least_the_minimum_at_most_all():
    assert draw.works_to_draw(41, 10, 3) == 5
    assert draw.works_to_draw(10, 10, 5) == 5
    assert draw.works_to_draw(3, 10, 5) == 3
    assert draw.works_to_draw(0, 10, 5) == 0


def test_each_school_has_its_own_stream():
    codes = [f"P{i:03d}" for i in range(30)]
    one = draw.draw_codes(codes, seed=1, school_id=1, share_percent=20, minimum=1)
    two = draw.draw_codes(codes, seed=1, school_id=2, share_percent=20, minimum=1)
    assert one != two


def test_pairing_is_a_derangement_within_municipalities():
    schools = {1: 10, 2: 10, 3: 10, 4: 20, 5: 20}
    pairing = draw.pair_schools(schools, within_municipality=True, forbidden=set(), seed=3)
    assert sorted(pairing) == sorted(pairing.values()) == [1, 2, 3, 4, 5]
    for school, checker in pairing.items():
        assert checker != school and schools[checker] == schools[school]


def test_pairing_across_municipalities_never_pairs_neighbours():
    schools = {1: 10, 2: 10, 3: 20, 4: 20, 5: 30}
    pairing = draw.pair_schools(schools, within_municipality=False, forbidden=set(), seed=8)
    assert all(schools[checker] != schools[school] for school, checker in pairing.items())


def test_pairing_avoids_last_years_pairs_or_explains_why_it_cannot():
    schools = {1: 10, 2: 10, 3: 10, 4: 10}
    forbidden = {frozenset((1, 2)), frozenset((3, 4))}
    pairing = draw.pair_schools(schools, within_municipality=True, forbidden=forbidden, seed=1)
    assert all(frozenset((s, c)) not in forbidden for s, c in pairing.items())
    with pytest.raises(draw.PairingError, match="без повторения пар прошлого года"):
        draw.pair_schools({1: 10, 2: 10}, within_municipality=True, forbidden=forbidden, seed=1)


def test_mark_follows_first_scores_and_does_not_round_half_points_up():
    boundaries = {"3": 6, "4": 10, "5": 15}
    assert [scoring.mark_for(x, boundaries) for x in (0, 5.5, 6, 9.5, 10, 20)] == [2, 2, 3, 3, 4, 5]
    assert scoring.mark_for(10, {}) is None


def test_experts_disagree_on_a_task_or_on_the_total():
    t = scoring.Thresholds(task=1, total=2, experts=2)
    assert not scoring.experts_disagree([2, 2, 2], [3, 2, 1], t)
    assert scoring.experts_disagree([0, 2, 2], [2, 2, 2], t)  # task differs by 2
    assert scoring.experts_disagree([1, 1, 1, 1], [2, 2, 2, 1], t)  # total differs by 3


def test_final_scores_rules():
    assert scoring.final_scores([[1, 2], [2, 2]], "mean") == [1.5, 2.0]
    assert scoring.final_scores([[1, 2], [4, 0], [1, 3]], "third") == [1.0, 3.0]
    assert scoring.final_scores([[1, 2], [4, 0], [1, 3]], "mean") == [1.0, 2.5]


def works(school_id, pairs):
    return pd.DataFrame([{"school_id": school_id, "school_primary": s, "final_primary": f,
                          "school_mark": scoring.mark_for(s, {"3": 6, "4": 10, "5": 15}),
                          "final_mark": scoring.mark_for(f, {"3": 6, "4": 10, "5": 15})} for s, f in pairs])


def test_sign_flags_inflated_marks_only():
    frame = pd.concat([works(1, [(10, 7), (15, 12), (6, 4), (12, 12), (16, 14)]),
                       works(2, [(10, 10), (15, 15), (6, 6), (12, 11), (16, 16)]),
                       works(3, [(7, 10), (12, 15), (4, 6), (12, 12), (14, 16)])])
    rows = signs.recheck_disagreement_sign(frame).set_index("school_id")
    assert list(rows.columns) == signs.SIGN_COLUMNS[1:]
    assert rows.loc[1, "flagged"] and rows.loc[1, "value"] == 80.0
    assert not rows.loc[2, "flagged"] and rows.loc[2, "evaluated"]
    assert not rows.loc[3, "flagged"]  # experts scored higher than the school: not inflation
    assert "требующие дополнительного анализа" in rows.loc[1, "explanation"]
    assert rows.loc[1, "p_value"] < 0.1


def test_sign_explanation_prints_the_shift_with_a_decimal_comma():
    rows = signs.recheck_disagreement_sign(works(1, [(10, 7), (15, 12), (6, 4), (12, 12), (16, 14), (9, 9)]))
    assert "средний сдвиг балла школы относительно экспертов +1,7" in rows.loc[0, "explanation"]
    shifted_down = signs.recheck_disagreement_sign(works(1, [(7, 10), (12, 15), (4, 6), (12, 12), (14, 16)]))
    assert "относительно экспертов −2,0" in shifted_down.loc[0, "explanation"]


def test_sign_is_not_evaluated_below_the_minimum_of_works():
    rows = signs.recheck_disagreement_sign(works(1, [(10, 5), (15, 10)]), signs.RecheckParams(min_works=5))
    assert not rows.loc[0, "evaluated"] and not rows.loc[0, "flagged"] and np.isnan(rows.loc[0, "p_value"])
    assert rows.loc[0, "explanation"].startswith("Не оценивалось")


def test_unchecked_works_do_not_count():
    frame = works(1, [(10, 7)] * 5)
    frame.loc[0, "final_primary"] = np.nan
    assert signs.recheck_disagreement_sign(frame).loc[0, "sample_size"] == 4


def test_region_figures_with_and_without_the_controlled_sample():
    frame = pd.DataFrame({"school_id": [1, 1, 2, 2], "primary_score": [4.0, 16.0, 8.0, 12.0],
                          "mark": [2.0, 5.0, 3.0, 4.0], "controlled": [True, True, False, False]})
    result = benchmark.with_and_without_controlled(frame)
    assert result["all"] == {"participants": 4, "schools": 2, "mean_primary": 10.0, "share_2": 25.0,
                             "success": 75.0, "quality": 50.0}
    assert result["controlled"]["share_2"] == 50.0 and result["uncontrolled"]["quality"] == 50.0
    empty = benchmark.with_and_without_controlled(frame.iloc[0:0])
    assert empty["all"]["mean_primary"] is None


@pytest.mark.parametrize("text", ["=1+1", "+7 900", "-2+3", "@SUM(A1)", "\tx", "-5"])
def test_formula_like_text_gets_an_apostrophe(text):
    # The fieldwork exports use the portal's one rule: any formula-like *string*, number-like text included.
    assert neutralise(text) == "'" + text


def test_plain_values_are_left_alone():
    assert neutralise("Иванов") == "Иванов" and neutralise(-2) == -2


def test_pairing_a_whole_region_is_found_quickly():
    schools = {s: s % 20 for s in range(300)}
    forbidden = {frozenset((s, s + 20)) for s in range(0, 280)}  # last year each school paired with the next one
    pairing = draw.pair_schools(schools, within_municipality=True, forbidden=forbidden, seed=11)
    assert len(set(pairing.values())) == 300
    assert all(frozenset(p) not in forbidden and schools[p[0]] == schools[p[1]] for p in pairing.items())
