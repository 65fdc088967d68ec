"""Cross-checking: teachers of school B check the works of school A; no pair repeats last year's."""
import pytest

from assessments.fieldwork import services
from assessments.fieldwork.models import Assignment, CampaignSchool
from tests.factories import SchoolFactory

from . import factories


def cross_campaign(cw, proc=None):
    return services.campaign_create(procedure=proc or cw.procedure, title="Перекрёстная проверка", kind="cross",
                                    actor=None, share_percent=50, min_works=2)


def test_cross_check_pairs_schools_and_assigns_teachers_of_the_partner_school(campaign_world):
    world = campaign_world.world
    campaign = cross_campaign(campaign_world)
    services.campaign_add_schools(campaign=campaign, school_ids=[world.school_a1.id, world.school_a2.id])
    pairing = services.campaign_pair_schools(campaign=campaign, within_municipality=True, seed=4)
    assert pairing == {world.school_a1.id: world.school_a2.id, world.school_a2.id: world.school_a1.id}
    a1_teacher = factories.ExpertFactory(full_name="Учитель А1", organization=world.school_a1)
    factories.ExpertFactory(full_name="Второй учитель А1", organization=world.school_a1)
    factories.ExpertFactory(full_name="Второй учитель А2", organization=world.school_a2)
    services.campaign_draw(campaign=campaign, seed=1)
    services.campaign_assign(campaign=campaign)
    for assignment in Assignment.objects.filter(work__campaign=campaign).select_related(
            "expert", "work__campaign_school"):
        assert assignment.expert.organization_id == assignment.work.campaign_school.checker_school_id
    assert Assignment.objects.filter(work__campaign_school__school=world.school_a2, expert=a1_teacher).exists()


def test_draw_waits_for_the_pairing(campaign_world):
    campaign = cross_campaign(campaign_world)
    services.campaign_add_schools(campaign=campaign, school_ids=[campaign_world.world.school_a1.id,
                                                                 campaign_world.world.school_a2.id])
    with pytest.raises(services.FieldworkError, match="составьте пары"):
        services.campaign_draw(campaign=campaign)


def test_no_pair_of_last_year_is_repeated(campaign_world):
    world = campaign_world.world
    extra = [SchoolFactory(municipality=world.mun_a, code=f"sch99100{i}", short_name=f"Школа А{i + 3}")
             for i in range(2)]
    last_year = factories.procedure(code="VPR-2024-MA-4", year=2024)
    this_year = factories.procedure(code="VPR-2025-MA-5", year=2025, grade=5)
    schools = [world.school_a1, world.school_a2, *extra]
    for proc in (last_year, this_year):
        for school in schools:
            factories.school_results(proc, school, [[1, 1, 1, 1, 1]], prefix=f"{proc.code}-{school.code}")
    old = cross_campaign(campaign_world, last_year)
    services.campaign_add_schools(campaign=old, school_ids=[s.id for s in schools])
    services.campaign_pair_schools(campaign=old, within_municipality=True, seed=1)
    old_pairs = {frozenset((m.school_id, m.checker_school_id)) for m in CampaignSchool.objects.filter(campaign=old)}
    for seed in range(6):
        new = cross_campaign(campaign_world, this_year)
        services.campaign_add_schools(campaign=new, school_ids=[s.id for s in schools])
        services.campaign_pair_schools(campaign=new, within_municipality=True, seed=seed)
        new_pairs = {frozenset((m.school_id, m.checker_school_id)) for m in CampaignSchool.objects.filter(campaign=new)}
        assert not new_pairs & old_pairs


def test_pairing_across_municipalities_with_a_single_municipality_is_explained(campaign_world):
    campaign = cross_campaign(campaign_world)
    services.campaign_add_schools(campaign=campaign, school_ids=[campaign_world.world.school_a1.id,
                                                                 campaign_world.world.school_a2.id])
    with pytest.raises(services.FieldworkError, match="Не удалось составить пары"):
        services.campaign_pair_schools(campaign=campaign, within_municipality=False, seed=1)
    assert not CampaignSchool.objects.filter(checker_school__isnull=False).exists()


def test_the_centre_plans_a_cross_check_through_the_pages(campaign_world, client_for):
    world = campaign_world.world
    client = client_for("centre")
    response = client.post("/fieldwork/campaigns/new/", {
        "procedure": campaign_world.procedure.pk, "kind": "cross", "title": "Перекрёстная проверка ВПР",
        "share_percent": 50, "min_works": 2, "task_threshold": 1, "total_threshold": 2, "experts_threshold": 2,
        "final_rule": "mean", "sign_threshold": 20})
    campaign_url = response["Location"]
    pk = int(campaign_url.rstrip("/").rsplit("/", 1)[1])
    client.post(f"/fieldwork/campaigns/{pk}/schools/", {"how": "manual",
                                                        "schools": [world.school_a1.pk, world.school_a2.pk]})
    page = client.get(campaign_url).content.decode()
    assert "Составить пары школ" in page and world.school_a2.code in page
    client.post(f"/fieldwork/campaigns/{pk}/pair/", {"mode": "within", "seed": 3})
    client.post(f"/fieldwork/campaigns/{pk}/draw/", {"seed": 5})
    members = CampaignSchool.objects.filter(campaign_id=pk)
    assert {m.checker_school_id for m in members} == {world.school_a1.id, world.school_a2.id}
    assert members.first().campaign.seed == 5 and members.first().campaign.works.count() == 6 + 3  # half of 12 and of 6
    page = client.get(campaign_url).content.decode()
    assert "Проверяет" in page and "Назначить экспертов" in page
