"""The demo builds the roadmaps once: running it twice changes nothing."""
import io

import pytest

from rsoko.orgs import demo as orgs_demo
from roadmaps import demo
from roadmaps.models import Assignment, Item, ReportingRound, Roadmap, StatusChange, Submission


def counts():
    return [m.objects.count() for m in (Roadmap, Item, Assignment, StatusChange, ReportingRound, Submission)]


@pytest.mark.parametrize("with_seeds", [True, False], ids=["seeds", "built-in"])
def test_demo_is_idempotent(db, monkeypatch, tmp_path, with_seeds):
    if not with_seeds:
        monkeypatch.setattr(demo, "SEEDS", tmp_path / "absent")
    elif not demo.SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    orgs_demo.build(io.StringIO())
    demo.build(io.StringIO())
    first = counts()
    demo.build(io.StringIO())
    assert counts() == first
    assert Roadmap.objects.filter(is_template=True).count() == 1
    assert Roadmap.objects.filter(created_from__isnull=False).count() == 1
    assert Submission.objects.count() == 9
    assert Assignment.objects.exclude(status="not_started").exists()
    if with_seeds:
        assert Roadmap.objects.filter(created_from__isnull=True, is_template=False).count() == 4
