"""The demo catalog: built once, rebuilt without change, with schools, samples, specs and scales."""
import io

from assessments import demo
from rsoko.orgs import demo as registry_demo
from assessments.models import Procedure, ProcedureSchool, Scale, Task


def test_demo_builds_procedures_idempotently(db):
    registry_demo.build(io.StringIO())
    demo.build(io.StringIO())
    counts = (Procedure.objects.count(), Task.objects.count(), ProcedureSchool.objects.count(), Scale.objects.count())
    demo.build(io.StringIO())
    assert counts == (Procedure.objects.count(), Task.objects.count(), ProcedureSchool.objects.count(),
                      Scale.objects.count())
    assert counts[0] == len(demo.PROCEDURES) and counts[3] == counts[0]
    ma4 = Procedure.objects.get(code__startswith="VPR-", subject__code="MA", grade=4)
    assert ma4.max_score == 20 and ma4.scale.boundaries == {"3": 6, "4": 10, "5": 15}
    assert "ближайший предшествующий год" in ma4.scale.source
    total = ma4.participations.count()
    assert total > 100 and abs(ma4.participations.exclude(control="").count() - total * 0.1) <= 1
    mpr = Procedure.objects.get(kind__code="МПР")
    assert set(mpr.participations.values_list("school__municipality", flat=True)) == {mpr.organizer.municipality_id}
    oge = Procedure.objects.get(kind__code="ОГЭ", subject__code="MA")
    assert oge.max_score == 31 and oge.scale.conditions[0]["min_points"] == 2
    assert not oge.results.exists()
