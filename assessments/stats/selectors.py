"""Reads of the precomputed analytics, scoped to the user: one path for pages, API, PDF and Excel."""
from dataclasses import dataclass, field
from typing import Callable

from django.db import models
from django.db.models.functions import Length
from django.http import Http404

from assessments.analytics import objectivity
from assessments.models import Procedure, QuarantinedRow
from rsoko.exports import Column, Table
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Municipality, Organization
from rsoko.typography import number, plural

from .models import (Deficit, FederalMark, Form, Level, ObjectivityIndex, ObjectivitySign, RiskPupil,
                     RussiaMarks, SchoolListEntry, StatisticRow, has_statistics)

MARK_KEYS = ("pct_2", "pct_3", "pct_4", "pct_5")


@dataclass
class Group:
    """Where in the drill-down the user stands: the region, a municipality, a school or a class."""

    level: str
    municipality: Municipality | None = None
    school: Organization | None = None
    class_name: str = ""

    @property
    def title(self) -> str:
        if self.level == Level.CLASS:
            return f"{self.school.short_name}, класс {self.class_name or '—'}"
        if self.level == Level.SCHOOL:
            return self.school.short_name
        if self.level == Level.MUNICIPALITY:
            return self.municipality.name
        return "Регион"

    def row_filter(self) -> dict:
        lookup = {"level": self.level}
        if self.level in (Level.SCHOOL, Level.CLASS):
            lookup["school"] = self.school
        elif self.level == Level.MUNICIPALITY:
            lookup["municipality"] = self.municipality
        if self.level == Level.CLASS:
            lookup["class_name"] = self.class_name
        return lookup


def default_group(user) -> Group:
    """A school head starts at its school, a coordinator at its municipality, the region-wide roles at the region."""
    scope = scope_for(user, "results.view")
    if scope.region_wide:
        return Group(Level.REGION)
    if scope.municipality_ids:
        return Group(Level.MUNICIPALITY, municipality=Municipality.objects.get(pk=min(scope.municipality_ids)))
    if scope.school_ids:
        school = Organization.objects.select_related("municipality").get(pk=min(scope.school_ids))
        return Group(Level.SCHOOL, municipality=school.municipality, school=school)
    raise Http404("Нет доступных результатов")


def query_id(value) -> int:
    """An id from the query string: anything but digits names no object, so it is not found (never a server error)."""
    text = str(value)
    if not (text.isascii() and text.isdigit()):  # "²".isdigit() holds, yet int("²") fails
        raise Http404("Неверный идентификатор в адресе")
    return int(value)


def resolve_group(user, *, level=None, municipality_id=None, school_id=None, class_name=None) -> Group:
    """The group asked for in the query string (404 outside the user's scope), or the user's own."""
    if school_id:
        schools = Organization.objects.visible_to(user).schools().select_related("municipality")
        school = schools.filter(pk=query_id(school_id)).first()
        if school is None or not user_sees_school(user, school):
            raise Http404("ОО вне области доступа")
        if class_name is not None:
            return Group(Level.CLASS, municipality=school.municipality, school=school, class_name=class_name)
        return Group(Level.SCHOOL, municipality=school.municipality, school=school)
    if municipality_id:
        municipality = Municipality.objects.visible_to(user).filter(pk=query_id(municipality_id)).first()
        if municipality is None or not user_sees_municipality(user, municipality):
            raise Http404("Муниципалитет вне области доступа")
        return Group(Level.MUNICIPALITY, municipality=municipality)
    if level == Level.REGION or scope_for(user, "results.view").region_wide:
        return Group(Level.REGION)
    return default_group(user)


def user_sees_school(user, school) -> bool:
    scope = scope_for(user, "results.view")
    return scope.region_wide or school.id in scope.school_ids or school.municipality_id in scope.municipality_ids


def user_sees_municipality(user, municipality) -> bool:
    """A municipality's results: for those reading results there (a school head: its own municipality's figures)."""
    scope = scope_for(user, "results.view")
    return scope.region_wide or municipality.id in scope.municipality_ids | scope.school_municipality_ids


def procedures_with_statistics(user):
    return Procedure.objects.visible_to(user).filter(has_statistics()).select_related("kind", "subject")


