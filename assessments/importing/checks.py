"""Normalising and validating a recognised results table: every rule of DOMAIN §3, vectorised.

Cells of a column repeat a handful of values («0», «1», «X», «нет»…), so each rule is applied to the
column's distinct values once and spread back with pandas.factorize: a million rows cost little more
than a thousand. Row errors are collected as (row position, message) pairs naming the Excel row,
the column as headed in the file and the value; a row with any error is refused (strict mode) or
quarantined (quarantine mode). No database access here: the caller passes the registry lookups.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rsoko.typography import number

from .layouts import CLASS, JOURNAL, POSITIONAL, PARTICIPANT, SCHOOL, SEX, TOTAL, VARIANT, RawTable

NOT_ATTEMPTED = {"x", "х", "не пройд.", "не пройд", "не пройден", "не приступал"}
ABSENT_PREFIX = "отсутств"
NO_MARK = {"", "нет отметки", "нет", "-", "—", "н/а"}
NO_CLASS_LETTER = {"НЕТ", "-", "—"}
SEX_WORDS = {"м": "м", "m": "м", "муж": "м", "муж.": "м", "мужской": "м",
             "ж": "ж", "f": "ж", "жен": "ж", "жен.": "ж", "женский": "ж"}
MAX_LISTED_WARNINGS = 50
# A task column above its maximum in more than this share of present pupils (and at least BAD_SPEC_MIN_ROWS of
# them) is a codifier from another kit, not typing errors: quarantining those rows would keep only the weaker
# pupils and bias every figure, so the file is refused (a real regional file lost 53 % of its rows this way).
BAD_SPEC_SHARE, BAD_SPEC_MIN_ROWS = 0.05, 3
CODE_LENGTH, CLASS_LENGTH, VARIANT_LENGTH = 32, 16, 16


@dataclass
class SpecTask:
    position: int
    label: str
    max_score: int


@dataclass
class Checked:
    """Valid rows (canonical values), rejected rows (with reasons) and the file's messages."""

    valid: pd.DataFrame  # row, pos, school_id, participant_code, class_name, sex, journal_mark, variant, status, primary_score
    scores: np.ndarray  # valid rows × tasks, int
    not_attempted: np.ndarray  # valid rows × tasks, bool
    rejected: pd.DataFrame  # row, pos, school_id, reasons (list of messages), outside (the uploader's scope)
    errors: list[str] = field(default_factory=list)  # file errors first, then every row error
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error_schools: list[str] = field(default_factory=list)  # the school (login) of each row error, in order

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def to_quarantine(self) -> pd.DataFrame:
        """Rejected rows the uploader may fix: a school outside their scope is refused, never quarantined (it
        would land in that school's municipality as if it were theirs to correct)."""
        return self.rejected[~self.rejected["outside"].astype(bool)]

    @property
    def refused_outside(self) -> int:
        return int(self.rejected["outside"].astype(bool).sum())


class RowErrors:
    """Collects (position, message) pairs, built column-wise on masked subsets only."""

    def __init__(self, frame: pd.DataFrame):
        self.rows = frame["row"].to_numpy()
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, column: str, values, text: str) -> None:
        """text may hold {value}; values align with the frame (Series or array)."""
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        shown = pd.Series(np.asarray(values, dtype=object)[positions]).astype(str)
        before, _, after = text.partition("{value}")
        messages = (f"Строка " + pd.Series(self.rows[positions]).astype(str) + f", столбец «{column}»: "
                    + (before + shown + after if "{value}" in text else text))
        self.parts.append(pd.DataFrame({"pos": positions, "message": messages.to_numpy()}))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({"pos": np.array([], dtype=int), "message": np.array([], dtype=object)})
        return pd.concat(self.parts, ignore_index=True).sort_values("pos", kind="stable")


