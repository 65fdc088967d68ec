"""Deadlines as people write them in roadmaps, read into a structured schedule.

Pure functions, no ORM. The text is always kept verbatim by the caller; what this module cannot read
with certainty comes back as UNPARSED — it never guesses. A month written without a year takes its
year from the document's period: in an academic year (1 September – 31 August) September–December
belong to the first year and January–August to the second; in a calendar-year document, to that year.
"""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field, replace
from datetime import date
import re


class Kind:
    DATE = "date"
    RANGE = "range"
    QUARTER = "quarter"
    ACADEMIC_YEAR = "academic_year"
    RECURRING = "recurring"
    CONDITIONAL = "conditional"
    NONE = "none"  # the cell is empty
    UNPARSED = "unparsed"

    DATED = {DATE, RANGE, QUARTER, ACADEMIC_YEAR}  # these have a real due date


KIND_LABELS = {
    Kind.DATE: "дата",
    Kind.RANGE: "период",
    Kind.QUARTER: "квартал",
    Kind.ACADEMIC_YEAR: "учебный год",
    Kind.RECURRING: "регулярно",
    Kind.CONDITIONAL: "по графику / приказу",
    Kind.NONE: "срок не указан",
    Kind.UNPARSED: "не распознан",
}

RECURRENCE_LABELS = {
    "quarterly": "ежеквартально",
    "monthly": "ежемесячно",
    "weekly": "еженедельно",
    "yearly": "ежегодно",
    "continuous": "постоянно",
    "throughout": "в течение периода",
    "as_needed": "по мере необходимости",
}


@dataclass(frozen=True)
class Period:
    """The document's period: a calendar year (2020) or an academic year (2019/2020 → first_year=2019)."""

    first_year: int
    academic: bool = False

    @property
    def start(self) -> date:
        return date(self.first_year, 9, 1) if self.academic else date(self.first_year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.first_year + 1, 8, 31) if self.academic else date(self.first_year, 12, 31)

    def year_of_month(self, month: int) -> int:
        if self.academic and month < 9:
            return self.first_year + 1
        return self.first_year

    def as_text(self) -> str:
        return f"{self.first_year}/{self.first_year + 1} учебный год" if self.academic else f"{self.first_year} год"


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: str
    start: date | None = None
    end: date | None = None  # the due date
    recurrence: str = ""
    parts: tuple = field(default=())  # (start, end) pairs when several dates are listed
    note: str = ""  # what the reader assumed and a person should check (a year not written, say)

    @property
    def is_parsed(self) -> bool:
        return self.kind not in {Kind.UNPARSED}

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def recurrence_label(self) -> str:
        return RECURRENCE_LABELS.get(self.recurrence, "")


MONTH_STEMS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
MONTH_ENDINGS = ("", "ь", "я", "е", "й", "а")
MONTHS = {
    stem + ending: number
    for stem, number in MONTH_STEMS.items()
    for ending in MONTH_ENDINGS
    if not (stem == "ма" and ending in {"", "ь", "а"})
}
MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

FREQUENCY_WORDS = [
    ("ежекварталь", "quarterly"), ("ежеквартал", "quarterly"), ("ежемесяч", "monthly"),
    ("еженедел", "weekly"), ("ежегодн", "yearly"),
]
CONTINUOUS_WORDS = ["постоянно", "систематически", "на постоянной основе", "в постоянном режиме", "регулярно"]
AS_NEEDED_WORDS = ["по мере необходимости", "по мере поступления", "по запросу", "при необходимости"]
CONDITIONAL_WORDS = [
    "в соответствии с", "согласно", "по отдельному", "по графику", "в сроки, установленные", "в установленные сроки",
    "в сроки, определенные", "по согласованию", "по плану", "по приказу",
]
THROUGHOUT = re.compile(r"в течение (?:всего )?(?:(учебного|календарного) )?(года|периода)")


def normalise(text: str) -> str:
    """Lower case, one kind of dash, no year words: «Ноябрь-декабрь 2019года» → «ноябрь-декабрь 2019»."""
    value = text.lower().replace("ё", "е").replace("\xa0", " ")
    value = re.sub(r"[‐‑‒–—―−]", "-", value)
    value = re.sub(r"(\d)([а-я])", r"\1 \2", value)
    value = re.sub(r"(\d{4})\s*(?:гг\.?|г\.?\s*г\.?|года|году|годы|годов|год|г\.?)(?![а-я])", r"\1", value)
    value = re.sub(r"\s+", " ", value).strip(" .;,")
    value = LEADING_PREPOSITION.sub("", value)
    return value.strip()


