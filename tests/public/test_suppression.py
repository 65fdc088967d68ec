import pytest

from rsoko.public.suppression import (MIN_PUBLIC_GROUP, PupilDataError, ensure_public, pupil_fields_in,
                                      suppress_small_groups)


def test_groups_under_ten_lose_every_figure_including_the_count():
    rows = suppress_small_groups([
        {"name": "А", "code": "m1", "participants": MIN_PUBLIC_GROUP, "quality": 50.0},
        {"name": "Б", "code": "m2", "participants": MIN_PUBLIC_GROUP - 1, "quality": 77.7},
        {"name": "В", "code": "m3", "participants": None, "quality": 12.0},
    ])
    assert rows[0] == {"name": "А", "code": "m1", "participants": 10, "quality": 50.0, "suppressed": False}
    assert rows[1] == {"name": "Б", "code": "m2", "suppressed": True}
    assert rows[2] == {"name": "В", "code": "m3", "suppressed": True}


def test_pupil_fields_are_found_at_any_depth():
    data = {"region": {"rows": [{"name": "x"}, {"participant_code": "A-1"}]}, "task_scores": []}
    assert sorted(pupil_fields_in(data)) == ["region.rows[1].participant_code", "task_scores"]
    with pytest.raises(PupilDataError):
        ensure_public(data)
    assert ensure_public({"marks": {"5": 20.0}}) == {"marks": {"5": 20.0}}