def by_unique(values: pd.Series, rule) -> np.ndarray:
    """rule(distinct value) for every cell, computed once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [rule(u) for u in uniques]
    return mapped[codes]


def is_absent(variant: str) -> bool:
    return str(variant).strip().lower().startswith(ABSENT_PREFIX)


def school_key(value: str) -> str:
    """«edu223185 | МКОУ …» and «sch223185» → the login part, lower-cased."""
    return str(value).split("|", 1)[0].strip().lower()


def class_name(value: str) -> str:
    text = "".join(str(value).split()).upper()
    return "" if text in NO_CLASS_LETTER else text


def sex_value(value: str) -> str | None:
    text = str(value).strip().lower()
    return "" if not text else SEX_WORDS.get(text)


NO_JOURNAL_MARK, ODD_JOURNAL_MARK = 0, -1


def journal_mark(value: str) -> int:
    """2…5 (1 is kept too), 0 for «нет отметки» or empty, -1 for anything unreadable."""
    text = str(value).strip().lower()
    if text in NO_MARK:
        return NO_JOURNAL_MARK
    return int(text) if text in {"1", "2", "3", "4", "5"} else ODD_JOURNAL_MARK


OK, NOT_DONE, EMPTY, TEXT, NEGATIVE, FRACTION = range(6)


def score_state(value: str) -> tuple[int, int]:
    """(score, state) of one distinct task cell; states are small ints so the masks stay numeric."""
    text = str(value).strip()
    if not text:
        return 0, EMPTY
    if text.lower() in NOT_ATTEMPTED:
        return 0, NOT_DONE
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return 0, TEXT
    if number != number or number in (float("inf"), float("-inf")):
        return 0, TEXT
    if number < 0:
        return 0, NEGATIVE
    if not number.is_integer():
        return 0, FRACTION
    return int(min(number, 32767)), OK


def spec_errors(raw: RawTable, spec: list[SpecTask]) -> tuple[list[str], list[str]]:
    """File errors when the task columns disagree with the procedure's specification (count, maxima)."""
    if len(raw.tasks) != len(spec):
        return [f"В файле {len(raw.tasks)} столбцов с баллами за задания, а в спецификации процедуры "
                f"{len(spec)} заданий: проверьте, что выбрана нужная процедура."], []
    errors, warnings = [], []
    for task, expected in zip(raw.tasks, spec):
        if task.max_score is not None and task.max_score != expected.max_score:
            errors.append(f"Столбец «{task.column}»: в заголовке максимум {task.max_score} б., а в спецификации "
                          f"задания № {expected.label} — {expected.max_score} б.")
        elif raw.format not in POSITIONAL and task.label != expected.label:
            warnings.append(f"Столбец «{task.column}»: в спецификации на этой позиции задание № {expected.label}.")
    return errors, warnings[:5]


def check_table(raw: RawTable, spec: list[SpecTask], schools: dict[str, int],
                allowed_school_ids: set[int] | None, *, spec_name: str = "спецификации процедуры") -> Checked:
    """Applies every rule; `schools` maps login (lower-case) → school id, None in allowed = everything.

    `spec_name` names where the maxima come from in messages («кодификатору процедуры VPR-2021-GEO-10»)."""
    frame = raw.frame
    file_errors = list(raw.errors)
    warnings = list(raw.warnings)
    if not file_errors:
        more_errors, more_warnings = spec_errors(raw, spec)
        file_errors += more_errors
        warnings += more_warnings
    if file_errors:
        return refused_file(frame, file_errors, warnings, len(spec))
    errors = RowErrors(frame)
    school_ids, outside = check_schools(frame, raw, schools, allowed_school_ids, errors)
    codes = check_codes(frame, raw, school_ids, errors)
    absent = by_unique(frame[VARIANT], is_absent).astype(bool)
    scores, not_attempted, empty, above = check_scores(frame, raw, spec, absent, errors)
    wrong_spec = wrong_spec_errors(raw, spec, above, int((~absent).sum()), spec_name)
    if wrong_spec:
        return refused_file(frame, wrong_spec, warnings, len(spec))
    valid_like = normalise_attributes(frame, raw, errors, warnings)
    primary = scores.sum(axis=1)
    warnings += total_warnings(frame, raw, primary, absent)
    empty_cells = int(empty[~absent].sum())
    if empty_cells:
        warnings.append(f"Пустых ячеек с баллами у участвовавших: {empty_cells}; они учтены как «не приступал» (0 баллов).")
    row_errors = errors.frame()
    bad = np.zeros(len(frame), dtype=bool)
    bad[row_errors["pos"].to_numpy()] = True
    table = pd.DataFrame({
        "row": frame["row"].to_numpy(), "pos": np.arange(len(frame)), "school_id": pd.array(school_ids, dtype="Int64"),
        "participant_code": codes, "status": np.where(absent, "absent", "present"),
        "primary_score": pd.array(np.where(absent, pd.NA, primary), dtype="Int64"), **valid_like,
    })
    reasons = row_errors.groupby("pos", sort=True)["message"].agg(list)
    rejected = table.loc[bad, ["row", "pos", "school_id"]].copy()
    rejected["reasons"] = reasons.reindex(rejected["pos"]).to_numpy()
    rejected["outside"] = outside[bad]
    keep = ~bad
    return Checked(valid=table.loc[keep].reset_index(drop=True), scores=scores[keep], not_attempted=not_attempted[keep],
                   rejected=rejected.reset_index(drop=True), errors=row_errors["message"].tolist(),
                   warnings=warnings, error_schools=by_unique(frame[SCHOOL], school_key)[row_errors["pos"].to_numpy()].tolist())


