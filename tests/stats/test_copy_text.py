"""Statistic rows rendered for PostgreSQL's COPY, column by column."""
import numpy as np

from assessments.stats.models import Form
from assessments.stats.storage import copy_text, copy_value


def test_copy_text_by_columns_equals_copy_value_of_every_value():
    """Each cell must read exactly as copy_value renders it: ids and NULLs, choices, text needing escapes, flags,
    JSON with backslashes, and columns of mixed kinds (numpy numbers, floats, ints beside flags)."""
    rows = [[7, Form.MARKS, "school", None, 12, "5А", 30, True, False, {"mean": 1.5, "note": "a\\b\tc"}],
            [7, Form.TASKS, "class", 3, None, "путь\\к\nклассу", 0, False, True, [{"x": None}, {"y": "«\\»"}]],
            [np.int64(8), "marks", 1.25, 4, 5, "", True, 1, 0, []]]
    expected = "".join("\t".join(copy_value(value) for value in row) + "\n" for row in rows)
    assert copy_text(rows) == expected
    assert "путь\\\\к\\nклассу" in copy_text(rows)
    assert copy_text([]) == ""
