"""Periods of indicator values: «2026» for a year, «2026Q3» for a quarter (calendar quarters)."""
import re
from datetime import date

PERIOD_RE = re.compile(r"^(\d{4})(?:Q([1-4]))?$")


def parse(period: str) -> tuple[int, int | None]:
    match = PERIOD_RE.match(period or "")
    if not match:
        raise ValueError(f"Период «{period}» не распознан: ожидается 2026 или 2026Q3.")
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def year_of(period: str) -> int:
    return parse(period)[0]


def is_quarter(period: str) -> bool:
    return parse(period)[1] is not None


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def previous(period: str) -> str:
    year, quarter = parse(period)
    if quarter is None:
        return str(year - 1)
    return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"


def quarter_end(period: str) -> date:
    year, quarter = parse(period)
    month = 3 * quarter
    return date(year, month, 31 if month in (3, 12) else 30)


def label(period: str) -> str:
    year, quarter = parse(period)
    return f"{year} год" if quarter is None else f"{quarter} квартал {year} года"


def current(today: date) -> tuple[str, str]:
    """The current year and quarter periods."""
    return str(today.year), quarter_of(today)