def refused_file(frame, file_errors, warnings, task_count) -> Checked:
    empty = pd.DataFrame(columns=["row", "pos", "school_id", "reasons", "outside"])
    return Checked(valid=frame.iloc[:0], scores=np.zeros((0, task_count), dtype=np.int16),
                   not_attempted=np.zeros((0, task_count), dtype=bool), rejected=empty,
                   errors=list(file_errors), file_errors=list(file_errors), warnings=warnings)


def check_schools(frame, raw, schools, allowed, errors: RowErrors) -> tuple[np.ndarray, np.ndarray]:
    """School ids of the rows (None: unknown) and which rows name a school outside the uploader's scope."""
    column = raw.columns[SCHOOL]
    keys = by_unique(frame[SCHOOL], school_key)
    ids = pd.Series(keys).map(schools).to_numpy()
    unknown = pd.isna(ids)
    errors.add(unknown & (keys == ""), column, keys, "не указана школа.")
    errors.add(unknown & (keys != ""), column, keys, "школа «{value}» не найдена в реестре организаций.")
    outside = np.zeros(len(frame), dtype=bool)
    if allowed is not None:
        outside = ~unknown & ~pd.Series(ids).isin(allowed).to_numpy()
        errors.add(outside, column, keys, "школа «{value}» вне вашей зоны ответственности (другой муниципалитет): "
                                          "загружать её результаты вы не можете; строка отклонена.")
    return np.where(unknown, None, ids), outside


def check_codes(frame, raw, school_ids, errors: RowErrors) -> np.ndarray:
    column = raw.columns[PARTICIPANT]
    codes = by_unique(frame[PARTICIPANT], lambda v: str(v).strip())
    errors.add(codes == "", column, codes, "не указан код участника.")
    long = pd.Series(codes).str.len().to_numpy() > CODE_LENGTH
    errors.add(long, column, codes, f"код участника «{{value}}» длиннее {CODE_LENGTH} символов.")
    # Schools not in the registry are told apart by the login as written, known ones by their id.
    written = by_unique(frame[SCHOOL], school_key)
    known = pd.Series(school_ids, dtype=object).astype(str)
    school = np.where(pd.isna(school_ids), "?" + pd.Series(written, dtype=object), known)
    keys = pd.DataFrame({"school": school, "code": codes})
    duplicated = keys.duplicated(keep=False).to_numpy() & (codes != "")
    errors.add(duplicated, column, codes, "код участника «{value}» повторяется в этой школе: "
                                          "у каждого участника должен быть свой код.")
    return codes


def check_scores(frame, raw, spec, absent, errors: RowErrors):
    """Scores matrix, not-attempted flags and empty flags; errors for text, negative, fractional, above max."""
    count = len(spec)
    scores = np.zeros((len(frame), count), dtype=np.int16)
    not_attempted = np.zeros((len(frame), count), dtype=bool)
    empty = np.zeros((len(frame), count), dtype=bool)
    above = np.zeros(count, dtype=np.int64)  # present pupils above the task's maximum, per column
    present = ~absent
    for j, (task, expected) in enumerate(zip(raw.tasks, spec)):
        cells = frame[f"t{j + 1}"]
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
        parsed = [score_state(u) for u in uniques]
        values = np.array([p[0] for p in parsed], dtype=np.int16)[codes]
        states = np.array([p[1] for p in parsed], dtype=np.uint8)[codes]
        suspicious = any(state >= TEXT or score > expected.max_score for score, state in parsed)
        if suspicious:  # masks and messages only for columns that have something to say
            score_errors(errors, task, expected, cells, values, states, present)
            above[j] = int((present & (states == OK) & (values > expected.max_score)).sum())
        ok = present & (states == OK)
        scores[:, j] = np.where(ok, values, 0)
        not_attempted[:, j] = present & ((states == NOT_DONE) | (states == EMPTY))
        empty[:, j] = states == EMPTY
    return scores, not_attempted, empty, above