def last_day(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def full_year(raw: str | None) -> int | None:
    if not raw:
        return None
    year = int(raw)
    return 2000 + year if year < 100 else year


def month_number(word: str) -> int | None:
    return MONTHS.get(word)


def year_for(month: int, year: int | None, period: Period | None) -> int | None:
    if year is not None:
        return year
    return period.year_of_month(month) if period else None


# ---- single pieces: a date, a month ----------------------------------------------------------------

NUMERIC_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
WORD_DATE = re.compile(r"(\d{1,2}) (" + MONTH + r")(?: (\d{4}))?")
MONTH_YEAR = re.compile(r"(" + MONTH + r")(?: (\d{4}))?")


def read_date(text: str, period: Period | None, default_year: int | None = None) -> date | None:
    """«15 августа 2019», «31.12.2020», «1 ноября» (year from the period)."""
    match = NUMERIC_DATE.fullmatch(text)
    if match:
        return safe_date(full_year(match.group(3)), int(match.group(2)), int(match.group(1)))
    match = WORD_DATE.fullmatch(text)
    if match:
        month = month_number(match.group(2))
        year = full_year(match.group(3)) or default_year or year_for(month, None, period)
        return safe_date(year, month, int(match.group(1))) if year else None
    return None


def read_month(text: str, period: Period | None, default_year: int | None = None) -> tuple[date, date] | None:
    match = MONTH_YEAR.fullmatch(text)
    if not match:
        return None
    month = month_number(match.group(1))
    year = full_year(match.group(2)) or default_year or year_for(month, None, period)
    if year is None:
        return None
    return date(year, month, 1), last_day(year, month)


DAYS_OF_MONTH = re.compile(r"(?:с )?(\d{1,2}) ?(?:-|по) ?(\d{1,2}) (" + MONTH + r")(?: (\d{4}))?")
MONTH_TO_MONTH = re.compile(r"(?:с )?(" + MONTH + r"(?: \d{4})?) ?(?:-| по ) ?(" + MONTH + r"(?: \d{4})?)")
END_OF = re.compile(r"конца (?:(" + MONTH + r")(?: (\d{4}))?|(\d{4}))")
LEADING_PREPOSITION = re.compile(r"^(?:в|во|на)\s+(?=\d|" + MONTH + r"\b)")


def trailing_year(text: str) -> int | None:
    match = re.search(r"(\d{4})$", text)
    return int(match.group(1)) if match else None


def read_span(text: str, period: Period | None) -> tuple[date, date] | None:
    """One date, one month, a range of either, a year or a quarter/half-year: (start, end)."""
    text = text.strip()
    for reader in (read_single_day, read_single_month, read_day_range, read_month_range, read_year, read_quarter,
                   read_half_year):
        span = reader(text, period)
        if span:
            return span
    return None


def read_single_day(text, period):
    day = read_date(text, period)
    return (day, day) if day else None


def read_single_month(text, period):
    return read_month(text, period)


def read_day_range(text, period):
    """«14 сентября - 12 октября 2020», «с 1 по 15 сентября 2020», «10-15 сентября 2020»."""
    match = DAYS_OF_MONTH.fullmatch(text)
    if match:
        month = month_number(match.group(3))
        year = year_for(month, full_year(match.group(4)), period)
        if year is None:
            return None
        start, end = safe_date(year, month, int(match.group(1))), safe_date(year, month, int(match.group(2)))
        return (start, end) if start and end and start <= end else None
    match = re.fullmatch(r"(?:с )?(.+?) ?(?:-| по ) ?(.+)", text)
    if not match:
        return None
    end = read_date(match.group(2), period)
    if end is None:
        return None
    start = read_date(match.group(1), period, default_year=end.year)
    if start and start > end and not re.search(r"\d{4}", match.group(1)):
        start = read_date(match.group(1), period, default_year=end.year - 1)
    return (start, end) if start and start <= end else None


def read_month_range(text, period):
    """«март-апрель 2020», «сентябрь 2020 - май 2021», «июль-август» (year from the period)."""
    match = MONTH_TO_MONTH.fullmatch(text)
    if not match:
        return None
    first_text, second_text = match.group(1), match.group(2)
    second = read_month(second_text, period)
    if second is None:
        return None
    first_year_written = trailing_year(first_text)
    first = read_month(first_text, period, default_year=first_year_written or trailing_year(second_text))
    if first and first[0] > second[0] and first_year_written is None and trailing_year(second_text):
        # «сентябрь - май 2021»: a range runs forward, so the first month is in the year before.
        first = read_month(first_text, period, default_year=second[0].year - 1)
    if first is None or first[0] > second[0]:
        return None
    return first[0], second[1]


def read_year(text, period):
    match = re.fullmatch(r"(?:в течение )?(\d{4})(?: ?- ?(\d{4}))?", text)
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    return (date(first, 1, 1), date(last, 12, 31)) if first <= last else None


QUARTER = re.compile(r"(?:в )?(?:(\d)|(iv|i{1,3}))(?: ?-? ?(?:м|й|ом))? квартал[а-я]*(?: (\d{4}))?")


def read_quarter(text, period):
    match = QUARTER.fullmatch(text)
    if not match:
        return None
    number = int(match.group(1)) if match.group(1) else ROMAN[match.group(2)]
    if not 1 <= number <= 4:
        return None
    first_month = 3 * number - 2
    year = full_year(match.group(3))
    if year is None and period is not None:
        if period.academic and number == 3:
            return None  # July–September straddles two academic years: don't guess
        year = period.year_of_month(first_month)
    if year is None:
        return None
    return date(year, first_month, 1), last_day(year, first_month + 2)


def read_half_year(text, period):
    match = re.fullmatch(r"(?:в )?(1|2|i|ii|перв[а-я]*|втор[а-я]*)(?: ?-? ?(?:м|е|ом))? полугоди[а-я]*(?: (\d{4}))?", text)
    if not match:
        return None
    first_half = match.group(1) in {"1", "i"} or match.group(1).startswith("перв")
    year = full_year(match.group(2))
    if year is None:
        if period is None or period.academic:
            return None
        year = period.first_year
    return (date(year, 1, 1), date(year, 6, 30)) if first_half else (date(year, 7, 1), date(year, 12, 31))


# ---- whole phrases ----------------------------------------------------------------------------------

ACADEMIC_YEAR = re.compile(r"(?:в течение )?(\d{4}) ?[/-] ?(\d{2}|\d{4}) учебн[а-я]* год[а-я]*")
DEADLINE_PREFIX = re.compile(r"^(?:до|не позднее|не позже|в срок до|срок до|по)\s+(.+)$")


def parse_deadline(text: str, period: Period | None = None) -> Deadline:
    """Reads one deadline cell. See the module docstring for the rules."""
    verbatim = re.sub(r"\s+", " ", (text or "")).strip()
    value = normalise(verbatim)
    if not value:
        return Deadline(verbatim, Kind.NONE)
    for reader in (read_academic_year, read_frequency, read_conditional, read_throughout, read_as_needed,
                   read_continuous, read_due_by, read_dated_phrase, read_list):
        result = reader(value, period, verbatim)
        if result is not None:
            return result
    return Deadline(verbatim, Kind.UNPARSED)


def read_academic_year(value, period, verbatim):
    match = ACADEMIC_YEAR.fullmatch(value)
    if not match:
        return None
    first, second = int(match.group(1)), full_year(match.group(2)) if len(match.group(2)) == 2 else int(match.group(2))
    if second % 100 != (first + 1) % 100:
        return Deadline(verbatim, Kind.UNPARSED)
    academic = Period(first, academic=True)
    return Deadline(verbatim, Kind.ACADEMIC_YEAR, academic.start, academic.end)


def period_bounds(period: Period | None, academic_only: bool = False) -> tuple[date | None, date | None]:
    if period is None or (academic_only and not period.academic):
        return None, None
    return period.start, period.end


def read_frequency(value, period, verbatim):
    for word, recurrence in FREQUENCY_WORDS:
        if word in value:
            start, end = period_bounds(period)
            return Deadline(verbatim, Kind.RECURRING, start, end, recurrence)
    return None


def read_conditional(value, period, verbatim):
    if not any(word in value for word in CONDITIONAL_WORDS):
        return None
    throughout = THROUGHOUT.search(value)
    start, end = period_bounds(period, academic_only=bool(throughout and throughout.group(1) == "учебного"))
    return Deadline(verbatim, Kind.CONDITIONAL, *(period_bounds_if(throughout, start, end)))


def period_bounds_if(flag, start, end):
    return (start, end) if flag else (None, None)


def read_throughout(value, period, verbatim):
    match = THROUGHOUT.fullmatch(value)
    if not match:
        return None
    start, end = period_bounds(period, academic_only=match.group(1) == "учебного")
    return Deadline(verbatim, Kind.RECURRING, start, end, "throughout")


def read_as_needed(value, period, verbatim):
    if any(value.startswith(word) for word in AS_NEEDED_WORDS):
        return Deadline(verbatim, Kind.RECURRING, recurrence="as_needed")
    return None


def read_continuous(value, period, verbatim):
    if value in CONTINUOUS_WORDS:
        start, end = period_bounds(period)
        return Deadline(verbatim, Kind.RECURRING, start, end, "continuous")
    return None


def read_due_by(value, period, verbatim):
    """«до 15 августа 2019», «не позднее 31.12.2020», «до конца 2020»."""
    match = DEADLINE_PREFIX.match(value)
    if not match:
        return None
    rest = match.group(1)
    day = read_date(rest, period)
    if day:
        return Deadline(verbatim, Kind.DATE, None, day)
    end_of = END_OF.fullmatch(rest)
    if end_of:
        span = read_month(end_of.group(1) + (f" {end_of.group(2)}" if end_of.group(2) else ""), period) \
            if end_of.group(1) else read_year(end_of.group(3), period)
        if span:
            return Deadline(verbatim, Kind.DATE, None, span[1])
    return Deadline(verbatim, Kind.UNPARSED)


def read_dated_phrase(value, period, verbatim):
    span = read_span(value, period)
    if span is None:
        return None
    start, end = span
    if start == end:
        return Deadline(verbatim, Kind.DATE, start, end)
    kind = Kind.QUARTER if QUARTER.fullmatch(value) else Kind.RANGE
    return Deadline(verbatim, kind, start, end)


def read_list(value, period, verbatim):
    """«декабрь 2020, март 2021»: every part must be readable, else the whole is unparsed."""
    pieces = [piece.strip() for piece in re.split(r",|;| и ", value) if piece.strip()]
    if len(pieces) < 2:
        return None
    spans = []
    for piece in pieces:
        span = read_span(normalise(piece), period)
        if span is None:
            return None
        spans.append(span)
    if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:])):
        return None
    return Deadline(verbatim, Kind.RANGE, spans[0][0], spans[-1][1], parts=tuple(spans))


