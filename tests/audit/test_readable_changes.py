"""Issue 17: the audit log speaks Russian — field names and value labels, not `approval: draft`, `is_public: False`."""
from rsoko.audit.models import AuditEntry


def test_the_audit_log_shows_field_names_and_value_labels_in_russian(world, client_for):
    from tests.roadmaps.factories import roadmap_world

    roadmap = roadmap_world(world).regional
    AuditEntry.objects.create(actor_name="Министерство", action="update", model="roadmaps.roadmap",
                              object_id=str(roadmap.pk), object_repr=roadmap.title[:100],
                              before={"approval": "draft", "is_public": False},
                              after={"approval": "approved", "is_public": True}, source="веб")
    page = client_for("ministry").get("/audit/?model=roadmaps.roadmap").content.decode()
    assert "Статус утверждения: <del>Проект</del> → Утверждена" in page, page[page.find("<tbody>"):][:1500]
    assert "Публикуется: <del>нет</del> → да" in page
    for raw in ("approval", "is_public", "False", "True", "draft"):
        assert raw not in page.split("<tbody>")[1].split("</tbody>")[0], raw
