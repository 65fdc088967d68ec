"""The short «что изменилось» paragraph: Russian sentences written from the report's own numbers."""
from rsoko.typography import number, plural, points

MEASURES = (("pct_2", "доля «2»", "f"), ("success_pct", "успеваемость", "f"), ("quality_pct", "качество", "n"))
NOTICEABLE = 0.05  # below this (in percentage points) a change is reported as «не изменилась»
ENDINGS = {"f": "ась", "n": "ось"}


def change_sentence(subject: str, where: str, now, before, since: str, gender: str = "f") -> str | None:
    """«Доля «2» по ВПР (математика, 4 класс) снизилась на 1,2 п. п. по сравнению с 2025 годом: 14,0 % → 12,8 %.»"""
    if now is None or before is None:
        return None
    ending, delta = ENDINGS[gender], now - before
    head = f"{subject[0].upper()}{subject[1:]} {where}"
    if abs(delta) < NOTICEABLE:
        return f"{head} не изменил{ending} по сравнению {since} ({number(now)} %)."
    verb = ("выросла" if gender == "f" else "выросло") if delta > 0 else "снизил" + ending
    return f"{head} {verb} на {points(delta)} по сравнению {since}: {number(before)} % → {number(now)} %."


def procedure_where(procedure) -> str:
    grade = f", {procedure.grade} класс" if procedure.grade else ""
    return f"по {procedure.kind.code} ({procedure.subject.name.lower()}{grade})"


def change_clause(subject: str, now, before, gender: str = "f") -> str | None:
    """«доля «2» снизилась на 1,4 п. п. (9,7 % → 8,2 %)»."""
    if now is None or before is None:
        return None
    delta = now - before
    if abs(delta) < NOTICEABLE:
        return f"{subject} не изменил{ENDINGS[gender]} ({number(now)} %)"
    verb = ("выросла" if gender == "f" else "выросло") if delta > 0 else "снизил" + ENDINGS[gender]
    return f"{subject} {verb} на {points(delta)} ({number(before)} % → {number(now)} %)"


# «Что изменилось» names only the changes that matter: a group of at least MIN_PARTICIPANTS pupils (a few pupils
# more or less swing a small group's shares by many points) whose share moved by at least MATTERS points; the largest
# moves first, at most SUMMARY_PROCEDURES of them. Every procedure stays in the report's own section.
MIN_PARTICIPANTS = 50
MATTERS = 3.0
SUMMARY_PROCEDURES = 5


def largest_move(section) -> float:
    previous, marks = section.previous_year or {}, section.marks or {}
    moves = [abs(marks[key] - previous[key]) for key, _, _ in MEASURES
             if marks.get(key) is not None and previous.get(key) is not None]
    return max(moves, default=0.0)


def matters(section) -> bool:
    participants = (section.marks or {}).get("participants") or 0
    previous_participants = (section.previous_year or {}).get("participants")
    large_enough = participants >= MIN_PARTICIPANTS and (previous_participants is None
                                                        or previous_participants >= MIN_PARTICIPANTS)
    return large_enough and largest_move(section) >= MATTERS


def procedure_sentences(section) -> list[str]:
    """One sentence for a procedure: the three key shares against the same procedure a year before."""
    previous, marks = section.previous_year, section.marks
    if not previous or not marks:
        return []
    clauses = [change_clause(title, marks.get(key), previous.get(key), gender) for key, title, gender in MEASURES]
    clauses = [c for c in clauses if c]
    if not clauses:
        return []
    where = procedure_where(section.procedure)
    return [f"{where[0].upper()}{where[1:]} по сравнению с {previous['year']} годом: {', '.join(clauses)}."]


def changed_procedures(sections) -> list[str]:
    """The few procedures whose results changed noticeably, and one sentence for all the others."""
    compared = [s for s in sections if s.previous_year and s.marks]
    notable = sorted((s for s in compared if matters(s)), key=largest_move, reverse=True)
    sentences = [sentence for s in notable[:SUMMARY_PROCEDURES] for sentence in procedure_sentences(s)]
    rest = len(compared) - len(sentences)
    if rest > 0:
        sentences.append(f"По {'остальным ' if sentences else ''}{rest} "
                         f"{plural(rest, 'процедуре', 'процедурам', 'процедурам')}, сравнимым с прошлым годом, "
                         f"доли отметок изменились меньше чем на {number(MATTERS, 0)} п. п. или групп меньше "
                         f"{MIN_PARTICIPANTS} участников: подробности — в разделе 1.")
    return sentences


def higher_is_better(row: dict) -> bool:
    """The monitoring catalog says "higher" or "lower" (is better)."""
    return row.get("direction", "higher") == "higher"


def indicator_sentence(row: dict) -> str | None:
    value, previous, target = row.get("value"), row.get("previous_value"), row.get("target")
    if value is None:
        return None
    unit = f" {row['unit']}" if row.get("unit") else ""
    parts = [f"Показатель «{row['name']}»: {number(value)}{unit}"]
    if previous is not None:
        delta = value - previous
        better = (delta > 0) == higher_is_better(row)
        if abs(delta) >= NOTICEABLE:
            # a change of a percentage is in percentage points: 29,8 % → 38,8 % is «на 9,0 п. п.», not «на 9,0 %»
            amount = points(delta) if row.get("unit") == "%" else f"{number(abs(delta))}{unit}"
            parts.append(f"{'улучшение' if better else 'ухудшение'} на {amount} к прошлому периоду")
        else:
            parts.append("без изменений к прошлому периоду")
    if target is not None:
        reached = value >= target if higher_is_better(row) else value <= target
        parts.append("целевое значение достигнуто" if reached else f"целевое значение ({number(target)}{unit}) не достигнуто")
    return ", ".join(parts) + "."


def summary(sections, signs_count: int, signs_schools: int, shnor_count: int, progress: dict, indicators) -> list[str]:
    sentences = []
    if not sections:
        sentences.append("В квартале оценочные процедуры с загруженными результатами не проводились.")
    else:
        sentences.append(f"В квартале проведено {len(sections)} {plural(len(sections), 'оценочная процедура', 'оценочные процедуры', 'оценочных процедур')} с загруженными результатами.")
    sentences.extend(changed_procedures(sections))
    if signs_schools:
        sentences.append(f"Признаки необъективности, требующие дополнительного анализа, выявлены у {signs_schools} "
                         f"{plural(signs_schools, 'ОО', 'ОО', 'ОО')} (признаков: {signs_count}).")
    else:
        sentences.append("Признаки необъективности, требующие дополнительного анализа, не выявлены.")
    if shnor_count:
        sentences.append(f"В перечне ШНОР {shnor_count} {plural(shnor_count, 'школа', 'школы', 'школ')}.")
    counts = progress["counts"]
    if counts["total"]:
        sentences.append(f"Дорожные карты: выполнено {counts['done']} из {counts['total']} пунктов "
                         f"({number(counts['done_pct'])} %), просрочено {counts['overdue']}, без отчёта {counts['not_reported']}.")
    sentences.extend(filter(None, map(indicator_sentence, notable_indicators(indicators or []))))
    return sentences


SUMMARY_INDICATORS = 5


def notable_indicators(rows: list[dict]) -> list[dict]:
    """The summary is short: only the indicators that moved noticeably, the largest moves first;
    every indicator stands in the report's indicator table."""
    moved = [row for row in rows if row.get("value") is not None and row.get("previous_value") is not None
             and abs(row["value"] - row["previous_value"]) >= NOTICEABLE]
    moved.sort(key=lambda row: abs(row["value"] - row["previous_value"]), reverse=True)
    return moved[:SUMMARY_INDICATORS]