def rows_for(user, procedure, group: Group):
    return StatisticRow.objects.visible_to(user).filter(procedure=procedure, **group.row_filter())


def form_row(user, procedure, group: Group, form: str) -> StatisticRow | None:
    return rows_for(user, procedure, group).filter(form=form).first()


def benchmark_groups(group: Group) -> list[Group]:
    """The figures shown alongside, nearest first (the school for a class, the municipality, the region): every
    chart then lists and colours them in one order, as the task chart's lines are."""
    benchmarks = []
    if group.level == Level.CLASS:
        benchmarks.append(Group(Level.SCHOOL, municipality=group.municipality, school=group.school))
    if group.level in (Level.SCHOOL, Level.CLASS):
        benchmarks.append(Group(Level.MUNICIPALITY, municipality=group.municipality))
    if group.level != Level.REGION:
        benchmarks.append(Group(Level.REGION))
    return benchmarks


def child_level(group: Group) -> str | None:
    return {Level.REGION: Level.MUNICIPALITY, Level.MUNICIPALITY: Level.SCHOOL, Level.SCHOOL: Level.CLASS}.get(group.level)


def child_rows(user, procedure, group: Group):
    """Mark statistics of the next level down (municipalities, schools or classes), scoped."""
    level = child_level(group)
    if level is None:
        return StatisticRow.objects.none()
    rows = StatisticRow.objects.visible_to(user).filter(procedure=procedure, form=Form.MARKS, level=level)
    if group.level == Level.MUNICIPALITY:
        rows = rows.filter(school__municipality=group.municipality)
    elif group.level == Level.SCHOOL:
        rows = rows.filter(school=group.school)
    return rows.select_related("municipality", "school").order_by("municipality__name", "school__short_name", "class_name")


@dataclass
class ProcedureAnalytics:
    procedure: Procedure
    group: Group
    forms: dict = field(default_factory=dict)  # form → StatisticRow of the group
    benchmarks: list = field(default_factory=list)  # (Group, {form: StatisticRow})
    children: list = field(default_factory=list)
    signs: list = field(default_factory=list)
    deficits: list = field(default_factory=list)
    index: ObjectivityIndex | None = None
    dynamics: list = field(default_factory=list)
    russia: RussiaMarks | None = None
    left_out: int = 0  # quarantined rows of the group's area: in no figure of this page or report

    @property
    def left_out_note(self) -> str:
        return left_out_note(self.left_out)


def left_out_rows(procedure: Procedure, group: Group | None = None) -> int:
    """Rows of the procedure held in quarantine within the group's area: not in any figure until fixed.

    The one count every page, report and API answer about a procedure shows (`left_out_note`)."""
    group = group or Group(Level.REGION)
    return LeftOutCounts([procedure.pk]).of(procedure.pk, group.level, getattr(group.municipality, "pk", None),
                                            getattr(group.school, "pk", None))


class LeftOutCounts:
    """Unresolved quarantined rows of some procedures, counted once by school, then summed for any area.

    Pages ask for one group (`left_out_rows`); the statistics API asks for every row of a page with one query."""

    def __init__(self, procedure_ids):
        self.by_school = {}  # (procedure id, municipality id, school id) → rows; ids are None for a row with no school
        counted = (QuarantinedRow.objects.filter(procedure_id__in=set(procedure_ids), resolved=False)
                   .values_list("procedure_id", "school__municipality_id", "school_id")
                   .annotate(rows=models.Count("id")).order_by())
        for procedure_id, municipality_id, school_id, rows in counted:
            self.by_school[(procedure_id, municipality_id, school_id)] = rows

    def of(self, procedure_id, level, municipality_id=None, school_id=None) -> int:
        """A class has no count of its own (a bad row's class is not trusted): it shows its school's."""
        def within(key):
            if level == Level.REGION:
                return True
            if level == Level.MUNICIPALITY:
                return key[1] == municipality_id
            return key[2] == school_id
        return sum(rows for key, rows in self.by_school.items() if key[0] == procedure_id and within(key))


def left_out_note(count: int) -> str:
    if not count:
        return ""
    rows = plural(count, "строка", "строки", "строк")
    return (f"Не вошли в расчёт {number(count, 0)} {rows} из карантина: в них ошибки, они ждут исправления. "
            "Все показатели посчитаны без них.")


