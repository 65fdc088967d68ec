"""The bank's API reads through the same scoping as the pages."""
from assessments.kimbank.choices import VariantStatus
from tests.kimbank.factories import make_variant


def test_centre_lists_approved_variants_only_with_their_codifier(world, client_for):
    approved = make_variant(world.user("methodologist"), status=VariantStatus.APPROVED, tasks=2)
    make_variant(world.user("methodologist"), number="2")
    data = client_for("centre").get("/api/v1/kim/variants/").json()
    assert [v["id"] for v in data["results"]] == [approved.pk]
    assert [t["label"] for t in data["results"][0]["tasks"]] == ["1", "2"]
    assert "file" not in data["results"][0]["files"][0]  # no storage path leaks through the API


def test_methodologist_lists_the_whole_bank_and_filters_by_status(world, client_for):
    make_variant(world.user("methodologist"), status=VariantStatus.APPROVED)
    draft = make_variant(world.user("ministry"), number="2")
    client = client_for("methodologist")
    assert client.get("/api/v1/kim/variants/").json()["count"] == 2
    assert [v["id"] for v in client.get("/api/v1/kim/variants/?status=draft").json()["results"]] == [draft.pk]


def test_the_bank_api_is_read_only(world, client_for):
    response = client_for("methodologist").post("/api/v1/kim/variants/", {}, content_type="application/json")
    assert response.status_code in {403, 405}
