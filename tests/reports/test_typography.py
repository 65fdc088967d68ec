import pytest
from django.core.exceptions import ValidationError

from reports import summary
from reports.periods import Quarter
from reports.typography import NBSP, THIN, number, percent, plural, points, typeset


def test_numbers_use_a_decimal_comma_and_thin_spaces_in_thousands():
    assert number(12345.678) == f"12{THIN}345,7"
    assert number(2401, 0) == f"2{THIN}401"
    assert number(-1.25, 2) == "−1,25"
    assert number(None) == "—"
    assert percent(8.2466) == f"8,2{NBSP}%"
    assert points(-1.234) == f"1,2{NBSP}п.{NBSP}п."


def test_short_words_and_units_are_bound_and_quotes_become_guillemets():
    text = typeset('Доля "2" в школах и по району 5 %')
    assert "«2»" in text and f"в{NBSP}школах" in text and f"и{NBSP}по{NBSP}району" in text and f"5{NBSP}%" in text


@pytest.mark.parametrize("count, word", [(1, "школа"), (3, "школы"), (5, "школ"), (11, "школ"), (22, "школы"), (111, "школ")])
def test_russian_plurals(count, word):
    assert plural(count, "школа", "школы", "школ") == word


def test_quarters_parse_and_step():
    quarter = Quarter.parse("2026Q3")
    assert (quarter.start.isoformat(), quarter.end.isoformat()) == ("2026-07-01", "2026-09-30")
    assert Quarter.parse("2026Q1").previous().code == "2025Q4" and Quarter.parse("2026Q4").next().code == "2027Q1"
    assert quarter.title == "III квартал 2026 года"
    with pytest.raises(ValidationError):
        Quarter.parse("2026Q5")


def test_change_sentences_are_written_from_the_numbers():
    assert summary.change_sentence("доля «2»", "по ВПР (математика, 4 класс)", 12.8, 14.0, "с 2025 годом") == (
        f"Доля «2» по ВПР (математика, 4 класс) снизилась на 1,2{NBSP}п.{NBSP}п. по сравнению с 2025 годом: 14,0 % → 12,8 %.")
    assert "выросло на" in summary.change_sentence("качество", "по ОГЭ", 70.0, 65.0, "с 2025 годом", "n")
    assert "не изменилась" in summary.change_sentence("успеваемость", "по ОГЭ", 80.01, 80.0, "с 2025 годом")
    assert summary.change_sentence("успеваемость", "по ОГЭ", None, 80.0, "с 2025 годом") is None


def test_indicator_sentences_read_the_direction():
    row = {"name": "Доля «2»", "unit": "%", "direction": "down", "value": 7.0, "previous_value": 6.0, "target": 5.0}
    sentence = summary.indicator_sentence(row)
    assert "ухудшение на 1,0 %" in sentence and "не достигнуто" in sentence


def test_a_procedure_gets_one_sentence_against_the_year_before():
    from types import SimpleNamespace

    procedure = SimpleNamespace(kind=SimpleNamespace(code="ВПР"), subject=SimpleNamespace(name="Математика"), grade=4)
    section = SimpleNamespace(procedure=procedure, marks={"pct_2": 8.2, "success_pct": 91.8, "quality_pct": 75.0},
                              previous_year={"year": 2025, "pct_2": 9.7, "success_pct": 90.3, "quality_pct": 75.0})
    (sentence,) = summary.procedure_sentences(section)
    assert sentence.startswith("По ВПР (математика, 4 класс) по сравнению с 2025 годом: доля «2» снизилась на 1,5")
    assert "успеваемость выросла на 1,5" in sentence and "качество не изменилось (75,0 %)" in sentence


def test_half_up_rounding_matches_the_pages_floatformat():
    """The campaign summary repeats figures the campaign page prints with floatformat, which rounds halves up."""
    from django.template.defaultfilters import floatformat

    from reports.typography import number_half_up

    for value, digits in ((12.5, 0), (0.25, 1), (2.35, 1), (-0.25, 1), (83.33333333333333, 0), (1234.5, 0)):
        page = floatformat(value, digits).replace(".", ",").replace("\u00a0", "").replace(" ", "")
        printed = number_half_up(value, digits).replace("\u202f", "").replace("−", "-")
        assert printed == page, (value, digits)
    assert number_half_up(None) == "—"


def test_decimal_points_inside_a_sentence_become_commas():
    from reports.typography import decimal_commas

    assert decimal_commas("средний сдвиг +3.4 (порог 20 %), код VPR-2026-MA-4, п. 1. Итог") == \
        "средний сдвиг +3,4 (порог 20 %), код VPR-2026-MA-4, п. 1. Итог"


def test_a_joined_list_is_escaped_once():
    """«ρ Спирмена < 0» must print as «<», not as «&lt;» (join escapes, typeset must not escape again)."""
    from django.template import Context, Template

    rendered = Template('{% load report_typography %}{{ items|join:"; "|typeset }}').render(
        Context({"items": ["Несоответствие отметкам (ρ Спирмена < 0)", "<b>"]}))
    assert rendered == "Несоответствие отметкам (ρ Спирмена &lt; 0); &lt;b&gt;"
