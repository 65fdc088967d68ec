import pytest
from django.core.exceptions import ValidationError

from reports import summary
from reports.periods import Quarter
from rsoko.typography import NBSP


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
    assert "ухудшение на 1,0\u00a0п.\u00a0п." in sentence and "не достигнуто" in sentence  # points, not %


def test_a_procedure_gets_one_sentence_against_the_year_before():
    from types import SimpleNamespace

    procedure = SimpleNamespace(kind=SimpleNamespace(code="ВПР"), subject=SimpleNamespace(name="Математика"), grade=4)
    section = SimpleNamespace(procedure=procedure, marks={"pct_2": 8.2, "success_pct": 91.8, "quality_pct": 75.0},
                              previous_year={"year": 2025, "pct_2": 9.7, "success_pct": 90.3, "quality_pct": 75.0})
    (sentence,) = summary.procedure_sentences(section)
    assert sentence.startswith("По ВПР (математика, 4 класс) по сравнению с 2025 годом: доля «2» снизилась на 1,5")
    assert "успеваемость выросла на 1,5" in sentence and "качество не изменилось (75,0 %)" in sentence


def test_a_joined_list_is_escaped_once():
    """«ρ Спирмена < 0» must print as «<», not as «&lt;» (join escapes, typeset must not escape again)."""
    from django.template import Context, Template

    rendered = Template('{% load report_typography %}{{ items|join:"; "|typeset }}').render(
        Context({"items": ["Несоответствие отметкам (ρ Спирмена < 0)", "<b>"]}))
    assert rendered == "Несоответствие отметкам (ρ Спирмена &lt; 0); &lt;b&gt;"
