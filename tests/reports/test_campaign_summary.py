"""The re-check campaign's PDF summary: Russian text, embedded fonts, the campaign page's figures, scoping."""
import re

import pytest
from django.core.management import CommandError, call_command

from assessments.fieldwork import services as fieldwork
from reports import campaigns, rendering, services
from reports.models import ReportArchive, ReportKind
from rsoko.orgs.choices import Role
from rsoko.orgs.models import Membership
from tests.fieldwork.conftest import campaign_world  # noqa: F401 — the fixture, shared with the fieldwork tests
from tests.fieldwork.test_campaign_flow import drawn_campaign, submit_all

from .conftest import needs_node, needs_poppler, pdf_fonts, pdf_raster_images, pdf_text

pytestmark = [needs_node, needs_poppler]


@pytest.fixture
def checked(campaign_world):  # noqa: F811
    """A finished campaign: Школа А1 inflated its scores, Школа Б1 honest; one work of Б1 needed a third expert."""
    world = campaign_world.world
    campaign = drawn_campaign(campaign_world)
    fieldwork.campaign_assign(campaign=campaign)
    disputed = campaign.works.filter(campaign_school__school=world.school_b1).order_by("participant_code").first()
    submit_all(campaign, world.school_a1.id, disagree_on=disputed.pk)
    return campaign


def plain(text: str) -> str:
    """Text to compare: words hyphenated at a line end joined again (WeasyPrint hyphenates with U+2010), plain
    spaces, a hyphen for the minus, «12 %» and «12%» alike (pdftotext may drop the no-break space before the sign)."""
    text = re.sub(r"\u2010\n\s*", "", text)
    text = text.replace("\u202f", " ").replace("\u00a0", " ").replace("−", "-")
    return re.sub(r"\s+%", "%", " ".join(text.split()))


def page_row(page: str, school_code: str) -> list[str]:
    """The numeric cells of the school's row on the campaign page: drawn, checked, changed share, mean shift."""
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if school_code in r)
    return [plain(cell) for cell in re.findall(r'<td class="num">(.*?)</td>', row)]


def test_the_summary_prints_the_campaign_pages_figures_in_russian(checked, campaign_world, client_for, tmp_path):
    world = campaign_world.world
    page = client_for("ministry").get(f"/fieldwork/campaigns/{checked.pk}/").content.decode()
    rendered = rendering.render_campaign(checked, world.ministry_org)
    raw = pdf_text(rendered.pdf, tmp_path)
    lines = [plain(line) for line in raw.splitlines()]
    text = " ".join(lines)
    assert "Перепроверка ВПР" in text and "Параметры кампании" in text and "Расхождения и третья проверка" in text
    assert re.search(r"Страница 1 из \d+", text)
    for school in (world.school_a1, world.school_b1):
        drawn, checked_count, changed, shift = page_row(page, school.code)
        printed = next(line for line in lines if school.code in line and f"{checked_count} из {drawn}" in line)
        assert f" {changed} " in f" {printed} " and f" {shift} " in f" {printed} ", (printed, changed, shift)
    # The inflated school: every re-checked work lost 3 points; how many marks that changes depends on which works
    # the draw picked (ids, hence the draw, differ between databases and test orders), but it is most of them.
    changed, shift = page_row(page, world.school_a1.code)[2:4]
    assert shift == "3,0" and int(changed.rstrip("%")) >= 50
    assert "признаки необъективности, требующие дополнительного анализа" in text
    assert "средний сдвиг балла школы относительно экспертов +3,0" in plain(raw)  # the sign's explanation
    assert "выявлены у 1 ОО из 2 оценённых" in text
    assert rendered.figures["schools"][world.school_a1.code]["flagged"] is True
    assert rendered.figures["schools"][world.school_b1.code]["flagged"] is False


