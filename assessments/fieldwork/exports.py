"""The fieldwork pages as rsoko.exports tables: the same rows as the pages, the portal's one formula rule,
streamed xlsx or CSV. The rows come from the selectors, already scoped to the user."""
from rsoko.exports import Column, Table

EXPERT_COLUMNS = [Column("code", "Код эксперта", width=14), Column("full_name", "ФИО", width=32),
                  Column("subjects", "Предметы", width=30), Column("qualification", "Квалификация", width=18),
                  Column("position", "Должность", width=24), Column("organization", "Место работы", width=36),
                  Column("municipality", "Муниципалитет", width=30), Column("phone", "Телефон", width=18),
                  Column("email", "Эл. почта", width=28)]
CONTACT_KEYS = ("phone", "email")


def expert_table(rows: list[dict], with_contacts: bool) -> Table:
    """The expert bank; contacts are columns only for those who may read them (the rows hold none otherwise)."""
    columns = [c for c in EXPERT_COLUMNS if with_contacts or c.key not in CONTACT_KEYS]
    return Table("Эксперты", columns, rows, filename="experts")


def sign_text(sign: dict | None) -> str:
    if not sign:
        return ""
    return "выявлен" if sign["flagged"] else "не выявлен"


def campaign_results_table(campaign, results: list[dict]) -> Table:
    columns = [Column("code", "Код ОО", width=14), Column("school", "ОО", width=36),
               Column("municipality", "Муниципалитет", width=30),
               Column("checker", "Проверяющая ОО", width=30), Column("reason", "Основание", width=20),
               Column("drawn", "Отобрано работ", "int", 10), Column("checked", "Проверено", "int", 10),
               Column("changed_share", "Изменена отметка, %", "percent", 12),
               Column("mean_shift", "Средний сдвиг (школа − эксперты)", "number", 14),
               Column("direction", "Направление", width=20),
               Column("discrepant", "Работ с расхождением выше порога", "int", 14),
               Column("sign", "Признак перепроверки", width=14), Column("explanation", "Пояснение", width=60)]
    rows = ({"code": r["member"].school.code, "school": r["member"].school.short_name,
             "municipality": str(r["member"].school.municipality or ""),
             "checker": r["member"].checker_school.short_name if r["member"].checker_school else "",
             "reason": r["member"].get_reason_display(), "drawn": r["drawn"], "checked": r["checked"],
             "changed_share": r["changed_share"], "mean_shift": r["mean_shift"], "direction": r["direction"],
             "discrepant": r["discrepant"], "sign": sign_text(r["sign"]),
             "explanation": r["sign"]["explanation"] if r["sign"] else ""} for r in results)
    return Table("Результаты перепроверки", columns, rows, filename=f"campaign-{campaign.pk}")


def scores_template_table(campaign, labels: list[str], assignments) -> Table:
    """The expert's score sheet for one campaign: one row per assigned work, codes only; it comes back filled
    through `services.expert_scores_import`."""
    columns = [Column("assignment", "№ назначения", "int", 14), Column("code", "Код участника", width=16)]
    columns += [Column(f"t{i}", f"Задание {label}", "int", 10) for i, label in enumerate(labels)]
    rows = ({"assignment": a.pk, "code": a.work.participant_code,
             **{f"t{i}": score for i, score in enumerate(a.scores or [])}} for a in assignments)
    return Table("Баллы эксперта", columns, rows, filename=f"scores-campaign-{campaign.pk}")


def campaign_list_table(campaigns) -> Table:
    columns = [Column("title", "Кампания", width=50), Column("procedure", "Процедура", width=40),
               Column("kind", "Вид", width=22),
               Column("status", "Состояние", width=16), Column("schools", "Школ", "int", 8),
               Column("works", "Работ", "int", 8)]
    rows = ({"title": c.title, "procedure": str(c.procedure), "kind": c.get_kind_display(),
             "status": c.get_status_display(),
             "schools": c.school_count, "works": c.work_count} for c in campaigns)
    return Table("Перепроверка работ", columns, rows, filename="kampanii")


