"""Grouping of participants by level (region → municipality → school → class)."""
from dataclasses import dataclass

import numpy as np
import pandas as pd

LEVELS = ("region", "municipality", "school", "class")
KEY_COLUMNS = ("municipality_id", "school_id", "class_name")
_LEVEL_KEYS = {
    "region": (),
    "municipality": ("municipality_id",),
    "school": ("municipality_id", "school_id"),
    "class": ("municipality_id", "school_id", "class_name"),
}


@dataclass(frozen=True)
class Grouping:
    """Group number of every participant (``codes``) and one key row per group (``keys``)."""

    level: str
    codes: np.ndarray
    keys: pd.DataFrame

    @property
    def size(self) -> int:
        return len(self.keys)

    def counts(self) -> np.ndarray:
        return np.bincount(self.codes, minlength=self.size)

    def sums(self, values) -> np.ndarray:
        """Per-group sum of a 1-D array (NaN counts as 0)."""
        values = np.nan_to_num(np.asarray(values, dtype=float))
        return np.bincount(self.codes, weights=values, minlength=self.size)

    def matrix_sums(self, matrix: np.ndarray) -> np.ndarray:
        """Per-group column sums of a 2-D array → (groups × columns)."""
        out = np.zeros((self.size, matrix.shape[1]), dtype=float)
        if len(self.codes):
            order = np.argsort(self.codes, kind="stable")
            starts = np.searchsorted(self.codes[order], np.arange(self.size))
            present = np.bincount(self.codes, minlength=self.size) > 0
            reduced = np.add.reduceat(matrix[order].astype(float), starts[present], axis=0)
            out[present] = reduced
        return out


def group_by_level(results: pd.DataFrame, level: str) -> Grouping:
    """Number the groups of ``level``; the key frame has ``level`` and all of ``KEY_COLUMNS``."""
    if level not in _LEVEL_KEYS:
        raise ValueError(f"Неизвестный уровень группировки: {level!r}; допустимы {', '.join(LEVELS)}")
    columns = list(_LEVEL_KEYS[level])
    if not columns:
        codes = np.zeros(len(results), dtype=np.int64)
        keys = pd.DataFrame(index=range(1))
    else:
        grouped = results.groupby(columns, sort=True, dropna=False)
        codes = grouped.ngroup().to_numpy(dtype=np.int64)
        keys = grouped.size().index.to_frame(index=False)
    return Grouping(level=level, codes=codes, keys=key_frame(keys, level))


def key_frame(keys: pd.DataFrame, level: str) -> pd.DataFrame:
    """Normalise key columns: every level carries all three keys, missing where not applicable."""
    out = pd.DataFrame({"level": [level] * len(keys)})
    for column in KEY_COLUMNS:
        if column in keys:
            values = keys[column].reset_index(drop=True)
            out[column] = values.astype("Int64") if column != "class_name" else values.astype(object)
        else:
            out[column] = pd.array([pd.NA] * len(keys), dtype="Int64") if column != "class_name" else None
    return out
