"""What needs the user's attention: the home page's list, one read path scoped to the user.

Each check reads through the apps' own selectors and `visible_to(user)`, so a coordinator counts only its
municipality and a school head only its school; a check the user's roles do not cover is skipped, not zero.
"""
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from assessments.fieldwork import selectors as fieldwork_selectors
from assessments.fieldwork.models import CampaignSchool, ObserverAssignment
from assessments.kimbank.choices import VariantStatus
from assessments.kimbank.selectors import variants_for
from assessments.selectors_results import open_quarantine
from assessments.stats.models import FederalMark, ObjectivitySign, SchoolListEntry
from roadmaps import selectors as roadmap_selectors
from roadmaps.choices import ExecutionStatus
from roadmaps.services import round_reporters
from rsoko.jobs.models import Job, JobStatus
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization
from rsoko.typography import plural

from .models import MonitoringForm

# Failed uploads older than this are history, not a task.
RECENT_DAYS = 30
# A roadmap item due within this many days is worth a reminder.
SOON_DAYS = 14


@dataclass(frozen=True)
class Attention:
    """One thing to look at: how many, what, where to go; `level` is danger, warning or info."""

    level: str
    count: int
    text: str
    url: str
    hint: str = ""
    kind: str = ""  # the check that found it (new_signs, overdue_items…): a stable name for tests and styling


def counted(count: int, one: str, few: str, many: str) -> str:
    return f"{count} {plural(count, one, few, many)}"


# The page prints the count large beside the text: the text starts with the word that agrees with it.
word = plural


def attention_for(user, *, today: date | None = None) -> list[Attention]:
    """Everything that needs the user's attention now, the most urgent first; empty when all is in order."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    checks = []
    if scope.can("results.view") and (scope.region_wide or scope.municipality_ids):
        checks.append(new_signs)
    if scope.can("roadmaps.view"):
        checks += [overdue_items, items_due_soon, missing_round_reports, round_reports_to_submit]
    if scope.can("results.upload"):
        checks += [failed_uploads, open_quarantine_rows]
    if scope.can("monitoring.fill"):
        checks.append(forms_to_fill)
    if scope.can("fieldwork.expert_work"):
        checks.append(expert_assignments)
    if scope.can("kim.review"):
        checks.append(variants_to_review)
    items = [replace(item, kind=check.__name__) for check in checks
             if (item := check(user, today)) is not None and item.count]
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda item: order[item.level])


def latest_sign_year(user) -> int | None:
    return ObjectivitySign.objects.visible_to(user).filter(flagged=True, evaluated=True).order_by("-year") \
        .values_list("year", flat=True).first()


def new_signs(user, today) -> Attention | None:
    """Schools flagged in the latest year that had no sign the year before."""
    year = latest_sign_year(user)
    if year is None:
        return None
    flagged = ObjectivitySign.objects.visible_to(user).filter(flagged=True, evaluated=True)
    this_year = set(flagged.filter(year=year).values_list("school_id", flat=True))
    new = this_year - set(flagged.filter(year=year - 1).values_list("school_id", flat=True))
    return Attention("warning", len(new), f"{word(len(new), 'школа', 'школы', 'школ')} с новыми признаками "
                                          f"необъективности за {year} год",
                     f"{reverse('stats:sign_list')}?year={year}&flagged=true",
                     "В прошлом году признаков у них не было: нужен дополнительный анализ.")


def own_assignments(user):
    """Roadmap items given to the user's own organizations (what the user reports on)."""
    scope = scope_for(user)
    return roadmap_selectors.assignments_for(user).filter(item__roadmap__is_template=False)\
        .filter(organization_id__in=scope.organization_ids)


def overdue_items(user, today) -> Attention | None:
    scope = scope_for(user)
    assignments = roadmap_selectors.assignments_for(user).filter(item__roadmap__is_template=False,
                                                                 status=ExecutionStatus.OVERDUE)
    if scope.region_wide or scope.municipality_ids:
        count = assignments.count()
        text = word(count, "просроченный пункт", "просроченных пункта", "просроченных пунктов")
        return Attention("danger", count, f"{text} дорожных карт в вашей области", reverse("roadmaps:roadmap_list"),
                         "Откройте дорожную карту: исполнители и сроки указаны у каждого пункта.")
    count = assignments.filter(organization_id__in=scope.organization_ids).count()
    text = word(count, "пункт дорожных карт просрочен", "пункта дорожных карт просрочены",
                "пунктов дорожных карт просрочено")
    return Attention("danger", count, f"{text} вашей организацией", f"{reverse('roadmaps:my_items')}?status=overdue",
                     "Сообщите о ходе исполнения или приложите подтверждение.")


