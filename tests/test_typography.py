"""Russian number typography shared by pages, reports and analytics texts (rsoko.typography)."""
import pytest

from rsoko.typography import (NBSP, THIN, number, number_half_up, percent, plural, points, significant,
                              signed, typeset)


def test_numbers_use_a_decimal_comma_and_thin_spaces_in_thousands():
    assert number(12345.678) == f"12{THIN}345,7"
    assert number(2401, 0) == f"2{THIN}401"
    assert number(-1.25, 2) == "−1,25"
    assert number(None) == "—" and number(float("nan")) == "—"
    assert number(float("-inf"), 2) == "−∞" and number(float("inf")) == "∞"
    assert percent(8.2466) == f"8,2{NBSP}%"
    assert points(-1.234) == f"1,2{NBSP}п.{NBSP}п."


def test_short_words_and_units_are_bound_and_quotes_become_guillemets():
    text = typeset('Доля "2" в школах и по району 5 %')
    assert "«2»" in text and f"в{NBSP}школах" in text and f"и{NBSP}по{NBSP}району" in text and f"5{NBSP}%" in text


@pytest.mark.parametrize("count, word", [(1, "школа"), (3, "школы"), (5, "школ"), (11, "школ"), (22, "школы"), (111, "школ")])
def test_russian_plurals(count, word):
    assert plural(count, "школа", "школы", "школ") == word


def test_half_up_rounding_matches_the_pages_floatformat():
    """The campaign summary repeats figures the campaign page prints with floatformat, which rounds halves up."""
    from django.template.defaultfilters import floatformat

    for value, digits in ((12.5, 0), (0.25, 1), (2.35, 1), (-0.25, 1), (83.33333333333333, 0), (1234.5, 0)):
        page = floatformat(value, digits).replace(".", ",").replace("\u00a0", "").replace(" ", "")
        printed = number_half_up(value, digits).replace("\u202f", "").replace("−", "-")
        assert printed == page, (value, digits)
    assert number_half_up(None) == "—"


def test_small_quantities_keep_their_significant_digits_and_read_as_powers_of_ten():
    """p-values are quoted to two significant digits; a tiny one as «3,4·10⁻⁵», never as «3.4e-05»."""
    assert significant(0.014084) == "0,014"
    assert significant(0.0034) == "0,0034"
    assert significant(3.4e-05) == "3,4·10⁻⁵"
    assert significant(1e-31) == "1·10⁻³¹"
    assert significant(-2.5e-7) == "−2,5·10⁻⁷"
    assert significant(123456.0) == "1,2·10⁵"
    assert significant(0.05, 6) == "0,05" and significant(0.0, 6) == "0" and significant(12345.0, 6) == f"12{THIN}345"
    assert significant(None) == "—"


def test_a_signed_figure_shows_its_plus():
    assert signed(3.44) == "+3,4" and signed(-2.0) == "−2,0" and signed(0.0) == "0,0" and signed(None) == "—"


def test_a_formula_is_bound_around_its_relation_sign():
    text = typeset("z = −1,04 по 2 процедурам, p = 0,3, q = 2,1·10⁻²⁹ ≤ 0,05: признак")
    assert "z\u00a0=\u00a0−1,04" in text and "q\u00a0=\u00a02,1·10⁻²⁹\u00a0≤\u00a00,05" in text
    assert "по\u00a02 процедурам" in text


def test_a_template_figure_is_read_from_decimals_and_text_and_missing_is_a_dash():
    from rsoko import typography
    from decimal import Decimal

    assert typography.trimmed(Decimal("12.50")) == "12,5" and typography.trimmed(Decimal("12000")) == "12\u202f000"
    assert typography.trimmed("") == typography.trimmed(None) == typography.trimmed("abc") == "—"
    assert typography.trimmed(7.0) == "7" and typography.trimmed(0.125) == "0,12"
