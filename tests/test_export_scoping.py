"""Each page's export has the rows the page shows to that user: scoped by role and filtered, not paginated."""
from datetime import date, datetime, timezone as dt_timezone
import io

from openpyxl import load_workbook

from rsoko.audit.models import AuditEntry


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def column(rows: list[list], title: str) -> list:
    index = rows[0].index(title)
    return [row[index] for row in rows[1:] if row[index] is not None]


# ---- КИМ bank ------------------------------------------------------------------------------------------------

def test_the_bank_export_leaves_out_drafts_for_the_centre(world, client_for):
    from tests.kimbank.factories import bank

    bank(world)
    assert sorted(column(xlsx_rows(client_for("methodologist").get("/kim/?export=xlsx")), "Вариант")) == ["1", "2"]
    assert column(xlsx_rows(client_for("centre").get("/kim/?export=xlsx")), "Вариант") == ["1"]
    assert column(xlsx_rows(client_for("methodologist").get("/kim/?status=draft&export=xlsx")), "Вариант") == ["2"]


def test_the_download_log_exports_every_download(world, client_for):
    from assessments.kimbank.models import DownloadLog
    from tests.kimbank.factories import bank

    objects = bank(world)
    DownloadLog.objects.create(use=objects["use"], file=objects["file"], user=world.user("school_head"),
                               school=world.school_a1, address="10.0.0.7")
    rows = xlsx_rows(client_for("ministry").get("/kim/downloads/?export=xlsx"))
    assert column(rows, "Школа") == [world.school_a1.short_name] and column(rows, "Адрес") == ["10.0.0.7"]


# ---- roadmaps ------------------------------------------------------------------------------------------------

def test_a_coordinator_exports_only_its_own_items_and_roadmaps(world, client_for):
    from tests.roadmaps.factories import roadmap_world

    rm = roadmap_world(world)
    client = client_for("coordinator")
    items = xlsx_rows(client.get("/roadmaps/my/?export=xlsx"))
    assert set(column(items, "Исполнитель")) == {world.mouo_a.short_name}
    owners = set(column(xlsx_rows(client.get("/roadmaps/?export=xlsx")), "Владелец"))
    assert world.mouo_a.short_name in owners and world.mouo_b.short_name not in owners
    matrix = xlsx_rows(client.get(f"/roadmaps/rounds/{rm.round.pk}/?export=xlsx"))
    assert len(matrix[0]) == 3  # №, the measure and the coordinator's own office: no other municipality
    everyone = xlsx_rows(client_for("ministry").get(f"/roadmaps/rounds/{rm.round.pk}/?export=xlsx"))
    assert len(everyone[0]) > len(matrix[0])


def test_the_aliases_export_lists_every_alias(world, client_for):
    from roadmaps.models import ExecutorAlias

    rows = xlsx_rows(client_for("ministry").get("/roadmaps/aliases/?export=xlsx"))
    assert sorted(column(rows, "Как пишут")) == sorted(ExecutorAlias.objects.values_list("phrase", flat=True))


# ---- registry ------------------------------------------------------------------------------------------------

def test_the_municipality_card_exports_its_schools(world, client_for):
    rows = xlsx_rows(client_for("coordinator").get(f"/registry/municipalities/{world.mun_a.code}/?export=xlsx"))
    assert column(rows, "Код") == ["sch990001", "sch990002"]
    assert client_for("coordinator").get(f"/registry/municipalities/{world.mun_b.code}/?export=xlsx").status_code == 404


def test_the_user_list_exports_logins_and_roles_never_passwords(world, client_for):
    rows = xlsx_rows(client_for("ministry").get("/registry/users/?q=coord&export=xlsx"))
    assert column(rows, "Логин") == ["coordinator"]
    assert column(rows, "Роли") == [f"Муниципальный координатор — {world.mouo_a.short_name}"]
    assert not any("pbkdf2" in str(value) for row in rows for value in row)


# ---- catalog -------------------------------------------------------------------------------------------------

def test_participants_and_schedule_exports_follow_the_scope(world, client_for):
    from tests.kimbank.factories import make_procedure

    procedure = make_procedure("RPR-2026-MA-6", schools=[world.school_a1, world.school_b1], day=date(2026, 4, 15))
    coordinator = client_for("coordinator")  # one test client: each client_for() signs it in as another persona
    rows = xlsx_rows(coordinator.get(f"/procedures/{procedure.code}/schools/?export=xlsx"))
    assert column(rows, "Код") == [world.school_a1.code]
    schedule = xlsx_rows(coordinator.get("/procedures/schedule/?year=2026&export=xlsx"))
    line = next(row for row in schedule if row[3] == procedure.code)
    assert line[1] == datetime(2026, 4, 15)  # a date cell, not text
    by_municipality = xlsx_rows(coordinator.get(f"/procedures/{procedure.code}/?table=participation&export=xlsx"))
    assert column(by_municipality, "Муниципалитет") == [world.mun_a.name]
    everyone = xlsx_rows(client_for("centre").get(f"/procedures/{procedure.code}/schools/?export=xlsx"))
    assert sorted(column(everyone, "Код")) == sorted([world.school_a1.code, world.school_b1.code])