def procedure_analytics(user, procedure: Procedure, group: Group, only_forms=None) -> ProcedureAnalytics:
    """`only_forms` narrows the group's own forms to what a caller prints (the quarterly report: marks and tasks):
    the task and planned-result forms of dozens of procedures are most of the JSON a report would read and drop."""
    rows = rows_for(user, procedure, group)
    forms = {row.form: row for row in (rows.filter(form__in=only_forms) if only_forms else rows)}
    benchmarks = [(b, {row.form: row for row in rows_for(user, procedure, b).filter(form__in=[Form.MARKS, Form.JOURNAL])})
                  # A МПР's «region» is its own municipality: the municipality row is the benchmark already.
                  for b in benchmark_groups(group) if not (procedure.is_municipal and b.level == Level.REGION)]
    signs = []
    if group.level == Level.SCHOOL:
        signs = list(ObjectivitySign.objects.visible_to(user).filter(school=group.school, year=procedure.year)
                     .filter(models_q_for_procedure(procedure)).order_by("-flagged", "criterion"))
    return ProcedureAnalytics(
        procedure=procedure, group=group, forms=forms, benchmarks=benchmarks,
        children=list(child_rows(user, procedure, group)), signs=signs,
        deficits=deficits_for(user, procedure, group),
        index=ObjectivityIndex.objects.filter(procedure=procedure).first() if group.level == Level.REGION else None,
        dynamics=procedure_dynamics(user, procedure, group), left_out=left_out_rows(procedure, group),
        russia=RussiaMarks.objects.filter(procedure=procedure).first(),
    )


def models_q_for_procedure(procedure):
    return models.Q(procedure=procedure) | models.Q(procedure__isnull=True)


def procedure_dynamics(user, procedure: Procedure, group: Group) -> list[dict]:
    """The same kind, subject and grade in every year held, for the same group, with the region's and (where
    entered) Russia's quality beside it."""
    same = Procedure.objects.filter(kind=procedure.kind, subject=procedure.subject, grade=procedure.grade)
    if procedure.is_municipal:
        # Another municipality's МПР of the same grade is another КИМ and other schools: no series with it.
        same = same.filter(organizer=procedure.organizer)
    # The few ids as a list, not a subquery: SQLite then reads them by the (procedure, form, level) index instead
    # of every marks row of the municipality (0.3 s of a 36-procedure quarterly report).
    same = list(same.values_list("pk", flat=True))
    rows = (StatisticRow.objects.visible_to(user).filter(procedure__in=same, form=Form.MARKS, **group.row_filter())
            .select_related("procedure").order_by("procedure__year"))
    region = {} if group.level == Level.REGION else dict(
        StatisticRow.objects.filter(procedure__in=same, form=Form.MARKS, level=Level.REGION)
        .values_list("procedure_id", "data"))
    russia = {r.procedure_id: r.data for r in RussiaMarks.objects.filter(procedure__in=same)}
    return [{"year": row.procedure.year, "code": row.procedure.code, **row.data,
             "region_quality_pct": region.get(row.procedure_id, {}).get("quality_pct"),
             "russia_quality_pct": russia.get(row.procedure_id, {}).get("quality_pct")} for row in rows]


# --- tables (page, xlsx and CSV read the same rows) ----------------------------------------------------

MARK_COLUMNS = [
    Column("participants", "Участников", "int", 12), Column("pct_2", "«2», %", "percent", 9),
    Column("pct_3", "«3», %", "percent", 9), Column("pct_4", "«4», %", "percent", 9),
    Column("pct_5", "«5», %", "percent", 9), Column("success_pct", "Успеваемость, %", "percent", 14),
    Column("quality_pct", "Качество, %", "percent", 12), Column("mean_primary_score", "Средний балл", "number", 12),
]


def group_name(row: StatisticRow) -> str:
    if row.level == Level.CLASS:
        return row.class_name or "без класса"
    if row.level == Level.SCHOOL:
        return row.school.short_name
    if row.level == Level.MUNICIPALITY:
        return row.municipality.name
    return "Регион"


