"""Draft → submitted → under review → approved / returned with comments; who may move a variant and who sees it."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.kimbank import services
from assessments.kimbank.choices import VariantStatus
from assessments.kimbank.models import Variant
from rsoko.audit.models import AuditEntry
from tests.kimbank.factories import make_variant


@pytest.fixture
def draft(world):
    # The ministry writes this one; the institute (methodologist) reviews it.
    return make_variant(world.user("ministry"), number="7")


def test_author_submits_and_institute_approves_with_audit(world, draft):
    services.variant_transition(actor=world.user("ministry"), variant=draft, action="submit")
    services.variant_transition(actor=world.user("methodologist"), variant=draft, action="take")
    services.variant_transition(actor=world.user("methodologist"), variant=draft, action="approve")
    draft.refresh_from_db()
    assert draft.status == VariantStatus.APPROVED
    assert draft.reviewer == world.user("methodologist")
    sources = list(AuditEntry.objects.filter(model="kimbank.variant", object_id=str(draft.pk))
                   .order_by("id").values_list("source", flat=True))
    assert sources == ["kimbank:submit", "kimbank:take", "kimbank:approve"]


def test_return_needs_comments_and_lets_the_author_edit_again(world, draft):
    services.variant_transition(actor=world.user("ministry"), variant=draft, action="submit")
    with pytest.raises(ValidationError, match="замечания"):
        services.variant_transition(actor=world.user("methodologist"), variant=draft, action="return", comment=" ")
    services.variant_transition(actor=world.user("methodologist"), variant=draft, action="return",
                                comment="Задание 2 допускает два ответа.")
    draft.refresh_from_db()
    assert draft.status == VariantStatus.RETURNED and "два ответа" in draft.review_comment
    assert services.can_edit(world.user("ministry"), draft)
    services.variant_transition(actor=world.user("ministry"), variant=draft, action="submit")
    assert Variant.objects.get(pk=draft.pk).status == VariantStatus.SUBMITTED


def test_an_author_cannot_approve_their_own_variant(world, draft):
    services.variant_transition(actor=world.user("ministry"), variant=draft, action="submit")
    with pytest.raises(PermissionDenied):
        services.variant_transition(actor=world.user("ministry"), variant=draft, action="approve")


def test_a_variant_without_a_codifier_or_file_cannot_be_submitted(world):
    bare = make_variant(world.user("methodologist"), number="8", tasks=0, with_file=False)
    with pytest.raises(ValidationError, match="кодификатор"):
        services.variant_transition(actor=world.user("methodologist"), variant=bare, action="submit")


def test_an_approved_variant_is_frozen(world, draft):
    draft.status = VariantStatus.APPROVED
    draft.save()
    assert not services.can_edit(world.user("ministry"), draft)
    assert not services.can_edit(world.user("methodologist"), draft)
    with pytest.raises(PermissionDenied):
        services.variant_tasks_replace(actor=world.user("methodologist"), variant=draft, tasks=[])


def test_centre_sees_approved_variants_only(world, draft):
    approved = make_variant(world.user("methodologist"), number="9", status=VariantStatus.APPROVED)
    assert list(Variant.objects.visible_to(world.user("centre"))) == [approved]
    assert set(Variant.objects.visible_to(world.user("methodologist"))) == {draft, approved}
    assert not Variant.objects.visible_to(world.user("school_head")).exists()
    assert not Variant.objects.visible_to(world.user("expert")).exists()


def test_review_through_the_pages(world, client_for, draft):
    client = client_for("ministry")
    assert client.post(f"/kim/{draft.pk}/status/submit/").status_code == 302
    client = client_for("methodologist")
    response = client.post(f"/kim/{draft.pk}/status/return/", {"comment": "Уточните критерии к заданию 3."}, follow=True)
    assert "Возвращён на доработку".lower() in response.content.decode().lower()
    page = client_for("ministry").get(f"/kim/{draft.pk}/").content.decode()
    assert "Уточните критерии к заданию 3." in page


def test_creating_a_variant_makes_the_creator_an_author(world, client_for):
    from assessments.models import ProcedureKind, Subject

    response = client_for("methodologist").post("/kim/new/", {
        "kind": ProcedureKind.objects.get(code="РДР").pk, "subject": Subject.objects.get(code="RU").pk,
        "grade": 7, "year": 2026, "number": "3", "title": "", "description": "",
        "authors": [world.user("ministry").pk],
    })
    assert response.status_code == 302
    variant = Variant.objects.get(number="3", kind__code="РДР")
    assert set(variant.authors.all()) == {world.user("methodologist"), world.user("ministry")}
    assert variant.status == VariantStatus.DRAFT


def test_kinds_outside_the_bank_are_refused_in_the_form(world, client_for):
    from assessments.models import ProcedureKind, Subject

    response = client_for("methodologist").post("/kim/new/", {
        "kind": ProcedureKind.objects.get(code="ЕГЭ").pk, "subject": Subject.objects.get(code="RU").pk,
        "year": 2026, "number": "1",
    })
    assert response.status_code == 200
    assert not Variant.objects.exists()


def test_a_methodologist_does_not_review_a_variant_they_wrote(world):
    own = make_variant(world.user("methodologist"), number="11")
    services.variant_transition(actor=world.user("methodologist"), variant=own, action="submit")
    assert services.allowed_transitions(world.user("methodologist"), own) == []
    with pytest.raises(PermissionDenied):
        services.variant_transition(actor=world.user("methodologist"), variant=own, action="approve")