def items_due_soon(user, today) -> Attention | None:
    if not scope_for(user).can("roadmaps.report"):
        return None
    soon = own_assignments(user).filter(status__in=[ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS],
                                        item__deadline_end__gte=today,
                                        item__deadline_end__lte=today + timedelta(SOON_DAYS))
    count = soon.count()
    return Attention("info", count, f"{word(count, 'пункт', 'пункта', 'пунктов')} дорожных карт со сроком "
                                    f"в ближайшие {SOON_DAYS} дней", reverse("roadmaps:my_items"))


def last_due_round(user, today):
    return roadmap_selectors.rounds_for(user).filter(due__lte=today).order_by("-due", "-id").first()


def missing_round_reports(user, today) -> Attention | None:
    """Municipal offices (of the user's area) that did not report in the last round past its due date."""
    scope = scope_for(user)
    reporting_round = last_due_round(user, today)
    if reporting_round is None or not (scope.region_wide or scope.municipality_ids):
        return None
    offices = [o for o in round_reporters(reporting_round)
               if scope.region_wide or o.municipality_id in scope.municipality_ids]
    submitted = set(reporting_round.submissions.filter(submitted_at__date__lte=reporting_round.due)
                    .values_list("organization_id", flat=True))
    missing = [o for o in offices if o.pk not in submitted]
    return Attention("danger", len(missing), f"МОУО {word(len(missing), 'не представил', 'не представили', 'не представили')} отчёт "
                                             f"по дорожной карте к {reporting_round.due:%d.%m.%Y}",
                     reverse("roadmaps:round_detail", args=[reporting_round.pk]), reporting_round.title)


def round_reports_to_submit(user, today) -> Attention | None:
    """Open rounds in which the user's municipal office has not reported yet."""
    if not scope_for(user).municipality_ids:
        return None  # only a municipal office reports in a round
    rounds = roadmap_selectors.rounds_for(user).filter(due__gte=today - timedelta(RECENT_DAYS)).order_by("due")
    waiting = [r for r in rounds if (office := roadmap_selectors.reporting_office(user, r)) is not None
               and not r.submissions.filter(organization=office).exists()]
    if not waiting:
        return None
    first = waiting[0]
    return Attention("danger" if first.due < today else "warning", len(waiting),
                     f"{word(len(waiting), 'отчёт ждёт', 'отчёта ждут', 'отчётов ждут')} отправки по дорожной карте "
                     f"(ближайший срок {first.due:%d.%m.%Y})", reverse("roadmaps:round_detail", args=[first.pk]),
                     first.title)


def failed_uploads(user, today) -> Attention | None:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    jobs = Job.objects.visible_to(user).filter(kind="results_import", status=JobStatus.FAILED, created_at__gte=since)
    count = jobs.count()
    return Attention("danger", count, f"{word(count, 'загрузка', 'загрузки', 'загрузок')} результатов "
                                      f"с ошибкой за {RECENT_DAYS} дней", reverse("jobs:job_list"),
                     "Откройте задание: причина названа в нём; исправьте файл и загрузите снова.")


def open_quarantine_rows(user, today) -> Attention | None:
    rows = open_quarantine(user)
    count = rows.count()
    batches = rows.values("batch").distinct().count()
    return Attention("warning", count, f"{word(count, 'строка', 'строки', 'строк')} результатов в карантине "
                                       f"({counted(batches, 'загрузка', 'загрузки', 'загрузок')})",
                     reverse("results:quarantine_list"), "Исправьте строки и загрузите их файлом исправлений.")


def forms_to_fill(user, today) -> Attention | None:
    from .selectors import filler_organization

    waiting = []
    for form in MonitoringForm.objects.visible_to(user).filter(deadline__gte=today - timedelta(RECENT_DAYS)):
        organization = filler_organization(user, form)
        if organization and form.answers.filter(organization=organization).count() < form.indicators.count():
            waiting.append(form)
    return Attention("warning", len(waiting), word(len(waiting), "форма мониторинга не заполнена", "формы мониторинга не заполнены",
                                                   "форм мониторинга не заполнено") + " до конца", reverse("monitoring:form_list"))


def expert_assignments(user, today) -> Attention | None:
    waiting = fieldwork_selectors.assignments_for(user).filter(submitted_at__isnull=True,
                                                               work__final_primary__isnull=True)
    count = waiting.count()
    return Attention("warning", count, f"{word(count, 'работа ждёт', 'работы ждут', 'работ ждут')} вашей проверки",
                     reverse("fieldwork:my_works"), "Оценивайте по критериям задания: они показаны в форме проверки.")


