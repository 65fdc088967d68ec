"""The written summary names only the indicators that moved most; the table in section 5 has them all."""
from reports.summary import SUMMARY_INDICATORS, notable_indicators


def row(code, value, previous):
    return {"code": code, "name": code, "unit": "%", "direction": "higher", "value": value, "previous_value": previous}


def test_only_the_largest_moves_are_summarised():
    rows = [row(f"i{n}", 50 + n, 50) for n in range(8)] + [row("same", 40, 40), row("new", 10, None)]
    picked = [r["code"] for r in notable_indicators(rows)]
    assert picked == ["i7", "i6", "i5", "i4", "i3"] and len(picked) == SUMMARY_INDICATORS
