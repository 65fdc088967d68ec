"""Registry from ФИС ОКО's own forms: «Сбор контекстных данных об ОО», a plain login list; any login prefix;
one bad row reported and the rest loaded; another region's file refused unless confirmed; no duplicate
municipalities."""
from django.core.management import call_command
from django.core.management.base import CommandError
import pytest

from rsoko.orgs.models import Municipality, Organization, Region
from rsoko.orgs.services import RegistryImportError, registry_import_file
from tests.factories import MunicipalityFactory, RegionFactory, SchoolFactory

from .test_registry_import import xlsx

# The context form's columns, in the form's order (ФИС ОКО «Сбор контекстных данных об ОО»).
CONTEXT_HEADER = [
    "логин", "Код региона", "Регион", "Муниципалитет", "Название ОО", "Полное наименование ОО согласно Уставу",
    "Адрес ОО (фактический)", "ФИО директора (полностью)", "Телефон ОО",
    "Начальное общее образование", "Основное общее образование", "Среднее общее образование",
    "Где расположена Ваша образовательная организация?", "Количество обучающихся в ОО",
]


def context_row(login, name, municipality="reg22_m010 | Ельцовский муниципальный район", region="22",
                settlement="В сельской местности", levels=("Да", "Да", "Нет")):
    return [login, region, "Алтайский край", municipality, name, f"Муниципальное казённое общеобразовательное "
            f"учреждение «{name}»", "659470, с. Ельцовка, ул. Школьная, 1", "Иванова Мария Петровна", "8 (385) 932-11-22",
            *levels, settlement, "312"]


def context_file(*rows) -> bytes:
    return xlsx([["Сбор контекстных данных об ОО"], [], CONTEXT_HEADER, *rows], sheet="Лист1")


def test_the_context_form_creates_schools_with_their_context(db):
    data = context_file(context_row("sch220206", "МКОУ Ельцовская СОШ"),
                        context_row("ksh220301", "КГБОУ Ельцовская школа-интернат", settlement="В городе",
                                    levels=("1", "1", "1")))
    report = registry_import_file(actor=None, name="context.xlsx", data=data, source="тест")
    assert report.layout == "форма ФИС ОКО «Сбор контекстных данных об ОО»"
    assert sorted(report.organizations_created) == ["ksh220301", "sch220206"] and report.rows_skipped == []
    school = Organization.objects.get(code="sch220206")
    assert (school.short_name, school.settlement_type, school.level_noo, school.level_ooo, school.level_soo) == (
        "МКОУ Ельцовская СОШ", "rural", True, True, False)
    assert school.full_name.startswith("Муниципальное казённое") and school.head_name == "Иванова Мария Петровна"
    assert school.address.startswith("659470") and school.municipality.code == "reg22_m010"
    boarding = Organization.objects.get(code="ksh220301")
    assert boarding.settlement_type == "city" and boarding.level_soo and boarding.fisoko_number is None
    assert Region.objects.get().code == "22"


def test_one_bad_row_among_good_ones_is_reported_and_the_rest_load(db):
    good = [context_row(f"sch22{n:04d}", f"Школа № {n}") for n in range(1, 31)]
    bad = context_row("школа 5", "Без логина")
    data = context_file(*good[:10], bad, *good[10:])
    report = registry_import_file(actor=None, name="context.xlsx", data=data, source="тест")
    assert len(report.organizations_created) == 30
    assert report.rows_skipped == ["Лист «Лист1», строка 14, столбец «логин»: «школа 5» — не логин ФИС ОКО "
                                   "(логин ФИС ОКО — латинские буквы и цифры (sch123456, edu123456, ksh123456))."]


def test_an_unknown_settlement_answer_is_a_warning_not_a_refusal(db):
    data = context_file(context_row("sch220206", "Школа", settlement="Затрудняюсь ответить"))
    report = registry_import_file(actor=None, name="context.xlsx", data=data, source="тест")
    assert report.organizations_created == ["sch220206"]
    assert "«Затрудняюсь ответить» — тип поселения не распознан" in report.warnings[0]
    assert Organization.objects.get().settlement_type == ""


def test_a_context_row_of_a_school_not_in_the_registry_without_a_municipality_is_reported(db):
    region = RegionFactory(code="22", name="Алтайский край")
    SchoolFactory(code="sch220206", short_name="Старое имя", municipality=MunicipalityFactory(region=region, code="reg22_m010"))
    data = context_file(context_row("sch220206", "Новое имя", municipality=""),
                        context_row("sch220207", "Новая школа", municipality=""))
    report = registry_import_file(actor=None, name="context.xlsx", data=data, source="тест")
    assert report.organizations_updated == ["sch220206"]
    assert Organization.objects.get(code="sch220206").short_name == "Новое имя"
    assert report.rows_skipped == ["Лист «Лист1», строка 5: школы «sch220207» нет в реестре, а муниципалитет в строке "
                                   "не указан — не создана."]


LOGIN_HEADER = ["логин", "наименование", "район"]


