"""Archive: versions per parameters, scoping of downloads, jobs, the CLI, the recommendations."""
import pytest
from django.core.management import CommandError, call_command

from assessments.stats.models import Level
from reports import rendering, services
from reports.models import ProcedureRecommendation, ReportArchive, ReportKind
from reports.periods import Quarter
from rsoko.audit.models import AuditEntry
from tests.stats.factories import analysed_procedure, stored_statistics

from .conftest import needs_node, needs_poppler, pdf_text
from .factories import archived

Q2 = Quarter.parse("2021Q2")


@needs_node
def test_rendering_again_with_the_same_parameters_adds_a_version(world):
    stored_statistics(world)
    first = services.quarterly_render(organization=world.mouo_a, quarter=Q2, user=world.users["coordinator"])
    second = services.quarterly_render(organization=world.mouo_a, quarter=Q2)
    other = services.quarterly_render(organization=world.mouo_a, quarter=Q2.next())
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.parameters["quarter"] == "2021Q2" and first.parameters["organization"] == world.mouo_a.code
    assert first.file.read().startswith(b"%PDF") and first.created_by == world.users["coordinator"]


def test_the_archive_is_scoped_by_organization(world):
    region, mun_a, mun_b, school = (archived(world, o) for o in (world.ministry_org, world.mouo_a, world.mouo_b, world.school_a1))
    procedure_report = archived(world, world.ministry_org, kind=ReportKind.PROCEDURE, period="",
                                procedure=stored_statistics(world))
    visible = lambda persona: set(ReportArchive.objects.visible_to(world.users[persona]))  # noqa: E731
    assert visible("ministry") == {region, mun_a, mun_b, school, procedure_report}
    assert visible("coordinator") == {mun_a, school}
    assert visible("school_head") == {school}
    assert visible("expert") == visible("api_client") == set()


def test_who_may_render_what(world):
    assert services.can_render(world.users["ministry"], organization=world.mouo_b)
    assert services.can_render(world.users["coordinator"], organization=world.school_a2)
    assert not services.can_render(world.users["coordinator"], organization=world.mouo_b)
    assert not services.can_render(world.users["coordinator"], organization=world.ministry_org)
    assert services.can_render(world.users["school_head"], organization=world.school_a1)
    assert not services.can_render(world.users["school_head"], organization=world.school_a2)
    assert not services.can_render(world.users["coordinator"], procedure=stored_statistics(world))
    assert set(services.renderable_organizations(world.users["coordinator"])) == {world.mouo_a, world.school_a1, world.school_a2}