def children_table(analytics: ProcedureAnalytics) -> Table:
    level_title = {Level.MUNICIPALITY: "Муниципалитет", Level.SCHOOL: "ОО", Level.CLASS: "Класс"}
    title = level_title.get(child_level(analytics.group), "Группа")
    rows = [{"name": group_name(row), **row.data, "participants": row.participants,
             "warning": "" if row.group_informative else "менее 10 участников"} for row in analytics.children]
    columns = [Column("name", title, width=40), *MARK_COLUMNS, Column("warning", "Примечание", width=22)]
    return Table(f"Статистика отметок — {analytics.procedure.code}", columns, rows,
                 filename=f"otmetki-{analytics.procedure.code}")


def task_table(analytics: ProcedureAnalytics) -> Table:
    row = analytics.forms.get(Form.TASKS)
    spec = {t.position: t for t in analytics.procedure.tasks.all()}
    lines = [{**line, "task_level": getattr(spec.get(line["position"]), "level", ""),
              "task_max_score": getattr(spec.get(line["position"]), "max_score", None)} for line in (row.data if row else [])]
    columns = [Column("label", "Задание", width=10), Column("task_level", "Уровень", width=9),
               Column("task_max_score", "Макс. балл", "int", 10), Column("solve_pct", "Выполнение, %", "percent", 14),
               Column("municipality_solve_pct", "Муниципалитет, %", "percent", 16),
               Column("region_solve_pct", "Регион, %", "percent", 12)]
    return Table(f"Выполнение заданий — {analytics.group.title}", columns, lines,
                 filename=f"zadaniya-{analytics.procedure.code}")


def planned_table(analytics: ProcedureAnalytics) -> Table:
    row = analytics.forms.get(Form.PLANNED)
    labels = {"achieved": "достигнуто", "uncertain": "зона неопределённости", "not_achieved": "не достигнуто"}
    thresholds = {"Б": 60.0}  # basic-level tasks; advanced and high: 30 % (AchievementThresholds)
    lines = [{**line, "status_label": labels.get(line.get("status"), ""),
              "threshold": thresholds.get(line.get("task_level"), 30.0)}
             for line in (row.data if row else []) if line.get("by") == "skill"]
    columns = [Column("item", "Проверяемое умение", width=70), Column("task_level", "Уровень", width=9),
               Column("tasks", "Заданий", "int", 9), Column("achievement_pct", "Достижение, %", "percent", 14),
               Column("threshold", "Порог, %", "percent", 10), Column("status_label", "Оценка", width=22)]
    return Table(f"Достижение планируемых результатов — {analytics.group.title}", columns, lines,
                 filename=f"planiruemye-{analytics.procedure.code}")


def procedure_overview(user, group: Group) -> list[dict]:
    """Each procedure with results: the group's key figures beside the region's (the list page)."""
    rows = []
    for procedure in procedures_with_statistics(user).order_by("-year", "kind__order", "subject__name", "grade"):
        own = form_row(user, procedure, group, Form.MARKS)
        region = own if group.level == Level.REGION else form_row(user, procedure, Group(Level.REGION), Form.MARKS)
        if procedure.is_municipal and group.level != Level.REGION:
            region = None  # a МПР's «region» row is one municipality's total: no region to set it beside
        rows.append({"procedure": procedure, "own": own, "region": region})
    return rows


def visible_schools(user):
    scope = scope_for(user, "results.view")
    schools = Organization.objects.visible_to(user).schools()
    if scope.region_wide:
        return schools
    return schools.filter(models.Q(id__in=scope.school_ids) | models.Q(municipality_id__in=scope.municipality_ids))


CRITERION_TITLES = {code: criterion.title for code, criterion in objectivity.CRITERIA.items()}
CRITERION_TITLES["recheck_disagreement"] = "Расхождение с результатами перепроверки"