def variants_to_review(user, today) -> Attention | None:
    count = variants_for(user).filter(status=VariantStatus.UNDER_REVIEW).count()
    return Attention("info", count, f"{word(count, 'вариант', 'варианта', 'вариантов')} КИМ на экспертизе",
                     f"{reverse('kimbank:variant_list')}?status={VariantStatus.UNDER_REVIEW}")


# ---- the school's standing: lists it is on and what follows ----------------------------------------------

@dataclass(frozen=True)
class Standing:
    """The school is on a list: which, for which year, why, and what the school is expected to do."""

    school: Organization
    title: str
    year: int
    reason: str
    follows: str
    url: str


def school_standing(user) -> list[Standing]:
    """For each school the user heads: ШНОР, objectivity signs, the federal list, re-checks and observers."""
    scope = scope_for(user)
    if not scope.can("results.view") or not scope.school_ids:
        return []
    standing = []
    for school in Organization.objects.filter(pk__in=scope.school_ids, kind=OrgKind.SCHOOL).order_by("short_name"):
        standing += [s for s in (on_shnor(user, school), with_signs(user, school), on_federal_list(user, school),
                                 in_recheck(user, school)) if s]
    return standing


def on_shnor(user, school) -> Standing | None:
    """On the latest ШНОР list held (a school taken off this year's list is no longer on it)."""
    year = SchoolListEntry.objects.filter(kind=SchoolListEntry.Kind.LOW).order_by("-year") \
        .values_list("year", flat=True).first()
    entry = SchoolListEntry.objects.visible_to(user).filter(school=school, kind=SchoolListEntry.Kind.LOW,
                                                            year=year).first()
    if entry is None or not entry.data.get("selected"):
        return None
    return Standing(school, "Школа в перечне ШНОР", year, entry.data.get("reason") or "низкие результаты",
                    "Школа включается в региональный проект поддержки: разработайте программу антирисковых мер, "
                    "исполняйте пункты дорожной карты поддержки и отчитывайтесь о них в срок.",
                    f"{reverse('stats:shnor')}?year={year}")


def with_signs(user, school) -> Standing | None:
    """Flagged in the latest year the region's signs were computed for."""
    year = ObjectivitySign.objects.order_by("-year").values_list("year", flat=True).first()
    count = ObjectivitySign.objects.visible_to(user).filter(school=school, flagged=True, evaluated=True,
                                                            year=year).count()
    if not count:
        return None
    return Standing(school, "Признаки необъективности результатов", year,
                    f"{counted(count, 'признак, требующий', 'признака, требующих', 'признаков, требующих')} "
                    "дополнительного анализа",
                    "Возможны перепроверка работ региональными экспертами и независимые наблюдатели "
                    "на следующих процедурах. Подготовьте пояснения к расхождениям и проверьте порядок "
                    "проведения и оценивания.",
                    reverse("stats:school_signs", args=[school.code]))


def on_federal_list(user, school) -> Standing | None:
    year = FederalMark.objects.order_by("-year").values_list("year", flat=True).first()
    mark = FederalMark.objects.visible_to(user).filter(school=school, year=year).first()
    if mark is None:
        return None
    return Standing(school, "Школа в федеральном перечне ОО с признаками необъективности", year,
                    f"отметки: {mark.markers}",
                    "Рособрнадзор наблюдает за школой: на ВПР обязательны независимые наблюдатели, работы "
                    "перепроверяются, а результаты сравниваются с результатами следующего года.",
                    reverse("stats:school_signs", args=[school.code]))


def in_recheck(user, school) -> Standing | None:
    """The school's works are re-checked, or an observer is sent to it (what the school should prepare for)."""
    today = timezone.localdate()
    campaign = CampaignSchool.objects.visible_to(user).filter(school=school).select_related("campaign__procedure") \
        .order_by("-campaign_id").first()
    observer = ObserverAssignment.objects.visible_to(user).filter(school=school, date__gte=today) \
        .select_related("procedure").order_by("date").first()
    if campaign is not None:
        return Standing(school, "Работы школы перепроверяются", campaign.campaign.procedure.year,
                        str(campaign.campaign.procedure), "Региональные эксперты проверяют работы повторно; "
                        "итог и расхождения появятся на странице перепроверки.",
                        reverse("fieldwork:campaign_list"))
    if observer is not None:
        return Standing(school, "На процедуру в школу направлен наблюдатель", observer.date.year,
                        f"{observer.procedure}, {observer.date:%d.%m.%Y}",
                        "Обеспечьте наблюдателю доступ в аудитории и к протоколам проведения.",
                        reverse("fieldwork:observer_list"))
    return None

