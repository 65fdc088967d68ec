"""A re-check campaign end to end: selection, reproducible draw, assignment without conflicts, two experts,
a third on disagreement, per-school results and the re-check sign."""
import datetime

import pytest

from assessments.fieldwork import selectors, services
from assessments.fieldwork.choices import CampaignStatus, SelectionReason
from assessments.fieldwork.models import Assignment, Work

from .conftest import true_scores


def new_campaign(cw, **settings):
    settings = {"share_percent": 50, "min_works": 5, "check_date": datetime.date(2025, 4, 20), **settings}
    return services.campaign_create(procedure=cw.procedure, title="Перепроверка ВПР", actor=cw.world.user("centre"),
                                    **settings)


def drawn_campaign(cw, seed=12345, **settings):
    campaign = new_campaign(cw, **settings)
    services.campaign_add_schools(campaign=campaign, school_ids=[cw.world.school_a1.id, cw.world.school_b1.id])
    services.campaign_draw(campaign=campaign, seed=seed)
    return campaign


def drawn_codes(campaign) -> dict:
    codes = {}
    for work in Work.objects.filter(campaign=campaign).select_related("campaign_school"):
        codes.setdefault(work.campaign_school.school_id, set()).add(work.participant_code)
    return codes


def test_draw_takes_the_share_of_each_school_and_records_the_seed(campaign_world):
    campaign = drawn_campaign(campaign_world, seed=777)
    campaign.refresh_from_db()
    codes = drawn_codes(campaign)
    assert campaign.seed == 777 and campaign.status == CampaignStatus.DRAWN
    assert len(codes[campaign_world.world.school_a1.id]) == 6  # 50 % of 12
    assert len(codes[campaign_world.world.school_b1.id]) == 5  # 50 % of 10


def test_same_seed_draws_the_same_works_and_another_seed_other_works(campaign_world):
    first = drawn_codes(drawn_campaign(campaign_world, seed=2025))
    again = drawn_codes(drawn_campaign(campaign_world, seed=2025))
    other = drawn_codes(drawn_campaign(campaign_world, seed=2026))
    assert first == again
    assert first != other


