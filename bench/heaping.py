"""Detection and false-positive rates of the calibrated objectivity evaluation (issue 19: boundary heaping).

Three parts, all pure (no database):
1. synthetic regions of several sizes and seeds with planted schools of every kind: the share of planted
   schools found per kind and the share of clean schools flagged (target: ≥ 95 % found, ≤ 1 % of clean
   flagged);
2. the power curve of heaping: the share of heaping schools found against the size of the heaping (pupils
   up to 1, 2 or 3 points below a boundary raised onto it, each with a given probability), by the whole
   evaluation and by the heaping signal alone; then how much the weights of the alternative matter;
3. the real ФИС ОКО export in /work/shared/data (ВПР география 10, 2021; no manipulation is known there): the
   schools flagged by the heaping signal under the test scale and under the same scale shifted by −3…+3
   points (a scale nobody marked against is a second honest null).

    .venv/bin/python bench/heaping.py            # everything (≈ 2 min on 2 cores)
    .venv/bin/python bench/heaping.py --quick    # fewer seeds
"""
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from assessments.analytics import objectivity as ob  # noqa: E402
from assessments.analytics.pipeline import ProcedureInput, year_evaluation  # noqa: E402
from assessments.synthetic import PLANT_KINDS, generate_region  # noqa: E402

REAL = Path(os.environ.get("RSOKO_SHARED_DATA", "/work/shared/data"))
TARGET_FOUND, TARGET_CLEAN = 0.95, 0.01


def evaluate(region) -> pd.DataFrame:
    """The calibrated rows of the region's last year, with the planted kind of each school («clean»)."""
    year = region.last_year
    out = year_evaluation([ProcedureInput.from_synthetic(p) for p in region.of_year(year)],
                          [ProcedureInput.from_synthetic(p) for p in region.of_year(year - 1)])
    kinds = region.planted.set_index("school_id")["kind"]
    return out["calibrated"].assign(kind=lambda rows: rows["school_id"].map(kinds).fillna("clean"))


def per_school(calibrated: pd.DataFrame) -> pd.DataFrame:
    heaping = calibrated["criterion"] == ob.CAL_HEAPING.code
    return calibrated.assign(by_heaping=calibrated["flagged"] & heaping).groupby(["school_id", "kind"]).agg(
        evaluated=("evaluated", "any"), flagged=("flagged", "any"), by_heaping=("by_heaping", "any")).reset_index()


def detection(sizes, seeds) -> None:
    print("\n== 1. Planted schools found and clean schools flagged (default heaping: 2 points, 90 %)")
    header = "".join(f"{kind:>17}" for kind in PLANT_KINDS)
    print(f"{'schools':>8} {'seed':>5}{header}{'all planted':>14}{'clean flagged':>16}")
    runs = []
    for size in sizes:
        for seed in seeds:
            schools = per_school(evaluate(generate_region(seed=seed, n_schools=size)))
            schools = schools[schools["evaluated"]]
            runs.append(schools.assign(size=size, seed=seed))
            cells = "".join(f"{_share(schools[schools['kind'] == kind]['flagged']):>17}" for kind in PLANT_KINDS)
            planted = schools[schools["kind"] != "clean"]["flagged"]
            clean = schools[schools["kind"] == "clean"]["flagged"]
            print(f"{size:>8} {seed:>5}{cells}{_share(planted):>14}{_share(clean):>16}")
    every = pd.concat(runs)
    planted, clean = every[every["kind"] != "clean"], every[every["kind"] == "clean"]
    worst_found = planted.groupby(["size", "seed"])["flagged"].mean().min()
    worst_clean = clean.groupby(["size", "seed"])["flagged"].mean().max()
    print(f"{'all':>14}" + "".join(f"{_share(every[every['kind'] == kind]['flagged']):>17}" for kind in PLANT_KINDS)
          + f"{_share(planted['flagged']):>14}{_share(clean['flagged']):>16}")
    print(f"   worst run: found {worst_found:.1%} (target ≥ {TARGET_FOUND:.0%}, "
          f"ratio {worst_found / TARGET_FOUND:.2f}); "
          f"clean flagged {worst_clean:.2%} (target ≤ {TARGET_CLEAN:.0%}, ratio {worst_clean / TARGET_CLEAN:.2f})")
    by_signal = pd.concat(runs)
    print(f"   heaping schools found by the heaping signal itself: "
          f"{_share(by_signal[by_signal['kind'] == 'heaping']['by_heaping'])}")


def power_curve(size, seeds, shares=(0.2, 0.4, 0.6, 0.8, 1.0)) -> None:
    print(f"\n== 2. Power: share of heaping schools found ({size} schools, seeds {', '.join(map(str, seeds))}; "
          "whole evaluation / heaping signal alone; clean flagged by the heaping signal)")
    print(f"{'raised by up to':>16}" + "".join(f"{f'{share:.0%} of pupils':>22}" for share in shares))
    for points in (1, 2, 3):
        cells, clean_heaping = [], []
        for share in shares:
            frames = [per_school(evaluate(generate_region(seed=seed, n_schools=size, heaping_points=points,
                                                          heaping_share=share))) for seed in seeds]
            schools = pd.concat(frames)
            heaping = schools[schools["kind"] == "heaping"]
            clean_heaping.append(schools.loc[schools["kind"] == "clean", "by_heaping"].mean())
            cells.append(f"{heaping['flagged'].mean():.0%} / {heaping['by_heaping'].mean():.0%}")
        print(f"{f'{points} point' + ('s' if points > 1 else ''):>16}" + "".join(f"{cell:>22}" for cell in cells)
              + f"   (clean: ≤ {max(clean_heaping):.2%})")


