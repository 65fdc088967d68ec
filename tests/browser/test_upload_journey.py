"""A municipal coordinator uploads a ФИС ОКО protocol through the page and follows the job to its result.

The real protocol from ../shared/data is used when it is there (always in CI); otherwise an equivalent file in
the same layout is built for the `world` schools. The job runs eagerly inside the live server (as the on-commit
hook fires there), so the job page opens on the finished job; `test_job_page_follows_a_running_job` covers the
page's polling of a job still in progress.
"""
from dataclasses import dataclass
from pathlib import Path
import re

from django.db import connections
from playwright.sync_api import expect
import pytest

from assessments.models import ParticipantResult, ResultVersion
from rsoko.jobs.models import Job, JobStatus
from rsoko.jobs.services import job_finish, job_progress
from tests.assessments.factories import procedure_with_tasks, xlsx_bytes
from tests.conftest import require_services
from tests.factories import SchoolFactory

from .pages import menu_link, stat, submit_and_wait_for_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REAL_PROTOCOL = ROOT.parent / "shared" / "data" / "fisoko_protocol_vpr2022_bio11.xlsx"
PROTOCOL_HEAD = ["Пользователь", "Код региона", "Регион", "Муниципалитет", "Школа", "Дата загрузки", "Код", "Вариант",
                 "1(1) (1б)", "1(2) (1б)", "2 (2б)", "3 (3б)", "Наименование класса", "Пол",
                 "Отметка за предыдущий триместр/ четверть/полугодие", "Итого баллов"]


@dataclass
class Upload:
    path: Path
    procedure_label: str
    rows: int
    absent: int
    schools: int


def protocol_schools(path: Path) -> dict[str, str]:
    """School login → name, from the protocol's «Пользователь» and «Школа» («код | наименование») columns."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Протокол").to_python()[1:]
    return {row[0]: row[4].split("|", 1)[1].strip() for row in rows}


def built_protocol(world) -> bytes:
    """12 pupils of Школа А1 and 9 of Школа А2 (2 absent), in the ФИС ОКО protocol layout."""
    rows = [PROTOCOL_HEAD]
    for school, pupils, absent in ((world.school_a1, 12, 0), (world.school_a2, 9, 2)):
        place = ["99", "reg990000 | Тестовая область", f"reg99_m001 | {school.municipality.name}",
                 f"{school.code} | {school.short_name}", "04.03.2022 09:28:45"]
        for n in range(pupils):
            code = str(1001 + n)
            if n < absent:
                rows.append([school.code, *place, code, "отсутствовал"] + [""] * 8)
                continue
            scores = [n % 2, (n + 1) % 2, n % 3, n % 4]
            rows.append([school.code, *place, code, str(1 + n % 2), *map(str, scores), "А", "мж"[n % 2],
                         str(3 + n % 3), sum(scores)])
    return xlsx_bytes(rows, title="Протокол")


@pytest.fixture
def upload(world, tmp_path) -> Upload:
    """The file, its procedure (its tasks come from the protocol's header) and the schools of the file in the
    coordinator's municipality, as the registry would have them."""
    procedure = procedure_with_tasks("VPR-2022-BI-11", maxima=(), subject="BI", grade=11, year=2022)
    if REAL_PROTOCOL.exists():
        for code, name in protocol_schools(REAL_PROTOCOL).items():
            SchoolFactory(municipality=world.mun_a, code=code, short_name=name)
        return Upload(REAL_PROTOCOL, str(procedure), rows=1884, absent=169, schools=164)
    if require_services():
        pytest.fail(f"CI must upload the real ФИС ОКО protocol: {REAL_PROTOCOL} is missing")
    path = tmp_path / "protocol_bio11.xlsx"
    path.write_bytes(built_protocol(world))
    return Upload(path, str(procedure), rows=21, absent=2, schools=2)


def test_a_coordinator_uploads_a_protocol_and_follows_the_job_to_its_result(sign_in, upload):
    page = sign_in("coordinator")
    menu_link(page, "Загрузка результатов").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Загрузка результатов")
    page.get_by_label("Процедура").select_option(label=upload.procedure_label)
    page.get_by_label("Файл результатов").set_input_files(upload.path)
    page.get_by_label("Режим").select_option(label="Строгий")
    submit_and_wait_for_job(page, "Загрузить и проверить")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Загрузка результатов VPR-2022-BI-11")
    expect(page.locator("[data-job-status]")).to_have_text("Готово")
    expect(page.locator("[data-job-stage]")).to_have_text("")  # the badge alone says «Готово»
    expect(page.locator("[data-job-percent]")).to_have_text("100")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(stat(page, "строк в файле")).to_have_text(str(upload.rows))
    expect(stat(page, "сохранено участников")).to_have_text(str(upload.rows))
    expect(stat(page, "из них отсутствовали")).to_have_text(str(upload.absent))
    expect(stat(page, "строк в карантине")).to_have_text("0")
    expect(stat(page, "ошибок в строках")).to_have_text("0")
    expect(page.locator(".alert-success")).to_contain_text(f"школ: {upload.schools}; в карантине: 0")

    job = Job.objects.get(kind="results_import")
    assert job.status == JobStatus.DONE, job.error
    assert ParticipantResult.objects.count() == upload.rows
    assert ResultVersion.objects.filter(is_active=True).count() == upload.schools
    # the import's own on-commit hook ran too: the analytics were recomputed by a second job
    assert Job.objects.exclude(pk=job.pk).get().status == JobStatus.DONE

    page.get_by_role("link", name="Итоги загрузки по школам, версии и карантин").click()
    expect(page).to_have_url(re.compile(rf"/results/batches/{job.result['batch_id']}/$"))
    expect(stat(page, "сохранено участников")).to_have_text(str(upload.rows))


def test_job_page_follows_a_running_job_to_its_result(sign_in, world):
    """Each status poll of the page lets the "worker" (this test) take the next step: the page must show every
    stage and percent as they come, then reload once to show the result."""
    job = Job.objects.create(kind="registry_import", title="Загрузка реестра: реестр.xlsx", handler="unused",
                             created_by=world.user("coordinator"), organization=world.mouo_a, status=JobStatus.RUNNING)
    steps = [lambda: job_progress(job.pk, "Проверка строк", 25), lambda: job_progress(job.pk, "Запись", 70),
             lambda: job_finish(job, result={"summary": "Реестр загружен: создано организаций — 3.",
                                             "organizations_created": ["sch1", "sch2", "sch3"]})]

    def next_step(route):
        if steps:
            steps.pop(0)()
            # Playwright runs this handler in a greenlet of its own, and Django keys connections by context: the
            # step opened a connection of its own, which would outlive the test and block dropping the test database.
            connections.close_all()
        route.continue_()

    page = sign_in("coordinator")
    page.route(re.compile(rf"/jobs/{job.pk}/status/?$"), next_step)
    page.goto(f"/jobs/{job.pk}/")
    expect(page.locator("[data-job-status]")).to_have_text("Выполняется")
    expect(page.locator("[data-job-stage]")).to_have_text("Проверка строк")
    expect(page.locator("[data-job-percent]")).to_have_text("25")
    expect(page.locator("[data-job-stage]")).to_have_text("Запись")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "70")
    expect(page.locator(".alert-success")).to_have_text("Реестр загружен: создано организаций — 3.")
    expect(page.locator("[data-job-status]")).to_have_text("Готово")
    expect(page.locator("[data-job-percent]")).to_have_text("100")
    expect(page.locator("[data-job-result]")).to_contain_text("sch1")
