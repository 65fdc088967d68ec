"""Grouping of participants by level (region → municipality → school → class)."""
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

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
        """Per-group column sums of a 2-D array → (groups × columns), via a sparse indicator product."""
        n = len(self.codes)
        indicator = sparse.csr_matrix((np.ones(n), (self.codes, np.arange(n))), shape=(self.size, n))
        return np.asarray(indicator @ np.asarray(matrix, dtype=float))


def group_by_level(results: pd.DataFrame, level: str) -> Grouping:
    """Number the groups of ``level``; the key frame has ``level`` and all of ``KEY_COLUMNS``."""
    if level not in _LEVEL_KEYS:
        raise ValueError(f"Неизвестный уровень группировки: {level!r}; допустимы {', '.join(LEVELS)}")
    columns = list(_LEVEL_KEYS[level])
    if not columns:
        codes = np.zeros(len(results), dtype=np.int64)
        keys = pd.DataFrame(index=range(1))
    else:
        # One int64 key per row from the sorted factor codes of each column: np.unique then numbers the
        # groups in key order (as a sorted groupby would), much faster than a multi-column groupby.
        combined = np.zeros(len(results), dtype=np.int64)
        for column in columns:
            factor, uniques = pd.factorize(results[column], sort=True, use_na_sentinel=True)
            combined = combined * (len(uniques) + 1) + (factor.astype(np.int64) + 1)
        _, first, codes = np.unique(combined, return_index=True, return_inverse=True)
        codes = codes.astype(np.int64).ravel()
        keys = results[columns].iloc[first].reset_index(drop=True)
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