def test_draw_without_seed_records_a_generated_one(campaign_world):
    campaign = new_campaign(campaign_world)
    services.campaign_add_schools(campaign=campaign, school_ids=[campaign_world.world.school_a1.id])
    services.campaign_draw(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.seed is not None


def test_minimum_works_is_drawn_even_when_the_share_is_smaller(campaign_world):
    campaign = new_campaign(campaign_world, share_percent=10, min_works=5)
    services.campaign_add_schools(campaign=campaign, school_ids=[campaign_world.world.school_a1.id])
    assert services.campaign_draw(campaign=campaign, seed=1) == 5


def test_schools_outside_the_procedure_are_refused(campaign_world):
    campaign = new_campaign(campaign_world)
    with pytest.raises(services.FieldworkError, match="не участвуют"):
        services.campaign_add_schools(campaign=campaign, school_ids=[campaign_world.school_c1.id])
    assert not campaign.schools.exists()


def test_schools_from_objectivity_signs_keep_their_reason(campaign_world):
    campaign = new_campaign(campaign_world)
    services.campaign_add_schools_with_signs(campaign=campaign, school_ids=[campaign_world.world.school_a1.id])
    assert campaign.schools.get().reason == SelectionReason.SIGNS


def test_random_school_sample_is_reproducible(campaign_world):
    first = services.campaign_add_random_schools(campaign=new_campaign(campaign_world), size=2, seed=5)
    second = services.campaign_add_random_schools(campaign=new_campaign(campaign_world), size=2, seed=5)
    assert first == second and len(first) == 2


def test_school_list_is_frozen_after_the_draw(campaign_world):
    campaign = drawn_campaign(campaign_world)
    with pytest.raises(services.FieldworkError, match="уже отобраны"):
        services.campaign_add_schools(campaign=campaign, school_ids=[campaign_world.world.school_a2.id])


def test_assignment_gives_two_experts_never_connected_to_the_school(campaign_world):
    campaign = drawn_campaign(campaign_world)
    services.campaign_assign(campaign=campaign)
    experts = campaign_world.experts
    assignments = list(Assignment.objects.filter(work__campaign=campaign)
                       .select_related("expert__organization", "work__campaign_school__school"))
    assert len(assignments) == 2 * campaign.works.count()
    for assignment in assignments:
        school, own = assignment.work.campaign_school.school, assignment.expert.organization
        assert own.id != school.id
        assert own.municipality_id != school.municipality_id or own.municipality_id is None
        assert assignment.expert_id not in {experts["conflicted"].id, experts["away"].id, experts["russian"].id}
    for work in campaign.works.all():
        assert work.assignments.values("expert").distinct().count() == 2
    loads = {}
    for assignment in assignments:
        loads[assignment.expert_id] = loads.get(assignment.expert_id, 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 2  # the load is spread, not piled on two experts


def test_assignment_refuses_when_the_bank_is_too_small(campaign_world):
    for key in ("b1_teacher", "c1_teacher", "c1_teacher2", "iro_1", "iro_2"):
        campaign_world.experts[key].delete()
    campaign = drawn_campaign(campaign_world)
    with pytest.raises(services.FieldworkError, match="не хватает экспертов"):
        services.campaign_assign(campaign=campaign)
    assert not Assignment.objects.exists()


def submit_all(campaign, inflated_school_id, *, disagree_on=None):
    """Every pending assignment gets the true scores; the second expert on `disagree_on` differs by 2 on task 1."""
    while True:
        pending = list(Assignment.objects.filter(work__campaign=campaign, scores__isnull=True)
                       .select_related("work__campaign_school").order_by("work_id", "order"))
        if not pending:
            return
        for assignment in pending:
            work = assignment.work
            scores = true_scores(work.school_scores, work.campaign_school.school_id == inflated_school_id)
            if work.pk == disagree_on and assignment.order == 2:
                # two points apart on task 1 (max 4), whatever the drawn work's scores are
                scores[0] = scores[0] - 2 if scores[0] >= 2 else scores[0] + 2
            services.assignment_submit(assignment=assignment, scores=scores)


def test_campaign_runs_end_to_end_and_flags_the_inflated_school_only(campaign_world):
    world = campaign_world.world
    campaign = drawn_campaign(campaign_world)
    services.campaign_assign(campaign=campaign)
    disputed = campaign.works.filter(campaign_school__school=world.school_b1).order_by("participant_code").first()
    submit_all(campaign, world.school_a1.id, disagree_on=disputed.pk)

    disputed.refresh_from_db()
    assert disputed.third_called and disputed.assignments.count() == 3
    assert disputed.final_scores == [float(s) for s in disputed.school_scores]  # the two agreeing checks win
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE
    assert campaign.works.filter(third_called=True).count() == 1

    results = {r["member"].school_id: r for r in selectors.campaign_results(world.user("centre"), campaign)}
    inflated, honest = results[world.school_a1.id], results[world.school_b1.id]
    assert inflated["mean_shift"] == 3.0 and inflated["direction"] == "у школы выше"
    assert inflated["changed_share"] >= 20 and inflated["discrepant"] == inflated["checked"] == 6
    assert inflated["sign"]["flagged"] and inflated["sign"]["criterion"] == "recheck_disagreement"
    assert "требующие дополнительного анализа" in inflated["sign"]["explanation"]
    assert honest["mean_shift"] == 0 and honest["changed_share"] == 0 and honest["direction"] == "совпадает"
    assert honest["sign"]["evaluated"] and not honest["sign"]["flagged"]

    signs = selectors.recheck_signs(campaign_world.procedure).set_index("school_id")
    assert bool(signs.loc[world.school_a1.id, "flagged"]) and not bool(signs.loc[world.school_b1.id, "flagged"])


def test_third_expert_decides_under_the_third_rule(campaign_world):
    world = campaign_world.world
    campaign = drawn_campaign(campaign_world, final_rule="third")
    services.campaign_assign(campaign=campaign)
    work = campaign.works.filter(campaign_school__school=world.school_b1).first()
    first, second = work.assignments.order_by("order")
    services.assignment_submit(assignment=first, scores=work.school_scores)
    services.assignment_submit(assignment=second, scores=[0, 0, 0, 0, 0])
    work.refresh_from_db()
    assert work.third_called and not work.is_final
    third = work.assignments.get(order=3)
    assert third.expert_id not in {first.expert_id, second.expert_id}
    services.assignment_submit(assignment=third, scores=[1, 1, 1, 1, 1])
    work.refresh_from_db()
    assert work.final_scores == [1.0] * 5 and work.final_mark == 2


def test_close_experts_settle_with_their_mean(campaign_world):
    campaign = drawn_campaign(campaign_world)
    services.campaign_assign(campaign=campaign)
    work = campaign.works.first()
    first, second = work.assignments.order_by("order")
    services.assignment_submit(assignment=first, scores=[2, 2, 2, 2, 2])
    services.assignment_submit(assignment=second, scores=[3, 2, 2, 2, 2])
    work.refresh_from_db()
    assert not work.third_called and work.final_primary == 10.5 and work.final_mark == 4


def test_scores_above_the_task_maximum_are_refused(campaign_world):
    campaign = drawn_campaign(campaign_world)
    services.campaign_assign(campaign=campaign)
    assignment = Assignment.objects.filter(work__campaign=campaign).first()
    with pytest.raises(services.FieldworkError, match="Задание 2: 5 больше максимального балла 4"):
        services.assignment_submit(assignment=assignment, scores=[1, 5, 0, 0, 0])
    with pytest.raises(services.FieldworkError, match="Нужно 5 баллов"):
        services.assignment_submit(assignment=assignment, scores=[1, 1])
    assignment.refresh_from_db()
    assert assignment.scores is None


def test_a_disagreement_with_nobody_free_keeps_the_scores_and_waits_for_a_third(campaign_world):
    world = campaign_world.world
    campaign = drawn_campaign(campaign_world)
    services.campaign_assign(campaign=campaign)
    work = campaign.works.filter(campaign_school__school=world.school_b1).first()
    first, second = work.assignments.order_by("order")
    busy = {first.expert_id, second.expert_id}
    for expert in campaign_world.experts.values():  # everybody else leaves the bank
        if expert.id not in busy:
            expert.is_active = False
            expert.save(update_fields=["is_active"])
    services.assignment_submit(assignment=first, scores=work.school_scores)
    services.assignment_submit(assignment=second, scores=[0, 0, 0, 0, 0])  # accepted, not rolled back
    work.refresh_from_db()
    second.refresh_from_db()
    assert second.scores == [0, 0, 0, 0, 0] and work.third_called and not work.is_final
    with pytest.raises(services.FieldworkError, match="Третий эксперт нужен ещё для 1 работ"):
        services.campaign_assign(campaign=campaign)
    helper = campaign_world.experts["iro_3"]
    helper.is_active = True
    helper.save(update_fields=["is_active"])
    if helper.id in busy:
        helper = campaign_world.experts["iro_1"] if campaign_world.experts["iro_1"].id not in busy else \
            campaign_world.experts["iro_2"]
        helper.is_active = True
        helper.save(update_fields=["is_active"])
    assert services.campaign_assign(campaign=campaign) == 1
    assert work.assignments.get(order=3).expert_id == helper.id


@pytest.mark.parametrize("persona", ["coordinator", "school_head"])
def test_local_roles_see_results_of_their_schools_only(campaign_world, client_for, persona):
    import io

    from openpyxl import load_workbook

    world = campaign_world.world
    campaign = drawn_campaign(campaign_world)
    client = client_for(persona)
    page = client.get(f"/fieldwork/campaigns/{campaign.pk}/").content.decode()
    assert world.school_a1.code in page and world.school_b1.code not in page
    api = client.get(f"/api/v1/fieldwork/campaigns/{campaign.pk}/results/").json()
    assert [row["school_code"] for row in api] == [world.school_a1.code]
    sheet = load_workbook(io.BytesIO(b"".join(client.get(f"/fieldwork/campaigns/{campaign.pk}/export.xlsx").streaming_content))).active
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == [world.school_a1.code]
    assert "Работы и эксперты" not in page  # the works list is the centre's


def test_schools_with_flagged_objectivity_signs_are_added_from_the_signs_table(campaign_world, client_for):
    from assessments.stats.models import ObjectivitySign

    world = campaign_world.world
    common = {"criterion": "official_mean_ci", "version": 1, "evaluated": True, "explanation": "—", "year": 2025}
    ObjectivitySign.objects.create(procedure=campaign_world.procedure, school=world.school_a1, flagged=True, **common)
    ObjectivitySign.objects.create(procedure=campaign_world.procedure, school=world.school_b1, flagged=False, **common)
    # a year-level sign of a school not taking part: never added
    ObjectivitySign.objects.create(procedure=None, school=campaign_world.school_c1, flagged=True, **common)
    campaign = new_campaign(campaign_world)
    page = client_for("centre").get(f"/fieldwork/campaigns/{campaign.pk}/").content.decode()
    assert "Добавить школы с признаками необъективности (1)" in page
    client_for("centre").post(f"/fieldwork/campaigns/{campaign.pk}/schools/", {"how": "signs"})
    assert [(m.school_id, m.reason) for m in campaign.schools.all()] == [(world.school_a1.id, SelectionReason.SIGNS)]
    empty = new_campaign(campaign_world)
    ObjectivitySign.objects.all().delete()
    with pytest.raises(services.FieldworkError, match="нет школ с признаками"):
        services.campaign_add_flagged_schools(campaign=empty)


def test_settled_works_put_the_recheck_sign_into_the_analytics(campaign_world, django_capture_on_commit_callbacks):
    from assessments.stats.models import ObjectivitySign
    from assessments.stats.services import procedure_recompute

    world = campaign_world.world
    campaign = drawn_campaign(campaign_world)
    services.campaign_assign(campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        submit_all(campaign, world.school_a1.id)
    stored = ObjectivitySign.objects.filter(procedure=campaign_world.procedure, criterion="recheck_disagreement")
    assert set(stored.filter(flagged=True).values_list("school_id", flat=True)) == {world.school_a1.id}
    assert stored.filter(school=world.school_b1, evaluated=True, flagged=False).exists()
    procedure_recompute(procedure_id=campaign_world.procedure.pk)  # a full recompute keeps the re-check sign
    assert ObjectivitySign.objects.filter(procedure=campaign_world.procedure, criterion="recheck_disagreement",
                                          school=world.school_a1, flagged=True).exists()
