import pytest

from assessments.analytics import risk
from assessments.analytics.statistics import NOT_ACHIEVED, UNCERTAIN

from .hand_frames import hand_results, hand_task_scores, hand_tasks


def test_basic_share_per_pupil():
    share = risk.basic_share(hand_task_scores(), hand_tasks())
    assert share.tolist() == pytest.approx([100, 200 / 3, 100 / 3, 0, 100, 100, 100 / 3, 100 / 3])


def test_risk_group_pupils_with_reasons():
    pupils = risk.risk_group_pupils(hand_results(), hand_task_scores(), hand_tasks())
    assert pupils["participant_code"].tolist() == ["p2", "p3", "p6", "p7"]
    reasons = dict(zip(pupils["participant_code"], pupils["reason"]))
    assert reasons["p3"] == "отметка «2»; базовые задания ниже порога"
    assert reasons["p2"] == "базовые задания ниже порога"
    assert list(pupils.columns) == ["municipality_id", "school_id", "class_name", "participant_code", "mark",
                                    "primary_score", "basic_pct", "reason"]


def test_mark_2_alone_puts_a_pupil_at_risk():
    results = hand_results()
    scores = hand_task_scores()
    scores[3] = [1, 2, 0]  # full basic points, but the ВПР mark is «2»
    pupils = risk.risk_group_pupils(results, scores, hand_tasks())
    assert dict(zip(pupils["participant_code"], pupils["reason"]))["p3"] == "отметка «2»"
    relaxed = risk.risk_group_pupils(results, scores, hand_tasks(), risk.RiskRule(include_mark_2=False))
    assert "p3" not in set(relaxed["participant_code"])


def test_risk_group_counts_by_class():
    counts = risk.risk_group_counts(hand_results(), hand_task_scores(), hand_tasks())
    table = {(r.school_id, r.class_name): (r.at_risk, r.participants) for r in counts.itertuples()}
    assert table == {(1, "4а"): (1, 3), (1, "4б"): (1, 2), (2, "4а"): (2, 3)}
    school = risk.risk_group_counts(hand_results(), hand_task_scores(), hand_tasks(), "school")
    assert school.set_index("school_id").loc[2, "at_risk_pct"] == pytest.approx(200 / 3)


def test_task_and_skill_deficits():
    tasks = risk.task_deficits(hand_results(), hand_task_scores(), hand_tasks(), "school")
    found = {(r.school_id, r.position): r.status for r in tasks.itertuples()}
    assert found == {(1, 1): UNCERTAIN, (1, 2): UNCERTAIN, (2, 2): NOT_ACHIEVED}
    skills = risk.skill_deficits(hand_results(), hand_task_scores(), hand_tasks(), "municipality")
    found = {(r.municipality_id, r.item): r.status for r in skills.itertuples()}
    assert found == {(10, "Умение А"): UNCERTAIN, (20, "Умение А"): NOT_ACHIEVED}