def test_an_unknown_table_of_a_page_is_not_found(world, client_for):
    from tests.kimbank.factories import make_procedure

    procedure = make_procedure("RPR-2026-MA-6", schools=[world.school_a1])
    assert client_for("centre").get(f"/procedures/{procedure.code}/?table=nothing&export=xlsx").status_code == 404


# ---- results ---------------------------------------------------------------------------------------------------

def test_the_batch_and_version_exports_show_only_the_coordinators_schools(world, client_for):
    from assessments.services import results_import
    from tests.assessments.factories import export_rows, procedure_with_tasks, xlsx_bytes

    procedure = procedure_with_tasks()
    rows = export_rows(world.school_a1.code, [("5", ["1", "1", "2", "2"], "4", "м", "а")])
    rows += export_rows(world.school_b1.code, [("6", ["1", "1", "2", "2"], "4", "м", "а")])[1:]
    rows += export_rows(world.school_b1.code, [("7", ["1", "9", "2", "2"], "4", "м", "а")])[1:]  # quarantined
    report = results_import(actor=world.user("centre"), procedure=procedure, filename="e.xlsx", data=xlsx_bytes(rows))
    coordinator = client_for("coordinator")
    schools = xlsx_rows(coordinator.get(f"/results/batches/{report.batch_id}/?export=xlsx"))
    assert column(schools, "Код ОО") == [world.school_a1.code]
    assert len(xlsx_rows(coordinator.get(f"/results/batches/{report.batch_id}/?table=quarantine&export=xlsx"))) == 1
    versions = xlsx_rows(coordinator.get(f"/results/versions/{procedure.code}/{world.school_a1.code}/?export=xlsx"))
    assert column(versions, "Версия") == [1] and column(versions, "Что изменилось") == ["первая загрузка"]
    assert coordinator.get(f"/results/versions/{procedure.code}/{world.school_b1.code}/?export=xlsx").status_code == 404
    quarantine = xlsx_rows(client_for("centre").get(f"/results/batches/{report.batch_id}/?table=quarantine&export=xlsx"))
    assert column(quarantine, "Код участника") == ["7"]
    assert AuditEntry.objects.filter(action="export", model="export").exists()  # participant codes: logged


# ---- fieldwork -------------------------------------------------------------------------------------------------

def test_fieldwork_exports_follow_the_scope(world, client_for):
    from tests.fieldwork.matrix_objects import objects

    o = objects(world)
    coordinator = client_for("coordinator")
    observers = xlsx_rows(coordinator.get("/fieldwork/observers/?export=xlsx"))
    assert column(observers, "ОО") == [world.school_a1.short_name]
    campaigns = xlsx_rows(coordinator.get("/fieldwork/campaigns/?export=xlsx"))
    assert column(campaigns, "Кампания") == [o.campaign.title]  # the campaign of school Б1 only is not theirs
    sample = xlsx_rows(coordinator.get(f"/fieldwork/controlled/{o.procedure.pk}/?export=xlsx"))
    assert all(code != world.school_b1.code for code in column(sample, "Код ОО"))
    results = xlsx_rows(coordinator.get(f"/fieldwork/campaigns/{o.campaign.pk}/?export=xlsx"))
    assert column(results, "Код ОО") == [world.school_a1.code]
    assert len(xlsx_rows(client_for("centre").get("/fieldwork/observers/?export=xlsx"))) == 3


def test_the_works_export_carries_codes_and_is_logged(world, client_for):
    from tests.fieldwork.matrix_objects import objects

    o = objects(world)
    rows = xlsx_rows(client_for("centre").get(f"/fieldwork/campaigns/{o.campaign.pk}/works/?export=xlsx"))
    assert sorted(column(rows, "Код участника")) == sorted(o.campaign.works.values_list("participant_code", flat=True))
    assert AuditEntry.objects.filter(action="export", model="export", object_id=f"raboty-{o.campaign.pk}").exists()


# ---- monitoring ------------------------------------------------------------------------------------------------

def test_a_school_exports_only_the_forms_it_fills(world, client_for):
    from tests.monitoring.permission_cases import monitoring_form

    monitoring_form(world, "both"), monitoring_form(world, "mouo")
    assert column(xlsx_rows(client_for("school_head").get("/monitoring/forms/?export=xlsx")), "Форма") == ["Форма both"]
    assert sorted(column(xlsx_rows(client_for("ministry").get("/monitoring/forms/?export=xlsx")), "Форма")) == \
        ["Форма both", "Форма mouo"]


# ---- time and numbers ------------------------------------------------------------------------------------------

def test_moments_are_written_in_the_regions_time(db, django_user_model):
    from rsoko.exports import Column, Table, xlsx_chunks

    moment = datetime(2026, 3, 1, 9, 0, tzinfo=dt_timezone.utc)  # 12:00 in Moscow (the settings' zone)
    table = Table("t", [Column("at", "Когда", "date"), Column("n", "Число", "int")], [{"at": moment, "n": -5}])
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_chunks(table)))).active
    assert sheet["A2"].value == datetime(2026, 3, 1, 12, 0)
    assert sheet["B2"].value == -5  # a real number stays a number cell: only strings are neutralised