def weights_trial(size, seeds, shares=(0.4, 0.6)) -> None:
    """How much the choice of w (share moved from cut−1, cut−2, cut−3) matters: the pooled z of one π."""
    print(f"\n== 2b. Weights of the alternative: share of heaping schools with pooled z = ΣU/√ΣI > 3.5 "
          f"(uncapped, no multiple-testing step; {size} schools, seeds {', '.join(map(str, seeds))}; "
          "clean in brackets)")
    options = {"1, 2/3, 1/3 (used)": ob.HEAPING_SOURCE_WEIGHTS, "1, 0, 0": (1, 0, 0), "1, 1, 0": (1, 1, 0),
               "1, 1, 1": (1, 1, 1), "1, 1/2, 1/4": (1, 0.5, 0.25)}
    settings = [(points, share) for points in (1, 2, 3) for share in shares]
    print(f"{'w':>20}" + "".join(f"{f'{p} pt, {s:.0%}':>16}" for p, s in settings))
    regions = {setting: [generate_region(seed=seed, n_schools=size, heaping_points=setting[0],
                                         heaping_share=setting[1]) for seed in seeds] for setting in settings}
    for label, weights in options.items():
        cells = []
        for setting in settings:
            found, clean = [], []
            for region in regions[setting]:
                pooled = sum(ob.heaping_shape(p.results, p.max_score, p.boundaries, weights)
                             .set_index("school_id")[["heaping_u", "heaping_info"]]
                             for p in region.of_year(region.last_year))
                z = pooled["heaping_u"] / np.sqrt(pooled["heaping_info"])
                kinds = z.index.map(region.planted.set_index("school_id")["kind"])
                found.append(z[kinds == "heaping"] > 3.5)
                clean.append(z[kinds.isna()] > 3.5)
            cells.append(f"{pd.concat(found).mean():.0%} ({pd.concat(clean).mean():.1%})")
        print(f"{label:>20}" + "".join(f"{cell:>16}" for cell in cells))


def real_export() -> None:
    export, codifier = REAL / "fisoko_export_vpr2021_geo10.xlsx", REAL / "codifier_vpr2021_geo10.xlsx"
    print(f"\n== 3. Real export {export.name} (no manipulation known)")
    if not (export.exists() and codifier.exists()):
        print("   skipped: the shared files are absent")
        return
    results, max_score = _real_results(export, codifier)
    base = {"3": round(max_score * 0.35), "4": round(max_score * 0.6), "5": round(max_score * 0.8)}
    print(f"   {len(results):,} pupils, {results['school_id'].nunique()} schools, max {max_score}; test scale {base}")
    flagged_total = evaluated_total = 0
    for shift in range(-3, 4):
        boundaries = {mark: cut + shift for mark, cut in base.items()}
        components = [ob.calibrated_components(results, max_score, boundaries)]
        calibrated = ob.calibrated_evaluation(components)
        heaping = calibrated[calibrated["criterion"] == ob.CAL_HEAPING.code]
        evaluated, flagged = int(heaping["evaluated"].sum()), int(heaping["flagged"].sum())
        any_signal = int(calibrated.groupby("school_id")["flagged"].any().sum())
        z = heaping.loc[heaping["evaluated"], "value"]
        flagged_total, evaluated_total = flagged_total + flagged, evaluated_total + evaluated
        print(f"   scale {boundaries}: heaping evaluated {evaluated}, flagged {flagged} "
              f"({flagged / max(evaluated, 1):.1%});"
              f" z mean {z.mean():+.2f}, sd {z.std():.2f}, max {z.max():.2f}; any calibrated signal: {any_signal}")
    print(f"   over the 7 scales: {flagged_total}/{evaluated_total} school×scale flagged by heaping "
          f"({flagged_total / max(evaluated_total, 1):.2%}; target ≤ {TARGET_CLEAN:.0%})")


def _real_results(export: Path, codifier: Path):
    tasks = pd.read_excel(codifier, engine="calamine", dtype=str).dropna(subset=["№"]).drop_duplicates("№")
    max_column = next(c for c in tasks.columns if c.startswith("Максимальный балл"))
    max_score = int(tasks[max_column].astype(int).sum())
    frame = pd.read_excel(export, engine="calamine", dtype=str)
    present = frame[frame["вариант"].str.strip() != "отсутствовал"]
    cells = present[[f"балл за {p}" for p in tasks["№"].astype(int)]].apply(lambda col: col.str.strip())
    scores = cells.mask(cells.isin({"X", "x", "Х", "не пройд."}), "0").fillna("0").astype(int).sum(axis=1)
    results = pd.DataFrame({
        "school_id": present["логин школы"].str.extract(r"(\d+)")[0].astype(int).to_numpy(),
        "journal_mark": pd.to_numeric(present["отметка за предыдущую четверть/триместр"], errors="coerce").to_numpy(),
        "primary_score": scores.astype(float).to_numpy(),
    })
    return results, max_score


def _share(flags) -> str:
    flags = pd.Series(flags, dtype=bool)
    return f"{int(flags.sum())}/{len(flags)}" if len(flags) else "—"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    seeds = (1, 2, 3) if args.quick else (1, 2, 3, 4, 5)
    start = time.perf_counter()
    detection((200, 400, 800, 1600), seeds)
    power_curve(400, seeds[:3])
    weights_trial(400, seeds[:3])
    real_export()
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
