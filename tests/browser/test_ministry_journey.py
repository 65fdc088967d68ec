"""A ministry analyst reads the region's dashboard and the objectivity page, then downloads a quarterly PDF."""
import shutil
import subprocess

from playwright.sync_api import expect
import pytest

from tests.conftest import require_services
from tests.monitoring.factories import TODAY, build

from .pages import menu_link, stat, submit_and_wait_for_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUARTER = "2026Q2"  # the fixture's procedures have no dates: they count in the II quarter of 2026


@pytest.fixture
def region(world):
    """The monitoring fixture (procedures, signs, ШНОР, roadmaps of 2026) with the indicators computed."""
    from monitoring.services import indicators_refresh

    build(world)
    indicators_refresh("2026", today=TODAY)
    return world


def pdf_text(path) -> str | None:
    if not shutil.which("pdftotext"):
        if require_services():
            pytest.fail("pdftotext (poppler-utils) is missing")
        return None
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_ministry_analyst_reads_the_dashboard_and_the_signs_and_downloads_a_quarterly_report(sign_in, region,
                                                                                             tmp_path):
    page = sign_in("ministry")
    menu_link(page, "Панель мониторинга").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Панель мониторинга региона")
    # 5 of the 6 pupils with active results were present: 83,33 % (worked out in tests/monitoring/factories.py),
    # printed with one decimal like every value of the dashboard
    expect(stat(page, "Охват участием в оценочных процедурах")).to_contain_text("83,3 %")
    expect(page.locator("#main")).to_contain_text(region.mun_a.name)
    expect(page.locator("#main")).to_contain_text(region.mun_b.name)

    menu_link(page, "Признаки необъективности").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Признаки необъективности результатов")
    signs = page.locator("#main table")
    expect(signs).to_contain_text("Школа А1")  # flagged by the official mean criterion
    expect(signs).to_contain_text("Школа А2")  # flagged by the calibrated journal criterion

    menu_link(page, "Квартальный отчёт").click()
    page.get_by_label("Организация").select_option(label=region.ministry_org.short_name)
    page.get_by_label("Квартал").select_option(QUARTER)  # chosen by name («II квартал 2026 года»), not typed
    submit_and_wait_for_job(page, "Сформировать")
    expect(page.locator("[data-job-status]")).to_have_text("Готово")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    if text is not None:
        text = " ".join(text.split())
        assert f"Квартальный отчёт: {region.region.name}" in text
        assert "II квартал 2026 года" in text