def wrong_spec_errors(raw, spec, above, present: int, spec_name: str) -> list[str]:
    """File errors for task columns above their maximum in too many rows (see BAD_SPEC_SHARE)."""
    errors = []
    for task, expected, count in zip(raw.tasks, spec, above.tolist()):
        if present and count >= BAD_SPEC_MIN_ROWS and count / present > BAD_SPEC_SHARE:
            errors.append(
                f"Столбец «{task.column}»: балл выше максимума задания № {expected.label} ({expected.max_score} б. по "
                f"{spec_name}) у {number(count * 100 / present)} % участников ({count} из {present}). Столько "
                "ошибок — признак кодификатора другого комплекта (другого года), а не опечаток: файл не загружен, "
                "иначе все показатели считались бы только по остальным участникам. Проверьте, что кодификатор "
                "процедуры того же года, что и файл, и загрузите файл снова.")
    return errors


def score_errors(errors: RowErrors, task, expected, cells, values, states, present) -> None:
    column = task.column
    errors.add(present & (states == TEXT), column, cells, "«{value}» — не число (допустимы баллы, X или «не пройд.»).")
    errors.add(present & (states == NEGATIVE), column, cells, "отрицательный балл «{value}».")
    errors.add(present & (states == FRACTION), column, cells, "дробный балл «{value}»: баллы — целые числа.")
    errors.add(present & (states == OK) & (values > expected.max_score), column, cells,
               f"балл «{{value}}» больше максимального за задание № {expected.label} ({expected.max_score}).")


def normalise_attributes(frame, raw, errors: RowErrors, warnings: list[str]) -> dict:
    """Class, sex, journal mark and variant in one spelling; unreadable sex or mark → empty, with a warning."""
    classes = pd.Series(by_unique(frame[CLASS], class_name), dtype=object)
    sexes = by_unique(frame[SEX], sex_value)
    marks = by_unique(frame[JOURNAL], journal_mark).astype(np.int64)
    variants = pd.Series(by_unique(frame[VARIANT], lambda v: str(v).strip()), dtype=object)
    warn_values(warnings, frame, pd.isna(sexes), raw.columns.get(SEX), frame[SEX],
                "пол не распознан (ожидается «м» или «ж»), оставлен пустым")
    warn_values(warnings, frame, marks == ODD_JOURNAL_MARK, raw.columns.get(JOURNAL), frame[JOURNAL],
                "отметка в журнале не распознана (ожидается 2–5 или «нет отметки»), оставлена пустой")
    warn_values(warnings, frame, classes.str.len().to_numpy() > CLASS_LENGTH, raw.columns.get(CLASS), frame[CLASS],
                f"класс длиннее {CLASS_LENGTH} символов, сокращён")
    errors.add(variants.str.len().to_numpy() > VARIANT_LENGTH, raw.columns[VARIANT], variants,
               f"вариант «{{value}}» длиннее {VARIANT_LENGTH} символов.")
    absent = by_unique(frame[VARIANT], is_absent).astype(bool)
    return {
        "class_name": classes.str.slice(0, CLASS_LENGTH).to_numpy(),
        "sex": np.where(pd.isna(sexes), "", sexes),
        "journal_mark": pd.arrays.IntegerArray(np.maximum(marks, 0), marks <= 0),
        "variant": np.where(absent, "", variants.to_numpy()),
    }


def warn_values(warnings, frame, mask, column, values, text) -> None:
    positions = np.flatnonzero(mask)
    if not len(positions) or column is None:
        return
    listed = ", ".join(f"{frame['row'].iat[p]} («{values.iat[p]}»)" for p in positions[:MAX_LISTED_WARNINGS])
    more = f" и ещё {len(positions) - MAX_LISTED_WARNINGS}" if len(positions) > MAX_LISTED_WARNINGS else ""
    warnings.append(f"Столбец «{column}»: {text} — строки {listed}{more}.")


def total_warnings(frame, raw, primary, absent) -> list[str]:
    """The stated total is only a check: the sum of task scores wins."""
    if TOTAL not in raw.columns:
        return []
    stated = pd.to_numeric(pd.Series(by_unique(frame[TOTAL], lambda v: str(v).strip().replace(",", "."))),
                           errors="coerce").to_numpy()
    differs = ~absent & ~np.isnan(stated) & (stated != primary)
    positions = np.flatnonzero(differs)
    if not len(positions):
        return []
    rows = frame["row"].to_numpy()
    listed = ", ".join(f"{rows[p]} (указано {stated[p]:g}, сумма {primary[p]})" for p in positions[:MAX_LISTED_WARNINGS])
    more = f" и ещё {len(positions) - MAX_LISTED_WARNINGS}" if len(positions) > MAX_LISTED_WARNINGS else ""
    return [f"Столбец «{raw.columns[TOTAL]}»: итог не равен сумме баллов за задания в {len(positions)} строках; "
            f"сохранена сумма баллов. Строки: {listed}{more}."]