def expert_totals(work) -> str:
    return "; ".join(f"{a.order}. {a.expert.full_name}: {a.total if a.scores is not None else 'ожидается'}"
                     for a in work.assignments.all())


def works_table(campaign, works) -> Table:
    """The centre's list of drawn works: participant codes, so the export is logged as pupil-level data."""
    columns = [Column("school", "ОО", width=36), Column("code", "Код участника", width=16),
               Column("school_primary", "Балл школы", "number", 10),
               Column("experts", "Эксперты (сумма баллов)", width=50),
               Column("final_primary", "Итог", "number", 8), Column("school_mark", "Отметка школы", "int", 10),
               Column("final_mark", "Итоговая отметка", "int", 10),
               Column("discrepant", "Расхождение выше порога", width=12),
               Column("third", "Третья проверка", width=12)]
    rows = ({"school": w.campaign_school.school.short_name, "code": w.participant_code,
             "school_primary": w.school_primary,
             "experts": expert_totals(w), "final_primary": w.final_primary if w.is_final else None,
             "school_mark": w.school_mark, "final_mark": w.final_mark, "discrepant": "да" if w.discrepant else "",
             "third": "да" if w.third_called else ""} for w in works)
    return Table(f"Работы {campaign.title}", columns, rows, filename=f"raboty-{campaign.pk}", personal_data=True)


def observer_table(assignments) -> Table:
    columns = [Column("date", "Дата", "date", 12), Column("procedure", "Процедура", width=40),
               Column("school", "ОО", width=36),
               Column("observer", "Наблюдатель", width=30), Column("kind", "Вид", width=20),
               Column("stage", "Этап", width=18),
               Column("report", "Отчёт", width=24)]
    rows = ({"date": a.date, "procedure": str(a.procedure), "school": a.school.short_name, "observer": a.full_name,
             "kind": a.get_kind_display(), "stage": a.get_stage_display(), "report": report_text(a)}
            for a in assignments)
    return Table("Наблюдатели", columns, rows, filename="nablyudateli")


def report_text(assignment) -> str:
    report = getattr(assignment, "report", None)
    if report is None:
        return "нет"
    return f"представлен: отмечено {len(report.violations)}" if report.violations else "представлен"


def controlled_index_table(procedures) -> Table:
    columns = [Column("procedure", "Процедура", width=50), Column("participants", "Участвующих школ", "int", 14),
               Column("controlled", "Под контролем", "int", 12)]
    rows = ({"procedure": str(p), "participants": p.participants, "controlled": p.controlled} for p in procedures)
    return Table("Контрольная выборка", columns, rows, filename="kontrolnaya-vyborka")


FIGURE_COLUMNS = [Column("schools", "Школ", "int", 8), Column("participants", "Участников", "int", 11),
                  Column("mean_primary", "Средний первичный балл", "number", 12),
                  Column("share_2", "«2», %", "percent", 9),
                  Column("success", "Успеваемость, %", "percent", 12), Column("quality", "Качество, %", "percent", 11)]
FIGURE_ROWS = [("all", "Все школы"), ("controlled", "Только контрольная выборка"),
               ("uncontrolled", "Без контрольной выборки")]


def controlled_figures_table(procedure, figures: dict) -> Table:
    columns = [Column("group", "Школы", width=30)] + FIGURE_COLUMNS
    rows = [{"group": title, **figures[key]} for key, title in FIGURE_ROWS]
    return Table(f"Показатели {procedure.code}", columns, rows, filename=f"kontrol-pokazateli-{procedure.code}")


def controlled_sample_table(procedure, participations) -> Table:
    columns = [Column("school", "ОО", width=40), Column("code", "Код ОО", width=14),
               Column("municipality", "Муниципалитет", width=32),
               Column("control", "Контроль", width=24)]
    rows = ({"school": p.school.short_name, "code": p.school.code, "municipality": str(p.school.municipality or ""),
             "control": p.get_control_display() if p.control else ""} for p in participations)
    return Table(f"Контрольная выборка {procedure.code}", columns, rows, filename=f"kontrol-{procedure.code}")
