"""Objects the permission matrix needs, built lazily from `world` (once per test, kept on the world)."""
import datetime

from django.core.files.base import ContentFile

from assessments.fieldwork import services
from assessments.fieldwork.models import Assignment, ObserverPhoto, ObserverReport

from . import factories


class Objects:
    pass


def objects(world) -> Objects:
    if hasattr(world, "fieldwork"):
        return world.fieldwork
    o = Objects()
    o.procedure = factories.procedure()
    factories.school_results(o.procedure, world.school_a1, [[2, 2, 2, 2, 2]] * 4)
    factories.school_results(o.procedure, world.school_b1, [[3, 3, 3, 3, 3]] * 4)
    o.own_expert = factories.ExpertFactory(full_name="Эксперт-пользователь", organization=world.institute,
                                           user=world.user("expert"))
    o.other_expert = factories.ExpertFactory(full_name="Другой эксперт", organization=world.institute)
    o.expert_b1 = factories.ExpertFactory(full_name="Учитель Б1", organization=world.school_b1)
    o.campaign = _campaign(world, o.procedure, [world.school_a1.id, world.school_b1.id])
    o.campaign_b1 = _campaign(world, o.procedure, [world.school_b1.id])
    works = list(o.campaign.works.order_by("id"))
    o.own_assignment = Assignment.objects.create(work=works[0], expert=o.own_expert, order=1)
    Assignment.objects.create(work=works[0], expert=o.other_expert, order=2)
    o.foreign_assignment = Assignment.objects.create(work=works[1], expert=o.other_expert, order=1)
    Assignment.objects.create(work=o.campaign_b1.works.first(), expert=o.other_expert, order=1)
    o.observer_a1 = _observer(world, o.procedure, world.school_a1)
    o.observer_b1 = _observer(world, o.procedure, world.school_b1)
    report = ObserverReport.objects.create(assignment=o.observer_a1, violations=["phones"], text="")
    o.photo = ObserverPhoto.objects.create(report=report, file=ContentFile(b"\x89PNG\r\n\x1a\n", name="p.png"),
                                           original_name="p.png", content_type="image/png", size=8)
    world.fieldwork = o
    return o


def _campaign(world, procedure, school_ids):
    campaign = services.campaign_create(procedure=procedure, title="Перепроверка", actor=None, share_percent=50,
                                        min_works=2)
    services.campaign_add_schools(campaign=campaign, school_ids=school_ids)
    services.campaign_draw(campaign=campaign, seed=1)
    return campaign


def _observer(world, procedure, school):
    return services.observer_assign(actor=None, procedure=procedure, school=school, full_name="Наблюдатель",
                                    kind="mouo", stage="check", date=datetime.date(2025, 4, 22))