def test_a_login_list_matches_municipalities_by_normalised_name(db):
    region = RegionFactory(code="22", name="Алтайский край")
    existing = MunicipalityFactory(region=region, code="reg22_m010", name="Ельцовский муниципальный район")
    rows = [LOGIN_HEADER, ["sch220206", "Ельцовская СОШ", "Ельцовский р-н"], ["ksh220301", "Школа-интернат", "Ельцовский район"],
            ["edu220400", "Гимназия", "Новый район"], ["edu220401", "Лицей", "новый  район"]]
    report = registry_import_file(actor=None, name="logins.xlsx", data=xlsx(rows, sheet="Логины"), source="тест")
    assert report.layout == "список логинов ФИС ОКО"
    assert Organization.objects.get(code="sch220206").municipality == existing
    assert Organization.objects.get(code="ksh220301").municipality == existing
    assert report.municipalities_created == ["reg22_n001"]
    assert Municipality.objects.count() == 2
    assert Organization.objects.get(code="edu220401").municipality.name == "Новый район"


def test_a_protocol_municipality_under_another_code_is_not_duplicated(db):
    region = RegionFactory(code="22", name="Алтайский край")
    existing = MunicipalityFactory(region=region, code="m-10", name="Ельцовский район")
    rows = [["Пользователь", "Код региона", "Регион", "Муниципалитет", "Школа"],
            ["edu223185", 22, "reg220000 | Алтайский край", "reg22_m010 | Ельцовский муниципальный район",
             "edu223185 | МКОУ Мартыновская СОШ"]]
    report = registry_import_file(actor=None, name="p.xlsx", data=xlsx(rows), source="тест")
    assert Municipality.objects.count() == 1
    assert Organization.objects.get().municipality == existing
    assert report.municipalities_matched == ["reg22_m010 → m-10 «Ельцовский район»"]


def test_another_regions_file_is_refused_with_a_clear_word_unless_confirmed(world):
    data = context_file(context_row("sch220206", "Школа"))
    with pytest.raises(RegistryImportError) as refused:
        registry_import_file(actor=None, name="context.xlsx", data=data, source="тест")
    assert refused.value.errors == [
        "Файл относится к другому региону: в нём код региона 22 «Алтайский край», а портал ведёт регион 99 «Тестовая "
        "область». Ничего не записано. Если файл нужен здесь намеренно, загрузите его ещё раз с подтверждением «файл "
        "другого региона» (в команде — параметр --other-region)."]
    assert not Organization.objects.filter(code="sch220206").exists()
    report = registry_import_file(actor=None, name="context.xlsx", data=data, source="тест", other_region=True)
    assert report.organizations_created == ["sch220206"]


def test_a_protocol_of_another_region_is_recognised_by_its_municipality_codes(world):
    rows = [["Муниципалитет", "Школа"], ["reg22_m010 | Ельцовский район", "edu223185 | МКОУ СОШ"]]
    with pytest.raises(RegistryImportError, match="код региона 22"):
        registry_import_file(actor=None, name="p.xlsx", data=xlsx(rows), source="тест")


def test_a_row_of_another_region_inside_the_file_is_left_out(db):
    data = context_file(context_row("sch220206", "Школа"), context_row("sch230001", "Чужая", region="23"))
    report = registry_import_file(actor=None, name="context.xlsx", data=data, source="тест")
    assert report.organizations_created == ["sch220206"]
    assert "код региона 23, а в первых строках файла — 22" in report.rows_skipped[0]


def test_the_command_refuses_another_region_and_takes_the_flag(world, tmp_path, capsys):
    path = tmp_path / "context.xlsx"
    path.write_bytes(context_file(context_row("sch220206", "Школа"), context_row("bad login", "Школа")))
    with pytest.raises(CommandError, match="другому региону"):
        call_command("import_registry", str(path))
    call_command("import_registry", str(path), "--other-region")
    out = capsys.readouterr().out
    assert "Строк с ошибками — 1" in out and "«bad login» — не логин ФИС ОКО" in out


def test_the_web_upload_passes_the_other_region_confirmation(world, client_for, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from rsoko.jobs.models import Job

    client = client_for("ministry")
    upload = SimpleUploadedFile("context.xlsx", context_file(context_row("sch220206", "Школа")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:registry_upload"), {"file": upload, "other_region": "on"})
    assert response.status_code == 302
    job = Job.objects.get(kind="registry_import")
    assert job.params["other_region"] is True and job.result["organizations_created"] == ["sch220206"]


def test_a_municipality_known_by_name_takes_the_fisoko_code_later(db):
    RegionFactory(code="22", name="Алтайский край")
    logins = [LOGIN_HEADER, ["sch220206", "Ельцовская СОШ", "Ельцовский район"]]
    registry_import_file(actor=None, name="logins.xlsx", data=xlsx(logins, sheet="Логины"), source="тест")
    assert Municipality.objects.get().code == "reg22_n001"
    data = context_file(context_row("sch220207", "Другая школа"))
    report = registry_import_file(actor=None, name="context.xlsx", data=data, source="тест")
    assert report.municipalities_updated == ["reg22_m010"] and Municipality.objects.count() == 1
    assert set(Municipality.objects.get().organizations.values_list("code", flat=True)) == {"sch220206", "sch220207"}