def sign_table(signs) -> Table:
    columns = [Column("year", "Год", "int", 8), Column("municipality", "Муниципалитет", width=30),
               Column("school_code", "Код ОО", width=12), Column("school", "ОО", width=40),
               Column("procedure", "Процедура", width=18), Column("criterion", "Признак", width=50),
               Column("value", "Значение", "number", 10), Column("threshold", "Порог", "number", 10),
               Column("sample_size", "Участников", "int", 11), Column("explanation", "Пояснение", width=80)]
    rows = ({"year": s.year, "municipality": s.school.municipality.name if s.school.municipality else "",
             "school_code": s.school.code, "school": s.school.short_name,
             "procedure": s.procedure.code if s.procedure else "за год", "criterion": CRITERION_TITLES.get(s.criterion, s.criterion),
             "value": None if s.value is None else round(s.value, 3),
             "threshold": None if s.threshold is None else round(s.threshold, 3),
             "sample_size": s.sample_size, "explanation": s.explanation} for s in signs)
    return Table("Признаки необъективности, требующие дополнительного анализа", columns, rows,
                 filename="priznaki-neobektivnosti")


# The indices, named for what they are (issue 17: three different «индекс объективности» on three pages):
FEDERAL_INDEX_TITLE = "Индекс объективности (федеральная методика)"
FEDERAL_INDEX_DEFINITION = ("100 − % оценённых ОО хотя бы с одним официальным признаком необъективности в ВПР по "
                            "русскому языку и математике в 4–5 классах за год")
PROCEDURE_SHARE_TITLE = "ОО без официальных признаков в этой процедуре, %"


def federal_index(year: int | None = None) -> ObjectivityIndex | None:
    """The region's federal index of a year (the latest by default): the one row every page, the API, the public
    site, the monitoring indicator and the reports show as «индекс объективности»."""
    rows = ObjectivityIndex.objects.filter(procedure__isnull=True, index__isnull=False)
    return (rows.filter(year=year) if year else rows.order_by("-year")).first()


def sign_summary(user, signs) -> dict:
    flagged = signs.filter(flagged=True)
    return {"schools": flagged.values("school").distinct().count(), "signs": flagged.count(), "index": federal_index(),
            "index_title": FEDERAL_INDEX_TITLE, "index_definition": FEDERAL_INDEX_DEFINITION}


def school_sign_history(user, school) -> dict:
    """Signs by year (was the school marked last year and the year before), federal marks and evidence."""
    signs = list(ObjectivitySign.objects.visible_to(user).filter(school=school)
                 .select_related("procedure").order_by("-year", "-flagged", "criterion"))
    years = sorted({s.year for s in signs}, reverse=True)
    by_year = [{"year": y, "flagged": [s for s in signs if s.year == y and s.flagged],
                "evaluated": sum(1 for s in signs if s.year == y and s.evaluated)} for y in years]
    federal = list(FederalMark.objects.visible_to(user).filter(school=school).order_by("-year"))
    return {"signs": signs, "by_year": by_year, "federal": federal, "evidence": distribution_evidence(user, school, signs)}


def distribution_evidence(user, school, signs) -> list[dict]:
    """For each procedure with a flagged sign: the school's score distribution against the region's."""
    from . import charts

    evidence = []
    for procedure in sorted({s.procedure for s in signs if s.flagged and s.procedure}, key=lambda p: p.code):
        own = StatisticRow.objects.visible_to(user).filter(procedure=procedure, form=Form.DISTRIBUTION, level=Level.SCHOOL,
                                                             school=school).first()
        region = StatisticRow.objects.filter(procedure=procedure, form=Form.DISTRIBUTION, level=Level.REGION).first()
        if own and region:
            evidence.append({"procedure": procedure, "chart_id": f"evidence-{procedure.pk}",
                             "chart": charts.distribution_comparison_chart(own.data, region.data, school.short_name)})
    return evidence


def school_lists(user, year: int | None, kind: str):
    """ШНОР or the bank of high results for a year (the latest by default), scoped."""
    entries = SchoolListEntry.objects.visible_to(user).filter(kind=kind)
    years = sorted(set(SchoolListEntry.objects.filter(kind=kind).values_list("year", flat=True)), reverse=True)
    year = year or (years[0] if years else None)
    entries = entries.filter(year=year).select_related("school__municipality")
    selected = sorted((e for e in entries if e.data.get("selected")), key=lambda e: e.data.get("mean_pct") or 0,
                      reverse=kind == SchoolListEntry.Kind.HIGH)
    excluded = [e for e in entries if not e.data.get("selected")]
    return {"year": year, "years": years, "selected": selected, "excluded": excluded}


