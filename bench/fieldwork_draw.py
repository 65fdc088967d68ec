"""Benchmark of the fieldwork's pure rules at regional scale (not a test).

A region of 300 schools × 60 participants: draw 20 % of works per school, pair all schools for a
cross-check, and compute the re-check sign over 300 schools × 12 checked works. Floor: 1 s in total.
Run: python bench/fieldwork_draw.py
"""
from pathlib import Path
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from assessments.fieldwork import draw, signs  # noqa: E402

FLOOR_SECONDS = 1.0
SCHOOLS, PUPILS = 300, 60


def main() -> None:
    rng = np.random.default_rng(1)
    started = time.perf_counter()
    drawn = [draw.draw_codes([f"{s}-{p:03d}" for p in range(PUPILS)], seed=7, school_id=s, share_percent=20, minimum=5)
             for s in range(SCHOOLS)]
    t_draw = time.perf_counter() - started
    municipalities = {s: s % 20 for s in range(SCHOOLS)}
    started = time.perf_counter()
    draw.pair_schools(municipalities, within_municipality=True, forbidden=set(), seed=3)
    t_pair = time.perf_counter() - started
    works = pd.DataFrame({"school_id": np.repeat(np.arange(SCHOOLS), 12),
                          "school_primary": rng.integers(0, 21, SCHOOLS * 12).astype(float)})
    works["final_primary"] = (works["school_primary"] - rng.integers(0, 3, len(works))).clip(lower=0)
    works["school_mark"] = np.digitize(works["school_primary"], [6, 10, 15]) + 2
    works["final_mark"] = np.digitize(works["final_primary"], [6, 10, 15]) + 2
    started = time.perf_counter()
    signs.recheck_disagreement_sign(works)
    t_sign = time.perf_counter() - started
    total = t_draw + t_pair + t_sign
    print(f"draw {sum(map(len, drawn))} works of {SCHOOLS} schools: {t_draw:.3f} s")
    print(f"pair {SCHOOLS} schools within 20 municipalities: {t_pair:.3f} s")
    print(f"re-check sign over {len(works)} works: {t_sign:.3f} s")
    print(f"total {total:.3f} s; ratio to the {FLOOR_SECONDS:.0f} s floor: {total / FLOOR_SECONDS:.2f}")


if __name__ == "__main__":
    main()
