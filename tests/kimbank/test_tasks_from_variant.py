"""A procedure's task specification is created from its approved variant, all at once, never over results."""
import pytest
from django.core.exceptions import ValidationError

from assessments.kimbank.choices import VariantStatus
from assessments.kimbank.services import procedure_tasks_from_variant, variant_use_create
from assessments.models import ParticipantResult, ResultBatch, ResultVersion, Task
from rsoko.audit.models import AuditEntry
from tests.kimbank.factories import make_procedure, make_use, make_variant


@pytest.fixture
def use(world):
    variant = make_variant(world.user("methodologist"), status=VariantStatus.APPROVED, tasks=4)
    return make_use(variant, make_procedure(schools=[world.school_a1]))


def test_tasks_are_copied_from_the_variant(world, use):
    assert procedure_tasks_from_variant(actor=world.user("centre"), use=use) == 4
    tasks = list(Task.objects.filter(procedure=use.procedure).values_list("position", "label", "max_score", "kt_codes"))
    assert tasks == [(1, "1", 1, "2.1"), (2, "2", 2, "2.1"), (3, "3", 3, "2.1"), (4, "4", 4, "2.1")]
    use.procedure.refresh_from_db()
    assert use.procedure.max_score == 10
    assert AuditEntry.objects.filter(model="assessments.procedure", source__startswith="kimbank:tasks_from_variant").exists()


def test_refused_when_the_procedure_already_has_tasks(world, use):
    Task.objects.create(procedure=use.procedure, position=1, label="1", max_score=1)
    with pytest.raises(ValidationError, match="уже есть спецификация"):
        procedure_tasks_from_variant(actor=world.user("centre"), use=use)
    assert Task.objects.filter(procedure=use.procedure).count() == 1


def test_refused_when_the_procedure_already_has_results(world, use):
    batch = ResultBatch.objects.create(procedure=use.procedure, filename="f.xlsx", format="protocol", mode="strict")
    version = ResultVersion.objects.create(batch=batch, procedure=use.procedure, school=world.school_a1, number=1)
    ParticipantResult.objects.create(version=version, procedure=use.procedure, school=world.school_a1, participant_code="A1")
    with pytest.raises(ValidationError, match="уже загружены результаты"):
        procedure_tasks_from_variant(actor=world.user("centre"), use=use)
    assert not Task.objects.filter(procedure=use.procedure).exists()


def test_the_page_shows_the_refusal_in_russian(world, client_for, use):
    Task.objects.create(procedure=use.procedure, position=1, label="1", max_score=1)
    response = client_for("centre").post(f"/kim/uses/{use.pk}/create-tasks/", follow=True)
    assert "уже есть спецификация заданий" in response.content.decode()


def test_only_an_approved_variant_can_be_used(world):
    draft = make_variant(world.user("methodologist"), number="4")
    procedure = make_procedure()
    with pytest.raises(ValidationError, match="одобренный"):
        variant_use_create(actor=world.user("centre"), variant=draft, procedure=procedure,
                           window_start=procedure.created_at, window_end=procedure.created_at)


def test_the_use_page_fills_the_default_window(world, client_for):
    from datetime import date

    from assessments.kimbank.models import VariantUse

    variant = make_variant(world.user("methodologist"), status=VariantStatus.APPROVED)
    procedure = make_procedure("RPR-2026-MA-6-B", day=date(2026, 5, 20))
    response = client_for("centre").post(f"/kim/{variant.pk}/uses/new/", {"procedure": procedure.pk})
    assert response.status_code == 302
    use = VariantUse.objects.get(procedure=procedure)
    assert use.window_start.date() == date(2026, 5, 20) and use.window_end > use.window_start