def school_list_table(entries, kind: str) -> Table:
    settlement = {"city": "город", "rural": "сельская местность", "город": "город", "село": "сельская местность"}
    columns = [Column("municipality", "Муниципалитет", width=30), Column("code", "Код ОО", width=12),
               Column("school", "ОО", width=40), Column("settlement", "Тип поселения", width=18),
               Column("size", "Участников (макс.)", "int", 12), Column("mean_pct", "Средний % выполнения", "percent", 14),
               Column("reason", "Основание", width=80)]
    rows = [{"municipality": e.school.municipality.name if e.school.municipality else "", "code": e.school.code,
             "school": e.school.short_name, "settlement": settlement.get(e.data.get("settlement_type"), ""),
             "size": e.data.get("size"), "mean_pct": e.data.get("mean_pct"), "reason": e.data.get("reason")}
            for e in entries]
    title = "ШНОР" if kind == SchoolListEntry.Kind.LOW else "Школы с высокими результатами"
    return Table(title, columns, rows, filename="shnor" if kind == SchoolListEntry.Kind.LOW else "vysokie-rezultaty")


# Classes and codes in the order a teacher counts them: «5б» before «10а», «…-2» before «…-10» (a shorter string
# of the same pattern first); the key ends on the row id so that pages never share or skip a pupil.
PUPIL_ORDER = (Length("class_name"), "class_name", Length("participant_code"), "participant_code", "pk")


def has_pupil_tables(group: Group) -> bool:
    """Pupil-level tables exist for a school or a class only: above that, codes would mean nothing."""
    return group.level in (Level.SCHOOL, Level.CLASS)


def risk_pupils(user, procedure, group: Group):
    """The risk group of the school or class, scoped, in the order of its table."""
    pupils = RiskPupil.objects.visible_to(user).filter(procedure=procedure)
    if group.level in (Level.SCHOOL, Level.CLASS):
        pupils = pupils.filter(school=group.school)
    if group.level == Level.CLASS:
        pupils = pupils.filter(class_name=group.class_name)
    return pupils.order_by(*PUPIL_ORDER)


def risk_table(user, procedure, group: Group, pupils=None) -> Table:
    """Pupils below the basic level, codes only (personal data: exports are logged).

    `pupils` is a part of `risk_pupils` (one page of it); without it the table holds them all, as exports need."""
    pupils = risk_pupils(user, procedure, group) if pupils is None else pupils
    rows = [{"class_name": p.class_name, "code": p.participant_code, "reason": p.reason} for p in pupils]
    columns = [Column("class_name", "Класс", width=10), Column("code", "Код участника", width=16),
               Column("reason", "Основание", width=50)]
    return Table(f"Группа риска — {group.title}", columns, rows, filename=f"gruppa-riska-{procedure.code}",
                 personal_data=True)


def deficits_for(user, procedure, group: Group) -> list[dict]:
    if group.level not in (Level.SCHOOL, Level.MUNICIPALITY):
        return []
    lookup = {"school": group.school} if group.level == Level.SCHOOL else {"municipality": group.municipality,
                                                                          "school__isnull": True}
    row = Deficit.objects.visible_to(user).filter(procedure=procedure, level=group.level, **lookup).first()
    return row.data if row else []


def individual_results(user, procedure, group: Group):
    """The active results of the school or class (form 1), scoped, in the order of its table; None above a school."""
    from assessments.models import ParticipantResult

    if not has_pupil_tables(group):
        return None
    results = ParticipantResult.objects.visible_to(user).active().filter(procedure=procedure, school=group.school)
    if group.level == Level.CLASS:
        results = results.filter(class_name=group.class_name)
    return results.order_by(*PUPIL_ORDER)


