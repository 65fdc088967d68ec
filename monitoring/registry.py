"""The built-in indicators: their catalog entry and the function computing them (keyed by code).

A migration copies the catalog fields into `Indicator`; `services.indicators_refresh` calls `compute`
with the year's `Sources`. Manual indicators have no function: they come from monitoring forms.
"""
from dataclasses import dataclass
from typing import Callable

from . import compute as c

REGION, MUN, SCHOOL = "region", "municipality", "school"
ALL = [REGION, MUN, SCHOOL]
AREAS = [REGION, MUN]


@dataclass(frozen=True)
class Builtin:
    code: str
    name: str
    source: str
    direction: str
    mechanism: str
    levels: list
    periodicity: str = "year"
    unit: str = "%"
    compute: Callable | None = None
    target: float | None = None
    is_key: bool = False

    @property
    def is_manual(self) -> bool:
        return self.compute is None


def marks_indicators(kind: str, slug: str) -> list[Builtin]:
    stat = f"статистика отметок {kind} (форма 2) по ОО за год"
    return [
        Builtin(f"{slug}_pct_2", f"Доля отметок «2» ({kind})", f"{stat}: Σ«2» / Σ участников с отметкой", "lower",
                "1.1", ALL, compute=lambda s: c.marks_share(s.marks, kind, (2,)), is_key=slug == "vpr"),
        Builtin(f"{slug}_success", f"Успеваемость ({kind}), % «3»–«5»", f"{stat}: Σ«3»–«5» / Σ участников с отметкой",
                "higher", "1.1", ALL, compute=lambda s: c.marks_share(s.marks, kind, (3, 4, 5))),
        Builtin(f"{slug}_quality", f"Качество ({kind}), % «4»–«5»", f"{stat}: Σ«4»–«5» / Σ участников с отметкой",
                "higher", "1.1", ALL, compute=lambda s: c.marks_share(s.marks, kind, (4, 5)), is_key=slug == "vpr"),
        Builtin(f"{slug}_mean_pct", f"Средний процент выполнения ({kind})",
                f"{stat}: средний первичный балл в % от максимума, взвешенный по числу участников", "higher", "1.1",
                ALL, compute=lambda s: c.mean_completion(s.marks, kind)),
    ]