def test_every_font_is_embedded_and_the_chart_is_vector(checked, campaign_world, tmp_path):
    rendered = rendering.render_campaign(checked, campaign_world.world.ministry_org)
    fonts = pdf_fonts(rendered.pdf, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts
    assert pdf_raster_images(rendered.pdf, tmp_path) == 0
    assert "Доля проверенных работ с изменённой отметкой" in pdf_text(rendered.pdf, tmp_path)


def test_the_region_names_the_experts_a_municipality_only_counts_them(checked, campaign_world, tmp_path):
    world = campaign_world.world
    checkers = {a.expert.full_name for work in checked.works.all() for a in work.assignments.all()}
    region = plain(pdf_text(rendering.render_campaign(checked, world.ministry_org).pdf, tmp_path))
    municipal = plain(pdf_text(rendering.render_campaign(checked, world.mouo_a).pdf, tmp_path))
    assert all(name in region for name in checkers)
    assert not any(name in municipal for name in checkers)
    assert "Экспертов, проверявших работы этих ОО:" in municipal
    assert world.school_a1.code in municipal and world.school_b1.code not in municipal  # another municipality's


def test_the_third_check_and_the_discrepancies_are_listed(checked, campaign_world, tmp_path):
    world = campaign_world.world
    text = plain(pdf_text(rendering.render_campaign(checked, world.ministry_org).pdf, tmp_path))
    third = checked.works.get(third_called=True)
    discrepant = checked.works.filter(discrepant=True).count()
    assert re.search(rf"{third.participant_code} .*проведена", text)
    assert f"Работ с расхождением выше порога: {discrepant} из 11 проверенных" in text
    assert "Работ, по которым назначалась третья проверка: 1" in text


def test_who_may_order_which_summary(checked, campaign_world):
    world = campaign_world.world
    assert campaigns.organizations_for(world.user("methodologist"), checked) == [world.ministry_org]
    assert campaigns.organizations_for(world.user("coordinator"), checked) == [world.mouo_a]
    assert campaigns.organizations_for(world.user("school_head"), checked) == [world.school_a1]
    assert campaigns.organizations_for(world.user("expert"), checked) == []


def test_the_campaign_page_orders_the_summary_and_then_offers_it(checked, campaign_world, client_for,
                                                                 django_capture_on_commit_callbacks):
    world = campaign_world.world
    client = client_for("coordinator")
    assert "Сводка в PDF" in client.get(f"/fieldwork/campaigns/{checked.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/campaigns/{checked.pk}/render/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    report = ReportArchive.objects.get(kind=ReportKind.CAMPAIGN, campaign=checked)
    assert report.organization == world.mouo_a and report.parameters["campaign"] == checked.pk
    page = client.get(f"/fieldwork/campaigns/{checked.pk}/").content.decode()
    assert f"/reports/archive/{report.pk}/download/" in page and "Скачать сводку (версия 1)" in page
    assert client.get(f"/reports/archive/{report.pk}/download/").status_code == 200
    # The school head sees the campaign page too, but not the municipality's summary.
    head_page = client_for("school_head").get(f"/fieldwork/campaigns/{checked.pk}/").content.decode()
    assert "Сводка в PDF" in head_page and f"/reports/archive/{report.pk}/" not in head_page
    refused = client_for("coordinator").post(f"/reports/campaigns/{checked.pk}/render/",
                                            {"organization": world.ministry_org.pk})
    assert refused.status_code == 404


def test_a_former_coordinator_who_is_now_only_an_expert_gets_no_summary(checked, campaign_world, client_for):
    world = campaign_world.world
    report = services.campaign_render(campaign=checked, organization=world.mouo_a, user=world.user("coordinator"))
    url = f"/reports/archive/{report.pk}/download/"
    assert client_for("coordinator").get(url).status_code == 200
    Membership.objects.filter(user=world.user("coordinator")).update(role=Role.EXPERT)
    assert client_for("coordinator").get(url).status_code == 403
    assert client_for("coordinator").post(f"/reports/campaigns/{checked.pk}/render/").status_code == 403


def test_rendering_again_adds_a_version_per_campaign_and_organization(checked, campaign_world):
    world = campaign_world.world
    first = services.campaign_render(campaign=checked, organization=world.ministry_org)
    second = services.campaign_render(campaign=checked, organization=world.ministry_org)
    other = services.campaign_render(campaign=checked, organization=world.mouo_a)
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.title.startswith("Сводка перепроверки работ: Перепроверка ВПР")


def test_the_command_writes_the_summary_and_refuses_an_unknown_campaign(checked, campaign_world, tmp_path):
    out = tmp_path / "c.pdf"
    call_command("render_report", "campaign", "--campaign", str(checked.pk), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    call_command("render_report", "campaign", "--campaign", str(checked.pk), "--org", campaign_world.world.mouo_a.code,
                 "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="не найдена"):
        call_command("render_report", "campaign", "--campaign", "999999", "--out", str(out))