def individual_table(user, procedure, group: Group, results=None) -> Table | None:
    """Form 1, individual results: school or class level only, participant codes only (logged exports).

    `results` is a part of `individual_results` (one page of it); without it the table holds them all."""
    if not has_pupil_tables(group):
        return None
    results = individual_results(user, procedure, group) if results is None else results
    labels = list(procedure.tasks.order_by("position").values_list("label", flat=True))
    columns = [Column("class_name", "Класс", width=8), Column("code", "Код участника", width=14),
               Column("variant", "Вариант", width=9), *[Column(f"t{i}", label, "int", 6) for i, label in enumerate(labels)],
               Column("primary_score", "Первичный балл", "int", 10), Column("mark", "Отметка", "int", 9),
               Column("journal_mark", "Отметка в журнале", "int", 10)]

    def rows():
        for r in results.iterator(chunk_size=2000):
            scores = {f"t{i}": (r.task_scores[i] if i < len(r.task_scores or []) else None) for i in range(len(labels))}
            absent = r.status == "absent"
            yield {"class_name": r.class_name, "code": r.participant_code, "variant": "отсутствовал" if absent else r.variant,
                   **({} if absent else scores), "primary_score": r.primary_score, "mark": r.mark,
                   "journal_mark": r.journal_mark}

    return Table(f"Индивидуальные результаты — {group.title}", columns, rows,
                 filename=f"individualnye-{procedure.code}", personal_data=True)


@dataclass(frozen=True)
class PupilTable:
    """A pupil-level table of the school page: its scoped rows (a queryset to count and page) and its Table."""

    title: str
    rows: Callable  # (user, procedure, group) → queryset
    table: Callable  # (user, procedure, group, part of the rows or None for all) → Table


PUPIL_TABLES = {
    "risk": PupilTable("Группа риска", risk_pupils, risk_table),
    "individual": PupilTable("Индивидуальные результаты", individual_results, individual_table),
}


def pupil_counts(user, procedure, group: Group) -> dict[str, int]:
    """How many rows each pupil-level table has: the page shows the counts and loads the rows on demand."""
    if not has_pupil_tables(group):
        return {}
    return {name: spec.rows(user, procedure, group).count() for name, spec in PUPIL_TABLES.items()}


def overview_table(rows: list[dict], group: Group) -> Table:
    """The procedure list page: the group's key figures beside the region's."""
    columns = [Column("code", "Код", width=20), Column("procedure", "Процедура", width=44),
               Column("participants", "Участников", "int", 12), Column("success_pct", "Успеваемость, %", "percent", 14),
               Column("quality_pct", "Качество, %", "percent", 12), Column("pct_2", "«2», %", "percent", 9),
               Column("region_success_pct", "Регион: успеваемость, %", "percent", 16),
               Column("region_quality_pct", "Регион: качество, %", "percent", 16)]
    lines = []
    for row in rows:
        own, region = row["own"], row["region"]
        lines.append({"code": row["procedure"].code, "procedure": str(row["procedure"]),
                      "participants": own.participants if own else None,
                      **({k: own.data.get(k) for k in ("success_pct", "quality_pct", "pct_2")} if own else {}),
                      "region_success_pct": region.data.get("success_pct") if region else None,
                      "region_quality_pct": region.data.get("quality_pct") if region else None})
    return Table(f"Результаты процедур — {group.title}", columns, lines, filename="rezultaty-procedur")


def federal_mark_table(marks) -> Table:
    columns = [Column("year", "Год", "int", 8), Column("municipality", "Муниципалитет", width=30),
               Column("code", "Код ОО", width=12), Column("school", "ОО", width=40), Column("markers", "Маркеры", width=20)]
    rows = ({"year": m.year, "municipality": m.school.municipality.name if m.school.municipality else "",
             "code": m.school.code, "school": m.school.short_name, "markers": m.markers} for m in marks)
    return Table("Федеральный перечень ОО с признаками необъективности", columns, rows, filename="federalnyi-perechen")


def criterion_table(criteria) -> Table:
    """The criteria page: each criterion's version, parameters and state (thresholds are not personal data)."""
    columns = [Column("title", "Критерий", width=50), Column("code", "Код", width=24),
               Column("official", "Официальный", width=12),
               Column("version", "Версия", "int", 8), Column("params", "Параметры", width=50),
               Column("active", "Состояние", width=14), Column("updated_at", "Изменён", "date", 18),
               Column("updated_by", "Кем", width=18)]
    rows = ({"title": c.title, "code": c.code, "official": "да" if c.is_official else "", "version": c.version,
             "params": "; ".join(f"{key} = {value}" for key, value in c.params.items()) or "общие параметры",
             "active": "применяется" if c.is_active else "отключён", "updated_at": c.updated_at,
             "updated_by": str(c.updated_by or "")} for c in criteria)
    return Table("Критерии объективности", columns, rows, filename="kriterii")
