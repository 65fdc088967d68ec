"""Demo data: a regional expert bank of 40 experts, the demo expert account linked to one of them, observers
at current procedures, and a re-check campaign when participant results exist. Keyed by codes: idempotent."""
import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.models import Procedure, ProcedureSchool, Subject
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization
from rsoko.typography import counted

from . import services
from .choices import ObserverKind, ObserverStage, Qualification
from .models import Campaign, Expert, ExpertAvailability, ExpertTraining, ObserverAssignment

SURNAMES = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Соколова", "Попова", "Лебедева", "Козлова",
            "Новикова", "Морозова", "Волкова", "Алексеева", "Орлова", "Зайцева", "Павлова", "Семёнова",
            "Голубева", "Виноградова", "Богданова", "Воробьёва"]
NAMES = ["Анна Петровна", "Елена Ивановна", "Ольга Сергеевна", "Татьяна Николаевна", "Наталья Викторовна",
         "Ирина Алексеевна", "Марина Юрьевна", "Светлана Михайловна"]
SUBJECT_MIX = [["MA"], ["RU"], ["MA"], ["RU", "LIT"], ["OKR"], ["BI"], ["GEO"], ["HIST", "OBSH"], ["MA", "PHYS"],
               ["RU"]]
EXPERT_COUNT = 40
DEMO_EXPERT_CODE = "DEMO-EXP-001"


def expert_places(rng: random.Random) -> list:
    """Experts work at schools all over the region (one or two per municipality) and at the institute."""
    schools = list(Organization.objects.filter(kind=OrgKind.SCHOOL).order_by("municipality__code", "code"))
    by_municipality = {}
    for school in schools:
        by_municipality.setdefault(school.municipality_id, []).append(school)
    places = [group[i] for group in by_municipality.values() for i in range(min(2, len(group)))]
    institute = Organization.objects.filter(code="IRO").first()
    return places + [institute] * 4 if institute else places


def build_bank(stdout) -> None:
    rng = random.Random(20260401)
    places = expert_places(rng)
    subjects = {s.code: s for s in Subject.objects.all()}
    for number in range(1, EXPERT_COUNT + 1):
        code = f"DEMO-EXP-{number:03d}"
        place = places[(number * 7) % len(places)] if places else None
        expert, _ = Expert.objects.update_or_create(code=code, defaults={
            "full_name": f"{SURNAMES[number % len(SURNAMES)]} {NAMES[number % len(NAMES)]}",
            "qualification": [Qualification.HIGHEST, Qualification.FIRST, Qualification.NONE][number % 3],
            "position": "методист" if place and place.kind == OrgKind.INSTITUTE else "учитель",
            "organization": place, "phone": f"+7 900 555-{number:02d}-{rng.randint(10, 99)}",
            "email": f"expert{number:03d}@example.org",
        })
        expert.subjects.set([subjects[c] for c in SUBJECT_MIX[number % len(SUBJECT_MIX)] if c in subjects])
        ExpertTraining.objects.get_or_create(expert=expert, course="Оценивание работ участников ВПР по критериям",
                                             defaults={"completed_on": datetime.date(2025, 2, 1 + number % 27),
                                                       "certificate": f"ПК-{1000 + number}"})
        if number % 5 == 0:
            ExpertAvailability.objects.get_or_create(expert=expert, date_from=datetime.date(2026, 4, 1),
                                                     date_to=datetime.date(2026, 5, 31))
    link_demo_expert()
    stdout.write(f"Банк экспертов: {counted(Expert.objects.filter(code__startswith='DEMO-EXP-').count(), 'эксперт', 'эксперта', 'экспертов')}.")


def link_demo_expert() -> None:
    user = get_user_model().objects.filter(username="expert").first()
    if user is None:
        return
    Expert.objects.filter(user=user).exclude(code=DEMO_EXPERT_CODE).update(user=None)
    expert = Expert.objects.get(code=DEMO_EXPERT_CODE)
    expert.user = user
    expert.organization = Organization.objects.filter(code="IRO").first() or expert.organization
    expert.save(update_fields=["user", "organization"])
    expert.subjects.add(*Subject.objects.filter(code__in=["MA", "RU"]))


def current_procedures():
    latest = Procedure.objects.order_by("-year").values_list("year", flat=True).first()
    return Procedure.objects.filter(year=latest) if latest else Procedure.objects.none()


def build_observers(stdout) -> None:
    ministry = Organization.objects.filter(code="MIN").first()
    public = Organization.objects.filter(code="PUBLIC-01").first()
    made = 0
    for procedure in current_procedures()[:4]:
        participations = ProcedureSchool.objects.filter(procedure=procedure).select_related("school")[:6]
        for index, participation in enumerate(participations):
            kind = [ObserverKind.PUBLIC, ObserverKind.MINISTRY, ObserverKind.MOUO][index % 3]
            ObserverAssignment.objects.get_or_create(
                procedure=procedure, school=participation.school, full_name=f"Наблюдатель {index + 1}",
                defaults={"kind": kind,
                          "stage": ObserverStage.CONDUCT if kind == ObserverKind.PUBLIC else ObserverStage.CHECK,
                          "date": procedure.date_start or datetime.date(procedure.year, 4, 15),
                          "sent_by": public if kind == ObserverKind.PUBLIC else ministry})
            made += 1
    stdout.write(f"Наблюдатели: {counted(made, 'направление', 'направления', 'направлений')}." if made else "Наблюдатели: процедур с участниками пока нет.")


def build_campaign(stdout) -> None:
    # The region re-checks its own procedures' works: a МОУО's МПР is not the centre's to re-check.
    procedure = (Procedure.objects.regional().filter(results__version__is_active=True, subject__code__in=["MA", "RU"])
                 .order_by("-year", "code").first())
    if procedure is None:
        stdout.write("Перепроверка: результатов участников пока нет — демонстрационная кампания не создана.")
        return
    title = f"Перепроверка работ: {procedure} (демо)"
    if Campaign.objects.filter(procedure=procedure, title=title).exists():
        stdout.write("Перепроверка: демонстрационная кампания уже есть.")
        return
    campaign = services.campaign_create(procedure=procedure, title=title, actor=None, share_percent=10, min_works=5)
    services.campaign_add_random_schools(campaign=campaign, size=3, seed=2026)
    services.campaign_draw(campaign=campaign, seed=2026)
    services.campaign_assign(campaign=campaign)
    stdout.write(f"Перепроверка: кампания «{title}», {counted(campaign.works.count(), 'работа', 'работы', 'работ')}, зерно 2026.")


def build(stdout) -> None:
    with transaction.atomic():
        build_bank(stdout)
        build_observers(stdout)
    try:
        with transaction.atomic():
            build_campaign(stdout)
    except services.FieldworkError as exc:
        stdout.write(f"Перепроверка: кампания не создана — {exc}")