# ---- the document's period ---------------------------------------------------------------------------

PERIOD_ACADEMIC = re.compile(r"(\d{4}) ?[/-] ?(\d{4}) учебн")
PERIOD_CALENDAR = re.compile(r"(?:на|в) (\d{4})(?: год| году|$)")


def parse_period(text: str) -> Period | None:
    """«на 2019-2020 учебный год», «в 2020/2021 учебном году», «на 2024 год»."""
    value = re.sub(r"\s+", " ", (text or "").lower().replace("\xa0", " "))
    match = PERIOD_ACADEMIC.search(value)
    if match and int(match.group(2)) == int(match.group(1)) + 1:
        return Period(int(match.group(1)), academic=True)
    match = PERIOD_CALENDAR.search(value)
    if match:
        return Period(int(match.group(1)))
    return None


# ---- a month written without a year, before the order that approves the document ---------------------

NEXT_YEAR_NOTE = ("Год не указан, а месяц раньше даты приказа ({order:%d.%m.%Y}): срок отнесён к следующему году "
                  "— проверьте.")
STARTS_BEFORE_NOTE = ("Год не указан, срок начинается раньше даты приказа ({order:%d.%m.%Y}): отнесён к году "
                      "приказа — проверьте.")


def year_later(day: date | None) -> date | None:
    if day is None:
        return None
    if day.month == 2 and day.day >= 28:
        return last_day(day.year + 1, 2)  # the end of February stays the end of February
    return day.replace(year=day.year + 1)


def after_order(deadline: Deadline, order_date: date | None) -> Deadline:
    """A plan approved in September cannot mean the February behind it: «февраль» is next February.

    Only deadlines written without any year move; one that ends after the order but starts before
    it («август-сентябрь» in an order of 4 September) stays and carries a note to check.
    """
    if order_date is None or deadline.kind not in Kind.DATED or deadline.end is None:
        return deadline
    if re.search(r"\d{4}", deadline.text):
        return deadline
    if deadline.end < order_date:
        return replace(deadline, start=year_later(deadline.start), end=year_later(deadline.end),
                       parts=tuple((year_later(s), year_later(e)) for s, e in deadline.parts),
                       note=NEXT_YEAR_NOTE.format(order=order_date))
    if deadline.start is not None and deadline.start < order_date.replace(day=1):  # the order's own month is not «before»
        return replace(deadline, note=STARTS_BEFORE_NOTE.format(order=order_date))
    return deadline
