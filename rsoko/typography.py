"""Russian typography of numbers and text: decimal commas, thin spaces in thousands, non-breaking spaces.

Pure functions with no Django app behind them, so that any app writing Russian text for people can use them:
the PDF templates (as filters), the reports' summary sentences, the explanations of the analytics.
"""
import math
import re
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
THIN = "\u202f"  # narrow no-break space: groups thousands and never breaks the number
SHORT_WORDS = re.compile(r"(?<![\w-])(в|во|и|к|ко|с|со|о|об|от|по|на|за|из|до|не|ни|а|у|для|при|без)\s+", re.IGNORECASE)
UNITS = re.compile(r"(\d)\s+(%|п\.\s?п\.|чел\.|ОО|г\.|балл)")
RELATIONS = re.compile(r"\s+([=<>≤≥])\s+")  # «p = 0,63»: a line never breaks inside a formula


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _is_number(value) -> bool:
    return value is not None and not isinstance(value, bool) and isinstance(value, (int, float))


def _russian(text: str) -> str:
    """A figure Python wrote the English way («-12,345.6») written the Russian way («−12 345,6»)."""
    return text.replace(",", THIN).replace(".", ",").replace("-", "−")


def number(value, digits: int = 1) -> str:
    """12345.67 → «12 345,7» (thin space, decimal comma); None → «—»."""
    if not _is_number(value) or math.isnan(value):
        return "—"  # also a template's missing value ("")
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"  # a z-score of a p-value of exactly 0 or 1
    if isinstance(value, int) or digits == 0:
        text = f"{round(value):,}"
    else:
        text = f"{value:,.{digits}f}"
    return _russian(text)


def as_number(value):
    """What a template hands a filter, as a number: Decimal fields, figures kept as text in JSON ("12.5"); missing
    values (None, a template's "" for a missing key) and anything that is not a number → None."""
    if _is_number(value):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ".")) if value.strip() else None
        except ValueError:
            return None
    return None


def trimmed(value, digits: int = 2) -> str:
    """A figure with at most `digits` decimals and no trailing zeros: 7.50 → «7,5», 12000 → «12 000»; missing → «—»."""
    value = as_number(value)
    if value is None:
        return "—"
    if isinstance(value, float) and not math.isfinite(value):
        return number(value)
    text = number(value, digits)
    return text.rstrip("0").rstrip(",") if "," in text else text


def signed(value, digits: int = 1) -> str:
    """A change with its sign always shown: «+3,4», «−2,0»."""
    if not _is_number(value):
        return "—"
    return f"+{number(value, digits)}" if value > 0 else number(value, digits)


def significant(value, digits: int = 2) -> str:
    """To `digits` significant digits, as p-values are quoted: 0.01408 → «0,014»; a tiny one as a power of ten,
    3.4e-05 → «3,4·10⁻⁵» (Python's «e-05» means nothing to a reader)."""
    if not _is_number(value):
        return "—"
    mantissa, _, exponent = f"{value:,.{digits}g}".partition("e")
    if not exponent:
        return _russian(mantissa)
    return f"{_russian(mantissa)}·10{str(int(exponent)).translate(SUPERSCRIPT)}"


def number_half_up(value, digits: int = 1) -> str:
    """Like `number`, but a half rounds up as Django's floatformat does (2,25 → «2,3», not «2,2»): for figures
    that must read exactly as a portal page prints them with floatformat."""
    if not _is_number(value):
        return "—"
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return number(int(rounded) if digits == 0 else float(rounded), digits)


def percent(value, digits: int = 1) -> str:
    return "—" if value is None else f"{number(value, digits)}{NBSP}%"


def points(value, digits: int = 1) -> str:
    """A difference of percentages: «1,2 п. п.»."""
    return f"{number(abs(value), digits)}{NBSP}п.{NBSP}п."


def typeset(text: str) -> str:
    """Non-breaking spaces after short words, before units and around = < > ≤ ≥, «ёлочки» instead of straight
    quotes."""
    text = re.sub(r'"([^"]*)"', "«\\1»", text)
    text = RELATIONS.sub(lambda m: NBSP + m.group(1) + NBSP, text)
    text = SHORT_WORDS.sub(lambda m: m.group(1) + NBSP, text)
    return UNITS.sub(lambda m: m.group(1) + NBSP + m.group(2), text)


def plural(count: int, one: str, few: str, many: str) -> str:
    """Russian plural: 1 школа, 2 школы, 5 школ."""
    n = abs(count) % 100
    if 11 <= n <= 14:
        return many
    return {1: one, 2: few, 3: few, 4: few}.get(n % 10, many)


def counted(count: int, one: str, few: str, many: str) -> str:
    """A count with its noun: «24 участника», «1 школа», «12 000 школ» (no-break space between them)."""
    return f"{number(int(count), 0)}{NBSP}{plural(int(count), one, few, many)}"