def test_the_render_form_refuses_an_organization_out_of_scope_and_a_bad_quarter(world, client_for):
    client = client_for("coordinator")
    response = client.post("/reports/quarterly/new/", {"organization": world.mouo_b.pk, "quarter": "2021Q2"})
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    response = client.post("/reports/quarterly/new/", {"organization": world.mouo_a.pk, "quarter": "второй"})
    assert "ожидается вид 2026Q3" in response.context["form"].errors["quarter"][0]
    response = client.post("/reports/quarterly/new/", {"organization": world.mouo_a.pk, "quarter": "2021Q2"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]


@needs_node
def test_the_job_renders_into_the_archive(world):
    from rsoko.jobs.models import Job

    stored_statistics(world)
    job = services.report_job_create(user=world.users["ministry"], kind=ReportKind.QUARTERLY, organization=world.mouo_a,
                                     quarter=Q2)
    stages = []
    result = services.report_job(Job.objects.get(pk=job.pk), lambda stage, percent: stages.append(percent))
    report = ReportArchive.objects.get(pk=result["report"])
    assert report.kind == ReportKind.QUARTERLY and stages[-1] == 100 and result["url"].endswith("/download/")


@needs_node
def test_the_quarterly_set_is_the_region_and_every_municipality(world):
    stored_statistics(world)
    reports = services.quarterly_set_render(quarter=Q2)
    assert [r.organization for r in reports] == [world.ministry_org, world.mouo_a, world.mouo_b]


@needs_node
def test_the_command_writes_a_pdf_and_refuses_bad_arguments(world, tmp_path):
    procedure = stored_statistics(world)
    out = tmp_path / "q.pdf"
    call_command("render_report", "quarterly", "--org", world.mouo_a.code, "--quarter", "2021Q2", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    call_command("render_report", "procedure", "--procedure", procedure.code, "--out", str(tmp_path / "p.pdf"))
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="не распознан"):
        call_command("render_report", "quarterly", "--org", world.mouo_a.code, "--quarter", "2021-2", "--out", str(out))
    with pytest.raises(CommandError, match="не найдена"):
        call_command("render_report", "quarterly", "--org", "NOPE", "--quarter", "2021Q2", "--out", str(out))


@needs_node
@needs_poppler
def test_the_procedure_report_prints_the_institutes_recommendations(world, client_for, tmp_path):
    procedure = analysed_procedure(world)
    response = client_for("methodologist").post(f"/reports/procedures/{procedure.code}/recommendations/",
                                                 {"text": "Усилить работу с текстовыми задачами в 4 классах."})
    assert response.status_code == 302
    assert ProcedureRecommendation.objects.get(procedure=procedure).text.startswith("Усилить")
    assert AuditEntry.objects.filter(model__icontains="recommendation").exists()
    rendered = rendering.render_procedure(procedure)
    text = " ".join(pdf_text(rendered.pdf, tmp_path).split())
    assert "Усилить работу с текстовыми задачами в 4 классах." in text
    assert "Статистика отметок по муниципалитетам" in text and "Выводы и рекомендации" in text
    assert rendered.figures["participants"] == 42


def test_the_archive_page_lists_and_exports_what_the_user_may_see(world, client_for):
    archived(world, world.mouo_a), archived(world, world.mouo_b)
    page = client_for("coordinator").get("/reports/").content.decode()
    assert world.mouo_a.short_name in page and world.mouo_b.short_name not in page
    export = client_for("coordinator").get("/reports/?export=csv")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert world.mouo_a.short_name in body and world.mouo_b.short_name not in body


@needs_node
def test_the_job_page_offers_the_pdf_when_done(world, client_for):
    from rsoko.jobs.models import Job

    stored_statistics(world)
    job = services.report_job_create(user=world.users["coordinator"], kind=ReportKind.QUARTERLY,
                                     organization=world.mouo_a, quarter=Q2)
    job = Job.objects.get(pk=job.pk)
    job.result, job.status = services.report_job(job, lambda *a: None), "done"
    job.save()
    page = client_for("coordinator").get(f"/jobs/{job.pk}/").content.decode()
    assert "Скачать PDF" in page and job.result["url"] in page
    assert client_for("coordinator").get(job.result["url"]).status_code == 200


def test_beat_orders_the_set_for_the_quarter_that_has_just_ended(world, settings):
    from freezegun import freeze_time

    from reports.tasks import quarterly_set
    from rsoko.jobs.models import Job

    assert settings.CELERY_BEAT_SCHEDULE["reports-quarterly-set"]["task"] == "reports.quarterly_set"
    with freeze_time("2026-10-02 03:30"):
        job = Job.objects.get(pk=quarterly_set())
    assert job.params == {"quarter": "2026Q3"} and job.handler == "reports.services.quarterly_set_job"


def test_a_quarterly_report_without_a_procedure_is_answered_as_the_schema_documents(world, client_for):
    # Found by the fuzz suite: a quarterly report's procedure is null, the schema promised a string.
    from tests.openapi_contract import assert_conforms

    report = archived(world, world.ministry_org)
    response = client_for("ministry").get(f"/api/v1/reports/{report.pk}/")
    assert response.json()["procedure"] is None
    assert_conforms(response, "/api/v1/reports/{id}/")


def test_the_quarter_is_chosen_by_its_name_not_typed(world, client_for):
    import re

    page = client_for("coordinator").get("/reports/quarterly/new/").content.decode()
    select = re.search(r'<select name="quarter"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the quarter is a select"
    options = re.findall(r'<option value="(\d{4}Q\d)"[^>]*>([^<]*)</option>', select.group(1))
    assert len(options) == 12 and all(title.endswith(" года") and "квартал" in title for _, title in options)
    response = client_for("coordinator").post("/reports/quarterly/new/",
                                              {"organization": world.mouo_a.pk, "quarter": "2099Q1"})
    assert "ещё не начался" in response.context["form"].errors["quarter"][0]