BUILTINS: list[Builtin] = [
    *marks_indicators("ВПР", "vpr"),
    *marks_indicators("ОГЭ", "oge"),
    Builtin("vpr_journal_confirmed", "Доля отметок ВПР, подтвердивших отметку в журнале",
            "сравнение с отметками в журнале (форма 3): Σ подтвердили / Σ сравнённых", "higher", "1.1", ALL,
            compute=lambda s: c.journal_confirmed(s.journal, "ВПР")),
    Builtin("participation", "Охват участием в оценочных процедурах",
            "результаты участников за год: присутствовали / (присутствовали + отсутствовали)", "higher", "1.1", ALL,
            compute=lambda s: c.participation(s.results), is_key=True),
    Builtin("objectivity_index", "Индекс объективности (федеральная методика)",
            "признаки за год: 100 − % оценённых ОО хотя бы с одним официальным признаком в ВПР по русскому языку и "
            "математике в 4–5 классах",
            "higher", "1.1", AREAS, unit="балл", compute=lambda s: c.objectivity_index(s.signs, s.official_criteria),
            target=90.0, is_key=True),
    Builtin("schools_with_signs", "Доля ОО с признаками необъективности (официальная методика)",
            "признаки за год в ВПР по русскому языку и математике в 4–5 классах: ОО хотя бы с одним официальным "
            "признаком / оценённые ОО (= 100 − индекс объективности)", "lower", "1.1", AREAS,
            compute=lambda s: c.signs_share(c.federal_signs(s.signs), s.official_criteria)),
    Builtin("schools_with_any_signs", "Доля ОО с признаками, требующими дополнительного анализа (все критерии)",
            "признаки за год по всем критериям, включая региональные", "lower", "1.1", AREAS,
            compute=lambda s: c.signs_share(s.signs, None)),
    Builtin("federal_two_years", "Доля ОО в федеральном перечне два года подряд",
            "федеральный перечень ОО с признаками: в этом и прошлом году / все ОО", "lower", "1.1", AREAS,
            compute=lambda s: c.marked_two_years(s.schools, s.federal, s.year)),
    Builtin("controlled_sample", "Доля ОО, писавших процедуры под контролем",
            "участники процедур года: ОО хотя бы с одной процедурой с наблюдением или независимой проверкой "
            "/ ОО-участники",
            "higher", "1.1", AREAS, compute=lambda s: c.controlled_sample(s.participations)),
    Builtin("risk_share", "Доля обучающихся в группах риска",
            "группы риска за год: Σ обучающихся ниже базового уровня / Σ участников процедур", "lower", "1.1", ALL,
            compute=lambda s: c.risk_share(s.risk, s.marks), is_key=True),
    Builtin("shnor_share", "Доля ШНОР", "перечень ШНОР года / все ОО", "lower", "1.2", AREAS,
            compute=lambda s: c.schools_share(s.schools, c.listed(s.lists, s.year, "low")), is_key=True),
    Builtin("shnor_improving", "Доля ШНОР прошлого года, улучшивших результаты",
            "ШНОР прошлого года, вышедшие из перечня или повысившие средний % выполнения / ШНОР прошлого года",
            "higher", "1.2", AREAS, compute=lambda s: c.shnor_improving(s.schools, s.lists, s.year)),
    Builtin("high_results_share", "Доля ОО в банке школ с высокими результатами", "банк школ года / все ОО",
            "higher", "1.2", AREAS, compute=lambda s: c.schools_share(s.schools, c.listed(s.lists, s.year, "high"))),
    Builtin("roadmap_done", "Выполнение пунктов дорожных карт",
            "исполнение пунктов: выполнено / все (кроме отменённых), по исполнителям", "higher", "1.2", ALL,
            periodicity="quarter", compute=lambda s: c.assignment_rate(s.assignments, "done"), is_key=True),
    Builtin("roadmap_overdue", "Доля просроченных пунктов дорожных карт",
            "исполнение пунктов: просрочено / все (кроме отменённых), по исполнителям", "lower", "1.2", ALL,
            periodicity="quarter", compute=lambda s: c.assignment_rate(s.assignments, "overdue"), is_key=True),
    Builtin("reports_on_time", "Доля МОУО, представивших отчёт в срок",
            "последний завершённый отчётный период: отчитались до срока / должны были отчитаться", "higher", "1.2",
            AREAS, periodicity="quarter", compute=lambda s: c.reported_on_time(s.reporters), is_key=True),
    Builtin("teachers_trained", "Доля педагогов, прошедших повышение квалификации по оценке результатов",
            "форма мониторинга (заполняют МОУО и ОО); регион — среднее по муниципалитетам", "higher", "2.2", ALL),
    Builtin("ege_mean_pct", "Средний процент выполнения (ЕГЭ)",
            "статистика ЕГЭ (форма 2) по ОО за год: средний первичный балл в % от максимума, взвешенный по числу "
            "участников", "higher", "1.1", ALL, compute=lambda s: c.mean_completion(s.marks, "ЕГЭ")),
    Builtin("observer_violations", "Доля наблюдений, в которых наблюдатели отметили нарушения",
            "отчёты наблюдателей за год: отчёты хотя бы с одним нарушением / все отчёты", "lower", "1.1", ALL,
            compute=lambda s: c.observed_with_violations(s.observations)),
    Builtin("flagged_rechecked", "Доля ОО с признаками необъективности, работы которых перепроверены",
            "ОО с официальными признаками года, попавшие в перепроверку или перекрёстную проверку либо писавшие "
            "с независимой или федеральной проверкой / ОО с признаками", "higher", "1.1", AREAS,
            compute=lambda s: c.flagged_rechecked(s.signs, s.official_criteria, s.rechecked), target=100.0),
    Builtin("teachers_training_coverage", "Охват педагогов повышением квалификации за три года",
            "форма мониторинга (заполняют МОУО и ОО): педагоги, прошедшие ПК за три года / все педагоги", "higher",
            "2.2", ALL),
    Builtin("heads_assessed", "Доля руководителей ОО, прошедших оценку эффективности деятельности",
            "форма мониторинга (заполняют МОУО): руководители, оценённые по показателям эффективности / все "
            "руководители ОО", "higher", "2.1", AREAS),
    Builtin("upbringing_programmes", "Доля ОО, реализующих рабочую программу воспитания с мониторингом результатов",
            "форма мониторинга (заполняют МОУО и ОО)", "higher", "2.3", ALL),
    Builtin("preschool_monitored", "Доля ДОО, участвовавших в мониторинге качества дошкольного образования",
            "форма мониторинга (заполняют МОУО): ДОО-участники / все ДОО", "higher", "2.4", AREAS),
    Builtin("olympiad_coverage", "Доля обучающихся 5–11 классов — участников олимпиад и конкурсов",
            "форма мониторинга (заполняют МОУО и ОО)", "higher", "1.3", ALL),
    Builtin("career_guidance", "Доля обучающихся 6–11 классов, охваченных профориентационными мероприятиями",
            "форма мониторинга (заполняют МОУО и ОО); регион — среднее по муниципалитетам", "higher", "1.4", ALL),
]

BY_CODE = {b.code: b for b in BUILTINS}


def sync_builtins(indicator_model) -> None:
    """Writes the built-ins into the catalog (a migration calls it): new ones are added, the ministry's
    edits of name, target and «key» are kept, everything else follows the code (the mechanism included)."""
    for builtin in BUILTINS:
        fields = catalog_fields(builtin)
        indicator = indicator_model.objects.filter(code=builtin.code).first()
        if indicator is None:
            indicator_model.objects.create(code=builtin.code, **fields)
            continue
        for name, value in fields.items():
            if name not in {"name", "target", "is_key"}:
                setattr(indicator, name, value)
        indicator.save()


def catalog_fields(builtin: Builtin) -> dict:
    """The fields a migration writes into the catalog for a built-in indicator."""
    return {
        "name": builtin.name, "unit": builtin.unit, "source": builtin.source, "direction": builtin.direction,
        "levels": builtin.levels, "periodicity": builtin.periodicity, "mechanism": builtin.mechanism,
        "target": builtin.target, "is_builtin": True, "is_manual": builtin.is_manual, "is_key": builtin.is_key,
        "value_kind": "percent" if builtin.unit == "%" else "number", "min_value": 0.0,
        "max_value": 100.0, "order": BUILTINS.index(builtin),
    }
