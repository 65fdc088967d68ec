"""Signs of non-objective results («признаки необъективности, требующие дополнительного анализа»).

Every criterion is named and versioned (``Criterion``); thresholds come in ``ObjectivityParams`` (the
ministry's settings). Every sign function returns one row per school with ``SIGN_COLUMNS``:

    school_id, criterion, version, value, threshold, sample_size, evaluated, flagged, p_value, explanation

A school below the minimum sample is ``evaluated=False`` and never flagged. Explanations are in Russian
and never speak of violations or cheating: these are signs that need further analysis.

Official signs (federal method, DOMAIN §5), computed exactly as defined, one procedure at a time:
``official_mean_ci``, ``official_spearman``, ``official_cohort`` (cross-procedure, from ``cohort_frame``).
Further signs: ``heaping_sign`` (pupils piled on a mark's first score), ``raised_marks_sign``.
``objectivity_index`` = 100 − % of evaluated schools with at least one sign.

Calibrated evaluation (``calibrated_components`` per procedure → ``calibrated_evaluation`` per year):
each signal is a p-value whose null distribution includes the honest spread between schools, so an
honest strong school is not a discovery; the p-values of hundreds of schools are then controlled
together by Benjamini–Hochberg (false discovery rate ``fdr_q``) or Holm (family-wise error).

Calibrated heaping at mark boundaries (``heaping_shape``, criterion ``cal_heaping`` v2)
------------------------------------------------------------------------------------------
What a heaping school does: pupils 1–3 points short of a mark's first score get the missing points, so the
school's score distribution has a dip at cut−1…cut−3 and a bump at the cut, at every boundary at once.
The earlier signal compared only «at the cut» with «one point below» against the region's share; a pupil
raised by 2–3 points left no trace in it, and the region's share ignored the school's level (a strong
school honestly has a different slope at the «3» boundary than a weak one). Of the ideas weighed:

- chosen — the whole shape at every boundary, tested against the region's distribution of the same kit:
  the reference for a school is the region's score distribution of the procedure without the school
  (leave-one-out, so a large school does not hide in its own reference), exponentially tilted,
  q(x) ∝ f(x)·exp(β₁·z − β₂·z²) with β fitted to the school by maximum likelihood (``tilted_reference``):
  the school's level and spread move the local slope at each boundary, the kit's own lumpiness (tasks
  worth 2–4 points) stays in f. The alternative moves a share π·w_j of the pupils at cut−j onto the cut
  (w = 1, ⅔, ⅓ for j = 1, 2, 3: a near miss is raised more often than a pupil 3 points short; chosen a
  priori, and 1, 1, 1 or 1, ½, ¼ give the same power within a few points — bench/RESULTS.md).
  The test is the efficient score test of π = 0 (the likelihood-ratio test's local form, with the
  tilt's uncertainty removed from the information), one-sided, z = U/√I, summed over the boundaries with
  each boundary's z capped at 3: real schools have clumps of equal scores (pupils of one class), and one
  clump on one cut must not make a sign by itself (on the real export it did, bench/RESULTS.md). The
  region's raw rather than a smoothed distribution is the reference on purpose: heaping spread over the
  whole region is a property of the region (its distribution page shows it), a school's sign is about
  heaping beyond the region's own.
- chosen — pooling over the year's procedures of the school: a weighted Stouffer sum (weights √I, i.e. the
  score test of one π for all procedures), with the honest correlation between procedures of a school
  estimated over schools, as for the journal signals.
- honest null — per procedure, the z of the schools are put on the empirical null (Efron): centred on
  their median and divided by max(1, robust sd); whatever spread honest schools have beyond sampling noise
  widens the null instead of producing discoveries.
- not chosen — pooling over years: the sign is about one year's results; heaping in one year only would be
  diluted by honest years and an old year would keep flagging a school that stopped; each year keeps its
  own sign.
- not chosen — per-task patterns (raised pupils gaining points on the easiest open tasks): the evaluation
  reads primary scores only, the task through which points are added depends on how the marking was
  bent and is not known, and a test built on the generator's own choice would measure our assumptions.
A procedure counts for a school when it has ``min_participants`` pupils and at least one of them on a cut
or 1–3 points below it; with no such procedure the sign is «не оценивалось», never a z of −∞.
Known limits (figures in bench/RESULTS.md): the test assumes the pupils of a school score independently
given its level and spread; a school where many pupils share one score (a clump, e.g. 10 of 20 on the same
score) looks like heaping when the clump sits on a cut — the cap per boundary limits, not removes, that.
One procedure's z is a little heavier-tailed than N(0, 1) (discrete scores); pooling the procedures of the
year brings it closer.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from rsoko.typography import number, plural, significant

from . import SIGN_WORDING

SIGN_COLUMNS = ["school_id", "criterion", "version", "value", "threshold", "sample_size", "evaluated", "flagged",
                "p_value", "explanation"]
NOT_FOUND = "признак не выявлен"


def _setting(value) -> str:
    """A threshold from the settings, as the ministry entered it: «0,001», «0,05», «0»."""
    return significant(value, 6)


@dataclass(frozen=True)
class Criterion:
    code: str
    version: int
    title: str


MEAN_CI = Criterion("official_mean_ci", 1, "Завышенный средний первичный балл (95 % доверительные интервалы)")
SPEARMAN = Criterion("official_spearman", 1, "Несоответствие результатов отметкам в журнале (ρ Спирмена < 0)")
COHORT = Criterion("official_cohort", 1, "Резкое изменение результатов когорты между 4 и 5 классом")
HEAPING = Criterion("heaping", 1, "Скопление участников на первом балле отметки")
RAISED = Criterion("raised_marks", 1, "Доля повысивших отметку относительно журнала выше региональной")
CAL_RESIDUAL = Criterion("cal_journal_residual", 1, "Результаты выше, чем объясняют отметки школы в журнале")
CAL_CONSISTENCY = Criterion("cal_journal_consistency", 1, "Слабая согласованность результатов с журналом")
CAL_HEAPING = Criterion("cal_heaping", 2, "Скопление участников на границах отметок")
CAL_COHORT = Criterion("cal_cohort", 1, "Изменение результатов когорты 4 → 5 в стандартных ошибках")
OFFICIAL = (MEAN_CI, SPEARMAN, COHORT)
CALIBRATED = (CAL_RESIDUAL, CAL_CONSISTENCY, CAL_HEAPING, CAL_COHORT)
CRITERIA = {c.code: c for c in (*OFFICIAL, HEAPING, RAISED, *CALIBRATED)}


@dataclass(frozen=True)
class ObjectivityParams:
    """Regional settings of the signs (defaults: the federal method and the project's calibration)."""

    min_participants: int = 10
    ci_z: float = 1.96
    spearman_threshold: float = 0.0
    cohort_iqr_multiplier: float = 3.0
    heaping_alpha: float = 0.001
    heaping_min_pairs: int = 5
    raised_excess_pp: float = 20.0
    raised_alpha: float = 0.01
    fdr_q: float = 0.05
    multiple_testing: str = "bh"  # "bh" (Benjamini–Hochberg, FDR) or "holm" (family-wise error)


UNDEFINED_VALUE = "Не оценивалось: показатель не определён (нет участников, на которых он считается)"


def _rows(criterion, school_id, value, threshold, sample_size, evaluated, flagged, p_value, explanation):
    """Sign rows; a value that came out infinite is «не оценивалось», never ±∞ (JSON and the pages cannot show it)."""
    value = np.asarray(value, dtype=float)
    undefined = np.isinf(value)
    evaluated = np.asarray(evaluated, dtype=bool) & ~undefined
    explanation = np.where(undefined, UNDEFINED_VALUE, np.asarray(explanation, dtype=object))
    finite = lambda values: np.where(np.isinf(values), np.nan, values)  # noqa: E731
    return pd.DataFrame({
        "school_id": np.asarray(school_id),
        "criterion": criterion.code,
        "version": criterion.version,
        "value": np.where(undefined, np.nan, value),
        "threshold": finite(np.broadcast_to(np.asarray(threshold, dtype=float), evaluated.shape)),
        "sample_size": np.asarray(sample_size, dtype=int),
        "evaluated": evaluated,
        "flagged": evaluated & np.asarray(flagged, dtype=bool),
        "p_value": np.where(undefined, np.nan, np.broadcast_to(np.asarray(p_value, dtype=float), evaluated.shape)),
        "explanation": explanation.astype(object),
    })[SIGN_COLUMNS]


def _not_evaluated(sample_size, minimum, reason=None):
    return f"Не оценивалось: {reason}" if reason else f"Не оценивалось: участников {sample_size} < {minimum}"


def _school_sums(school_codes, n_schools, values):
    return np.bincount(school_codes, weights=values, minlength=n_schools)


# --- official: inflated mean ------------------------------------------------------------------------------

def official_mean_ci(results: pd.DataFrame, params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """The school's 95 % CI lower bound x̄ − 1.96·s/√m above the region's upper bound x̄ + 1.96·s/√n.

    s is the sample standard deviation (ddof = 1) of the primary score; the region is every participant.
    """
    scores = results["primary_score"].astype(float)
    region_n = int(scores.notna().sum())
    region_upper = scores.mean() + params.ci_z * scores.std(ddof=1) / np.sqrt(region_n)
    per_school = scores.groupby(results["school_id"]).agg(["count", "mean", "std"])
    m = per_school["count"].to_numpy()
    lower = per_school["mean"].to_numpy() - params.ci_z * per_school["std"].to_numpy() / np.sqrt(m)
    evaluated = (m >= max(params.min_participants, 2)) & np.isfinite(lower)
    flagged = evaluated & (lower > region_upper)
    explanation = [
        _not_evaluated(n, params.min_participants) if not ok else
        (f"Нижняя граница 95 % доверительного интервала среднего балла школы ({number(lo, 2)}) выше верхней "
         f"границы интервала региона ({number(region_upper, 2)}): {SIGN_WORDING}." if flag else
         f"Нижняя граница интервала школы ({number(lo, 2)}) не выше верхней границы региона "
         f"({number(region_upper, 2)}): {NOT_FOUND}.")
        for n, lo, ok, flag in zip(m, lower, evaluated, flagged)
    ]
    return _rows(MEAN_CI, per_school.index, lower, region_upper, m, evaluated, flagged, np.nan, explanation)


# --- official: Spearman with journal marks --------------------------------------------------------------

def school_spearman(results: pd.DataFrame) -> pd.DataFrame:
    """Spearman ρ(journal mark, primary score) per school over pupils with a journal mark.

    Average ranks within each school, then Pearson's r of the ranks — the same value as
    ``scipy.stats.spearmanr`` (checked in the tests), for all schools at once. ρ is NaN when either
    variable is constant in the school.
    """
    data = results.loc[results["journal_mark"].notna(), ["school_id", "journal_mark", "primary_score"]]
    all_schools = np.sort(results["school_id"].unique())
    if data.empty:
        return pd.DataFrame({"school_id": all_schools, "n": 0, "rho": np.nan})
    by_school = data.groupby("school_id", sort=True)
    rank_x = by_school["journal_mark"].rank(method="average").to_numpy()
    rank_y = by_school["primary_score"].rank(method="average").to_numpy()
    schools, codes = np.unique(data["school_id"].to_numpy(), return_inverse=True)
    k = len(schools)
    n = np.bincount(codes, minlength=k).astype(float)
    sx, sy = _school_sums(codes, k, rank_x), _school_sums(codes, k, rank_y)
    sxx, syy = _school_sums(codes, k, rank_x ** 2), _school_sums(codes, k, rank_y ** 2)
    sxy = _school_sums(codes, k, rank_x * rank_y)
    cov = sxy - sx * sy / n
    var_x, var_y = sxx - sx ** 2 / n, syy - sy ** 2 / n
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where((var_x > 1e-9) & (var_y > 1e-9), cov / np.sqrt(var_x * var_y), np.nan)
    frame = pd.DataFrame({"school_id": schools, "n": n.astype(int), "rho": np.clip(rho, -1, 1)})
    return pd.DataFrame({"school_id": all_schools}).merge(frame, on="school_id", how="left").fillna({"n": 0}).astype(
        {"n": int})


def official_spearman(results: pd.DataFrame, params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """Spearman rank correlation between journal mark and primary score below 0 (pupils with a mark)."""
    frame = school_spearman(results)
    n, rho = frame["n"].to_numpy(), frame["rho"].to_numpy()
    enough = n >= params.min_participants
    evaluated = enough & np.isfinite(rho)
    flagged = evaluated & (rho < params.spearman_threshold)
    explanation = [_spearman_explanation(k, r, big, ok, flag, params)
                   for k, r, big, ok, flag in zip(n, rho, enough, evaluated, flagged)]
    return _rows(SPEARMAN, frame["school_id"], rho, params.spearman_threshold, n, evaluated, flagged, np.nan,
                 explanation)


def _spearman_explanation(n, rho, enough, evaluated, flagged, params):
    if not enough:
        return _not_evaluated(n, params.min_participants, f"с отметкой в журнале {n} < {params.min_participants}")
    if not evaluated:
        return _not_evaluated(n, 0, "отметки в журнале или баллы одинаковы у всех, корреляция не определена")
    if flagged:
        return (f"Корреляция Спирмена между отметкой в журнале и первичным баллом ρ = {number(rho, 2)} < "
                f"{_setting(params.spearman_threshold)}: {SIGN_WORDING}.")
    return f"ρ Спирмена = {number(rho, 2)}: {NOT_FOUND}."


# --- official: cohort 4 → 5 -----------------------------------------------------------------------------

def school_completion(results: pd.DataFrame, max_score: int) -> pd.DataFrame:
    """Per school: participants, mean % completion S (primary score in % of max) and its sd."""
    pct = results["primary_score"].astype(float) * 100.0 / max_score
    frame = pct.groupby(results["school_id"]).agg(["count", "mean", "std"])
    return frame.rename(columns={"count": "n", "mean": "s", "std": "sd"}).reset_index()


def cohort_frame(grade4: pd.DataFrame, max4: int, grade5: pd.DataFrame, max5: int) -> pd.DataFrame:
    """Per school the cohort aggregates: grade 4 in one year (s4, n4, sd4), grade 5 the next (s5, n5, sd5).

    Pass the results of the same subject; schools present in only one year get NaN on the other side.
    """
    four = school_completion(grade4, max4).rename(columns={"n": "n4", "s": "s4", "sd": "sd4"})
    five = school_completion(grade5, max5).rename(columns={"n": "n5", "s": "s5", "sd": "sd5"})
    frame = four.merge(five, on="school_id", how="outer")
    return frame.fillna({"n4": 0, "n5": 0}).astype({"n4": int, "n5": int})


def official_cohort(cohort: pd.DataFrame, params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """K = S(4, year) / S(5, year+1); fall if K > Q75 + 3·IQR, rise if K < Q25 − 3·IQR.

    Quartiles over the evaluated schools (both years with at least the minimum sample, S5 > 0). The
    threshold column holds the fence on the school's side of the median.
    """
    n = np.minimum(cohort["n4"].to_numpy(), cohort["n5"].to_numpy())
    s4, s5 = cohort["s4"].to_numpy(dtype=float), cohort["s5"].to_numpy(dtype=float)
    evaluated = (n >= params.min_participants) & np.isfinite(s4) & np.isfinite(s5) & (s5 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(evaluated, s4 / np.where(s5 > 0, s5, 1), np.nan)
    if evaluated.any():
        q25, median, q75 = np.percentile(k[evaluated], [25, 50, 75])
    else:
        q25 = median = q75 = np.nan
    iqr = q75 - q25
    upper, lower = q75 + params.cohort_iqr_multiplier * iqr, q25 - params.cohort_iqr_multiplier * iqr
    fall, rise = evaluated & (k > upper), evaluated & (k < lower)
    threshold = np.where(k >= median, upper, lower)
    explanation = []
    for size, value, ok, is_fall, is_rise in zip(n, k, evaluated, fall, rise):
        if not ok:
            explanation.append(_not_evaluated(size, params.min_participants))
        elif is_fall:
            explanation.append(f"Резкое падение результатов когорты: K = {number(value, 2)} > Q75 + 3·IQR = "
                               f"{number(upper, 2)}: {SIGN_WORDING}.")
        elif is_rise:
            explanation.append(f"Резкий рост результатов когорты: K = {number(value, 2)} < Q25 − 3·IQR = "
                               f"{number(lower, 2)}: {SIGN_WORDING}.")
        else:
            explanation.append(f"K = {number(value, 2)} в пределах [{number(lower, 2)}; {number(upper, 2)}]: "
                               f"{NOT_FOUND}.")
    return _rows(COHORT, cohort["school_id"], k, threshold, n, evaluated, fall | rise, np.nan, explanation)


# --- heaping at mark boundaries -------------------------------------------------------------------------

def heaping_counts(results: pd.DataFrame, boundaries: dict) -> pd.DataFrame:
    """Per school: participants, pupils exactly at a mark's first score (``at``) and one point below
    (``below``), summed over the boundaries, and the one-sided Fisher exact p-value of the school's share
    at/(at + below) against the rest of the region."""
    scores = results["primary_score"].to_numpy(dtype=float)
    firsts = np.array(sorted({int(v) for v in boundaries.values()}), dtype=float)
    at = np.isin(scores, firsts)
    below = np.isin(scores, firsts - 1)
    frame = pd.DataFrame({"school_id": results["school_id"].to_numpy(), "at": at, "below": below})
    per_school = frame.groupby("school_id").agg(n=("at", "size"), at=("at", "sum"), below=("below", "sum"))
    per_school = per_school.reset_index()
    total_at, total_below = int(at.sum()), int(below.sum())
    pairs = (per_school["at"] + per_school["below"]).to_numpy()
    # P(X ≥ at) for X hypergeometric: the school draws `pairs` pupils from the region's at/below pool.
    per_school["pairs"] = pairs
    per_school["p_value"] = np.where(
        pairs > 0, hypergeom_upper_tail(per_school["at"].to_numpy(), total_at + total_below, total_at, pairs), np.nan)
    per_school["region_share"] = total_at * 100.0 / max(total_at + total_below, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_school["share"] = np.where(pairs > 0, per_school["at"] * 100.0 / np.where(pairs > 0, pairs, 1), np.nan)
    return per_school


def _log_comb(n, k):
    return special.gammaln(np.asarray(n, dtype=float) + 1) - special.gammaln(np.asarray(k, dtype=float) + 1) - \
        special.gammaln(np.asarray(n, dtype=float) - np.asarray(k, dtype=float) + 1)


def hypergeom_upper_tail(k, population, successes, draws) -> np.ndarray:
    """P(X ≥ k) for X ~ Hypergeometric(population, successes, draws), vectorised over schools.

    Sums the pmf over k…draws (draws is a school's small count), which keeps the cost linear in the
    number of schools; ``scipy.stats.hypergeom.sf``/``pmf`` grow with the region's pool and became the
    bottleneck on large regions (log-pmf from log-gamma here). Equal to it (and to the one-sided Fisher
    exact test) — see the tests.
    """
    k, draws = np.asarray(k, dtype=np.int64), np.asarray(draws, dtype=np.int64)
    out = np.zeros(len(k))
    if not len(k):
        return out
    chunk = 4096
    for start in range(0, len(k), chunk):
        kk, dd = k[start:start + chunk], draws[start:start + chunk]
        x = np.arange(int(dd.max()) + 1)[None, :]
        inside = ((x >= kk[:, None]) & (x <= dd[:, None]) & (x <= successes)
                  & (dd[:, None] - x <= population - successes))
        xs = np.where(inside, x, 0)
        log_pmf = (_log_comb(successes, xs) + _log_comb(population - successes, dd[:, None] - xs)
                   - _log_comb(population, dd[:, None]))
        out[start:start + chunk] = np.where(inside, np.exp(log_pmf), 0.0).sum(axis=1)
    return np.clip(out, 0.0, 1.0)


def heaping_sign(results: pd.DataFrame, boundaries: dict,
                 params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """Share of pupils at a mark's first score among those at it or one point below, against the region.

    Test: one-sided Fisher exact test (school vs the rest of the region, pooled over the boundaries);
    flagged when p < ``heaping_alpha``. Evaluated from ``min_participants`` participants and
    ``heaping_min_pairs`` pupils at or just below a boundary.
    """
    counts = heaping_counts(results, boundaries)
    n, pairs = counts["n"].to_numpy(), counts["pairs"].to_numpy()
    evaluated = (n >= params.min_participants) & (pairs >= params.heaping_min_pairs)
    p = counts["p_value"].to_numpy()
    flagged = evaluated & (p < params.heaping_alpha)
    region_share = float(counts["region_share"].iloc[0]) if len(counts) else np.nan
    explanation = [
        (_not_evaluated(k, params.min_participants) if k < params.min_participants else
         _not_evaluated(k, 0, f"на границах и на балл ниже {pr} < {params.heaping_min_pairs} участников"))
        if not ok else
        (f"На первом балле отметки {number(share, 0)} % участников из находящихся на нём или на балл ниже "
         f"(в регионе {number(region_share, 0)} %), точный тест Фишера p = {significant(pv)} < "
         f"{_setting(params.heaping_alpha)}: {SIGN_WORDING}." if flag else
         f"На границах отметок {number(share, 0)} % (в регионе {number(region_share, 0)} %), p = {significant(pv)}: "
         f"{NOT_FOUND}.")
        for k, pr, share, pv, ok, flag in zip(n, pairs, counts["share"], p, evaluated, flagged)
    ]
    return _rows(HEAPING, counts["school_id"], counts["share"], region_share, n, evaluated, flagged,
                 np.where(evaluated, p, np.nan), explanation)


# --- raised marks ---------------------------------------------------------------------------------------

def raised_marks_sign(results: pd.DataFrame, params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """Share of pupils whose ВПР mark is above their journal mark, far above the region's share.

    Rule: flagged when the school's share exceeds the region's by at least ``raised_excess_pp`` percentage
    points AND the one-sided exact binomial test against the region's share gives p < ``raised_alpha``.
    Base: pupils with both marks; evaluated from ``min_participants`` of them.
    """
    journal = results["journal_mark"].to_numpy(dtype=float)
    mark = results["mark"].to_numpy(dtype=float)
    both = ~np.isnan(journal) & ~np.isnan(mark)
    frame = pd.DataFrame({"school_id": results["school_id"].to_numpy(), "both": both,
                          "raised": both & (mark > journal)})
    per_school = frame.groupby("school_id").agg(m=("both", "sum"), raised=("raised", "sum")).reset_index()
    m, raised = per_school["m"].to_numpy(), per_school["raised"].to_numpy()
    region = raised.sum() / max(m.sum(), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(m > 0, raised * 100.0 / np.where(m > 0, m, 1), np.nan)
    p = np.where(m > 0, stats.binom.sf(raised - 1, m, region), np.nan)
    evaluated = m >= params.min_participants
    threshold = region * 100 + params.raised_excess_pp
    flagged = evaluated & (share >= threshold) & (p < params.raised_alpha)
    explanation = [
        _not_evaluated(k, params.min_participants, f"с обеими отметками {k} < {params.min_participants}") if not ok else
        (f"Повысили отметку {number(s, 0)} % (в регионе {number(region * 100, 0)} %, порог {number(threshold, 0)} %), "
         f"биномиальный тест p = {significant(pv)} < {_setting(params.raised_alpha)}: {SIGN_WORDING}." if flag else
         f"Повысили отметку {number(s, 0)} % (в регионе {number(region * 100, 0)} %): {NOT_FOUND}.")
        for k, s, pv, ok, flag in zip(m, share, p, evaluated, flagged)
    ]
    return _rows(RAISED, per_school["school_id"], share, threshold, m, evaluated, flagged,
                 np.where(evaluated, p, np.nan), explanation)


# --- region index ---------------------------------------------------------------------------------------

def objectivity_index(signs: pd.DataFrame, criteria=tuple(c.code for c in OFFICIAL)) -> dict:
    """Region objectivity index = 100 − % of evaluated schools with at least one sign.

    ``signs`` is any concatenation of sign rows (several procedures and criteria); a school counts as
    evaluated when at least one of ``criteria`` was evaluated for it.
    """
    rows = signs[signs["criterion"].isin(criteria)]
    per_school = rows.groupby("school_id").agg(evaluated=("evaluated", "any"), flagged=("flagged", "any"))
    evaluated = int(per_school["evaluated"].sum())
    flagged = int((per_school["evaluated"] & per_school["flagged"]).sum())
    index = 100.0 - flagged * 100.0 / evaluated if evaluated else np.nan
    return {"evaluated_schools": evaluated, "schools_with_signs": flagged, "index": index}


# --- calibrated evaluation ------------------------------------------------------------------------------

def _robust_heterogeneity(estimates, variances):
    """Centre (median) and between-school variance τ² (MAD² minus typical sampling variance, ≥ 0).

    Robust on purpose: the schools we look for are a minority and must not widen the honest spread.
    """
    estimates = np.asarray(estimates, dtype=float)
    ok = np.isfinite(estimates)
    if ok.sum() < 3:
        return 0.0, 0.0
    centre = float(np.median(estimates[ok]))
    spread = 1.4826 * float(np.median(np.abs(estimates[ok] - centre)))
    return centre, max(0.0, spread ** 2 - float(np.median(np.asarray(variances)[ok])))


HEAPING_SOURCE_WEIGHTS = (1.0, 2 / 3, 1 / 3)  # share moved from cut−1, cut−2, cut−3 (per unit of π)


def boundary_moves(max_score: int, boundaries: dict, weights=HEAPING_SOURCE_WEIGHTS) -> np.ndarray:
    """The heaping alternative as a matrix: ``moves[cut, cut − j] = w_j`` for every mark's first score.

    Row = where pupils arrive, column = where they come from; cuts outside 1…max are ignored.
    """
    moves = np.zeros((max_score + 1, max_score + 1))
    for cut in sorted({int(v) for v in boundaries.values()}):
        if 0 < cut <= max_score:
            for j, weight in enumerate(weights, start=1):
                if cut - j >= 0:
                    moves[cut, cut - j] += weight
    return moves


def _score_counts(results: pd.DataFrame, max_score: int):
    """Schools (sorted) and their counts of pupils per primary score 0…max (school × score)."""
    scores = np.clip(np.rint(results["primary_score"].to_numpy(dtype=float)), 0, max_score).astype(int)
    schools, codes = np.unique(results["school_id"].to_numpy(), return_inverse=True)
    size = max_score + 1
    counts = np.bincount(codes * size + scores, minlength=len(schools) * size).reshape(len(schools), size)
    return schools, counts.astype(float)


def _tilt_basis(region: np.ndarray) -> np.ndarray:
    """Score × 2: the standardised score z (the school's level) and −z² (how much narrower it is)."""
    x = np.arange(len(region), dtype=float)
    total = max(region.sum(), 1)
    mean = (region * x).sum() / total
    sd = np.sqrt((region * (x - mean) ** 2).sum() / total)
    z = (x - mean) / (sd if sd > 0 else 1.0)
    return np.stack([z, -z ** 2], axis=1)


def tilted_reference(counts: np.ndarray, iterations: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Each school's expected score distribution: the region's without the school, tilted to its level and
    narrowed to its spread. Returns (q, basis).

    q_s(x) ∝ f_s(x)·exp(β₁·z − β₂·z²), f_s = the region's counts minus the school's (+½ so that no score is
    impossible), z = the standardised score. β by Newton's method on the school's likelihood with a weak
    N(0, 1) prior (finite for a school whose pupils share one score); β₂ ≥ 0: a school may be narrower
    than the region (which mixes all schools) but not hollowed out in the middle, which a wide school
    with a free β₂ would do and then turn one pupil in the hollow into «heaping».
    """
    region = counts.sum(axis=0)
    reference = region[None, :] - counts + 0.5
    reference /= reference.sum(axis=1, keepdims=True)
    basis = _tilt_basis(region)
    n, observed = counts.sum(axis=1), counts @ basis
    beta = np.zeros((len(counts), basis.shape[1]))
    for _ in range(iterations):
        q = _tilt(reference, beta, basis)
        mean, covariance = _moments(q, basis)
        gradient = observed - n[:, None] * mean - beta
        hessian = n[:, None, None] * covariance + np.eye(basis.shape[1])[None]
        step = np.linalg.solve(hessian, gradient[:, :, None])[:, :, 0]
        # β₂ at its bound: a Newton step in β₁ alone (projecting the joint step would stall there)
        bound = beta[:, 1] + step[:, 1] < 0
        step[bound, 0] = gradient[bound, 0] / hessian[bound, 0, 0]
        step[bound, 1] = -beta[bound, 1]
        step = np.clip(step, -2, 2)
        beta = beta + step
        if np.abs(step).max(initial=0) < 1e-8:
            break
    return _tilt(reference, beta, basis), basis


def _moments(q, basis):
    mean = q @ basis
    second = np.einsum("sk,ki,kj->sij", q, basis, basis)
    return mean, second - mean[:, :, None] * mean[:, None, :]


def _tilt(reference, beta, basis):
    log_q = np.log(reference) + beta @ basis.T
    q = np.exp(log_q - log_q.max(axis=1, keepdims=True))
    return q / q.sum(axis=1, keepdims=True)


HEAPING_CUT_CAP = 3.0  # no single boundary of one procedure may carry more than z = 3 of a school's evidence


def heaping_shape(results: pd.DataFrame, max_score: int, boundaries: dict,
                  weights=HEAPING_SOURCE_WEIGHTS) -> pd.DataFrame:
    """Per school, for one procedure: the score test of heaping at every mark boundary (see the module).

    Columns: ``n``; ``at`` / ``at_expected`` — pupils on a mark's first score, observed and expected from
    the school's tilted reference; ``below`` / ``below_expected`` — the same 1–3 points below a cut;
    ``heaping_u`` (the score U = Σ pupils' h(x), h = ∂ log q_π(x)/∂π at π = 0), ``heaping_info`` (its
    variance with the tilt's uncertainty removed) and ``heaping_z`` — the boundaries' z_c = U_c/√I_c, each
    capped at ``HEAPING_CUT_CAP``, pooled Σ√I_c·z_c/√ΣI_c (= U/√I when no boundary reaches the cap; NaN
    when I = 0). The cap keeps one clump of equal scores that happens to sit on a cut from making a sign
    alone; heaping shows at every boundary where the school has pupils.
    """
    schools, counts = _score_counts(results, max_score)
    q, basis = tilted_reference(counts)
    n = counts.sum(axis=1)
    parts = [_score_test(counts, q, basis, boundary_moves(max_score, {"": cut}, weights))
             for cut in sorted({int(v) for v in boundaries.values()}) if 0 < cut <= max_score]
    u = np.sum([part[0] for part in parts], axis=0) if parts else np.zeros(len(n))
    info = np.sum([part[1] for part in parts], axis=0) if parts else np.zeros(len(n))
    capped = np.zeros(len(n))
    with np.errstate(divide="ignore", invalid="ignore"):
        for part_u, part_info in parts:
            capped += np.where(part_info > 1e-12, np.minimum(part_u / np.sqrt(part_info), HEAPING_CUT_CAP)
                               * np.sqrt(part_info), 0)
        z = np.where(info > 1e-12, capped / np.sqrt(info), np.nan)
    moves = boundary_moves(max_score, boundaries, weights)
    cuts = moves.sum(axis=1) > 0
    sources = (moves.sum(axis=0) > 0) & ~cuts
    return pd.DataFrame({
        "school_id": schools, "n": n.astype(int),
        "at": counts[:, cuts].sum(axis=1).astype(int), "at_expected": n * q[:, cuts].sum(axis=1),
        "below": counts[:, sources].sum(axis=1).astype(int), "below_expected": n * q[:, sources].sum(axis=1),
        "heaping_u": u, "heaping_info": info, "heaping_z": z,
    })


def _score_test(counts, q, basis, moves):
    """U and its efficient information for the moves of one boundary, per school."""
    h = (q @ moves.T) / q - moves.sum(axis=0)[None, :]
    n = counts.sum(axis=1)
    _, covariance = _moments(q, basis)
    cov_hb = (q * h) @ basis  # E[h] = 0 by construction, so E[h·b] is the covariance
    regularised = covariance + 1e-12 * np.eye(basis.shape[1])[None]
    explained = np.einsum("si,si->s", cov_hb, np.linalg.solve(regularised, cov_hb[:, :, None])[:, :, 0])
    return (counts * h).sum(axis=1), n * np.maximum((q * h ** 2).sum(axis=1) - explained, 0)


def empirical_null(z) -> np.ndarray:
    """z on the honest spread between schools: (z − median) / max(1, 1.4826·MAD) over the finite values.

    Never narrower than the theoretical N(0, 1): a region of identical honest schools keeps its nominal
    error rate, a region whose honest schools differ more than sampling explains gets a wider null.
    """
    z = np.asarray(z, dtype=float)
    finite = np.isfinite(z)
    if finite.sum() < 10:
        return z
    centre = float(np.median(z[finite]))
    spread = 1.4826 * float(np.median(np.abs(z[finite] - centre)))
    return (z - centre) / max(1.0, spread)


def calibrated_components(results: pd.DataFrame, max_score: int, boundaries: dict,
                          params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """Per school, for one procedure: the z-scores of the journal signals and of heaping.

    - ``residual_z``: mean residual of % completion after the region-wide regression on journal mark
      (the region's mean % per journal mark), over the honest spread: z = (r̄ − median) / √(τ² + σ²/m);
      large when results are higher than the school's own journal explains.
    - ``consistency_z``: Fisher-transformed Spearman ρ(journal, score) against the typical school:
      z = (atanh ρ − median) / √(τ² + 1.06/(m − 3)); very negative when results run against the journal.
    - ``heaping_z``: the score test of ``heaping_shape`` on the empirical null of the procedure's schools,
      with ``heaping_weight`` = √I for pooling; ``at``/``below`` and their ``_expected`` for the explanation.
    NaN where the school is below ``min_participants`` (not evaluated); the heaping z also where no pupil
    of the school is on a cut or 1–3 points below it.
    """
    pct = results["primary_score"].to_numpy(dtype=float) * 100.0 / max_score
    journal = results["journal_mark"].to_numpy(dtype=float)
    with_mark = ~np.isnan(journal)
    frame = pd.DataFrame({"school_id": results["school_id"].to_numpy()[with_mark], "pct": pct[with_mark],
                          "journal": journal[with_mark]})
    frame["residual"] = frame["pct"] - frame.groupby("journal")["pct"].transform("mean")
    per_school = frame.groupby("school_id")["residual"].agg(["count", "mean"])
    within = frame["residual"] - frame["school_id"].map(per_school["mean"])
    sigma2 = float((within ** 2).sum() / max(len(frame) - len(per_school), 1))
    m = per_school["count"].to_numpy(dtype=float)
    ok = m >= params.min_participants
    variance = sigma2 / m
    centre, tau2 = _robust_heterogeneity(np.where(ok, per_school["mean"], np.nan), variance)
    residual = pd.DataFrame({
        "school_id": per_school.index,
        "journal_n": m.astype(int),
        "residual_mean": per_school["mean"].to_numpy(),
        "residual_z": np.where(ok, (per_school["mean"].to_numpy() - centre) / np.sqrt(tau2 + variance), np.nan),
    })

    rho = school_spearman(results)
    n = rho["n"].to_numpy(dtype=float)
    usable = (n >= max(params.min_participants, 5)) & np.isfinite(rho["rho"].to_numpy())
    zeta = np.arctanh(np.clip(rho["rho"].to_numpy(), -0.999, 0.999))
    with np.errstate(divide="ignore", invalid="ignore"):
        zeta_var = np.where(usable, 1.06 / (n - 3), np.nan)
    c_centre, c_tau2 = _robust_heterogeneity(np.where(usable, zeta, np.nan), np.where(usable, zeta_var, 0))
    consistency = pd.DataFrame({
        "school_id": rho["school_id"], "rho": rho["rho"],
        "consistency_z": np.where(usable, (zeta - c_centre) / np.sqrt(c_tau2 + zeta_var), np.nan),
    })

    heaping = heaping_shape(results, max_score, boundaries)
    usable = (heaping["n"] >= params.min_participants) & (heaping["at"] + heaping["below"] > 0)
    heaping["heaping_z"] = empirical_null(heaping["heaping_z"].where(usable))
    heaping["heaping_weight"] = np.sqrt(heaping["heaping_info"].where(usable))
    columns = ["school_id", "n", "at", "at_expected", "below", "below_expected", "heaping_z", "heaping_weight"]
    out = heaping[columns].merge(residual, on="school_id", how="left")
    return out.merge(consistency, on="school_id", how="left")


def cohort_components(cohort: pd.DataFrame, params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """Per school, the cohort change in standard errors: d = ln S4 − ln S5 with se² by the delta method
    (sd4²/(n4·S4²) + sd5²/(n5·S5²)), against the honest spread: z = (d − median) / √(τ² + se²).
    Positive z — the cohort fell in grade 5; negative — it rose."""
    n4, n5 = cohort["n4"].to_numpy(), cohort["n5"].to_numpy()
    s4, s5 = cohort["s4"].to_numpy(dtype=float), cohort["s5"].to_numpy(dtype=float)
    ok = (np.minimum(n4, n5) >= params.min_participants) & (s4 > 0) & (s5 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(ok, np.log(np.where(ok, s4, 1)) - np.log(np.where(ok, s5, 1)), np.nan)
        se2 = (cohort["sd4"].to_numpy() ** 2 / (n4 * s4 ** 2) + cohort["sd5"].to_numpy() ** 2 / (n5 * s5 ** 2))
    se2 = np.where(ok, se2, np.nan)
    centre, tau2 = _robust_heterogeneity(d, np.where(ok, se2, 0))
    return pd.DataFrame({"school_id": cohort["school_id"], "cohort_n": np.minimum(n4, n5),
                         "cohort_z": (d - centre) / np.sqrt(tau2 + se2)})


def _stouffer(z_matrix, weights=None):
    """Combine z-scores of several procedures, allowing for their correlation across schools.

    Honest school effects are shared between subjects, so the z-scores of one school are correlated;
    the average pairwise correlation ρ̄ (estimated over schools, ≥ 0) enters Var(Σwz) = Σw² + ρ̄·Σ_{i≠j} w_i·w_j
    (equal weights: k + k(k−1)ρ̄). ``weights`` (same shape) weigh a procedure by its information.
    """
    z = np.asarray(z_matrix, dtype=float)
    finite = np.isfinite(z)
    k = finite.sum(axis=1)
    w = np.where(finite, 1.0 if weights is None else np.nan_to_num(np.asarray(weights, dtype=float)), 0.0)
    correlations = []
    for i in range(z.shape[1]):
        for j in range(i + 1, z.shape[1]):
            both = finite[:, i] & finite[:, j]
            if both.sum() > 10:
                correlations.append(stats.spearmanr(z[both, i], z[both, j])[0])
    rho = float(np.clip(np.nanmean(correlations), 0, 0.99)) if correlations else 0.0
    total = np.where(finite, z * w, 0.0).sum(axis=1)
    variance = (w ** 2).sum(axis=1) + rho * (w.sum(axis=1) ** 2 - (w ** 2).sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((k > 0) & (variance > 0), total / np.sqrt(variance), np.nan), k


def adjust_p_values(p_values, method: str = "bh") -> np.ndarray:
    """Benjamini–Hochberg ("bh") or Holm ("holm") adjusted p-values; NaN stays NaN (not tested)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    tested = np.isfinite(p)
    if not tested.any():
        return out
    if method == "bh":
        out[tested] = stats.false_discovery_control(p[tested], method="bh")
    elif method == "holm":
        values = p[tested]
        order = np.argsort(values)
        m = len(values)
        adjusted = np.maximum.accumulate((m - np.arange(m)) * values[order])
        result = np.empty(m)
        result[order] = np.minimum(adjusted, 1.0)
        out[tested] = result
    else:
        raise ValueError("multiple_testing: 'bh' или 'holm'")
    return out


def calibrated_evaluation(components: list, cohorts: list | None = None,
                          params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """Combine one year's procedures into four signals per school and control the error over all of them.

    ``components``: ``calibrated_components`` frames of the year's procedures; ``cohorts``:
    ``cohort_components`` frames (one per subject). Per school: the residual and consistency z-scores are
    combined across procedures (correlation-adjusted Stouffer), the heaping z-scores the same way weighted by
    √(information) of each procedure (``heaping_shape``), the cohort z-scores two-sided. All (school, signal)
    p-values of the region are then adjusted together (Benjamini–Hochberg by default); a signal is flagged
    when its adjusted p (``threshold`` column holds ``fdr_q``) is at most ``fdr_q``. Rows: ``SIGN_COLUMNS``
    plus ``q_value``; ``value`` is the combined z.
    Nominal false-positive rate: each p-value is uniform for an honest school (the honest spread between
    schools is part of the null), so before adjustment P(p < α) ≈ α; after BH the expected share of false
    discoveries among flagged signals is at most ``fdr_q`` (Holm: the chance of any false flag).
    """
    schools = np.unique(np.concatenate([c["school_id"].to_numpy() for c in components]))
    index = pd.Index(schools)

    def matrix(column, frames):
        out = np.full((len(schools), len(frames)), np.nan)
        for j, frame in enumerate(frames):
            out[index.get_indexer(frame["school_id"]), j] = frame[column].to_numpy(dtype=float)
        return out

    residual_z, residual_k = _stouffer(matrix("residual_z", components))
    consistency_z, consistency_k = _stouffer(matrix("consistency_z", components))
    heaping_z, heaping_k = _stouffer(matrix("heaping_z", components), matrix("heaping_weight", components))
    sizes = matrix("n", components)
    sample = np.nan_to_num(np.nanmax(np.where(np.isfinite(sizes), sizes, -1), axis=1), nan=0).clip(0).astype(int)
    # An infinite pooled z (no information at all) is a signal not evaluated, never a stored −∞.
    heaping_z = np.where(np.isfinite(heaping_z), heaping_z, np.nan)
    signals = [
        (CAL_RESIDUAL, residual_z, stats.norm.sf(residual_z), residual_k),
        (CAL_CONSISTENCY, consistency_z, stats.norm.cdf(consistency_z), consistency_k),
        (CAL_HEAPING, heaping_z, stats.norm.sf(heaping_z), heaping_k, _heaping_details(matrix, components)),
    ]
    if cohorts:
        cohort_z, cohort_k = _stouffer(matrix("cohort_z", cohorts))
        signals.append((CAL_COHORT, cohort_z, 2 * stats.norm.sf(np.abs(cohort_z)), cohort_k))
    p_all = np.concatenate([s[2] for s in signals])
    q_all = adjust_p_values(p_all, params.multiple_testing).reshape(len(signals), len(schools))
    frames = []
    for (criterion, z, p, k, *details), q in zip(signals, q_all):
        evaluated = np.isfinite(p)
        flagged = evaluated & (q <= params.fdr_q)
        details = details[0] if details else [""] * len(schools)
        explanation = [_calibrated_explanation(criterion, zi, pi, qi, ki, ok, flag, params, detail)
                       for zi, pi, qi, ki, ok, flag, detail in zip(z, p, q, k, evaluated, flagged, details)]
        rows = _rows(criterion, schools, z, params.fdr_q, sample, evaluated, flagged, p, explanation)
        rows.insert(len(rows.columns) - 1, "q_value", np.where(rows["evaluated"], q, np.nan))
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def _heaping_details(matrix, components) -> list[str]:
    """«на первых баллах отметок 23 участника при ожидаемых 14,2, на 1–3 балла ниже — 5 при ожидаемых 12,8»,
    summed over the procedures that entered the school's heaping z."""
    used = np.isfinite(matrix("heaping_z", components))
    totals = {column: np.where(used, matrix(column, components), 0).sum(axis=1)
              for column in ("at", "at_expected", "below", "below_expected")}
    return [f" На первых баллах отметок {number(at, 0)} {plural(int(at), 'участник', 'участника', 'участников')} "
            f"при ожидаемых {number(at_expected, 1)}, на 1–3 балла ниже — {number(below, 0)} при ожидаемых "
            f"{number(below_expected, 1)} (ожидание — распределение баллов региона по той же работе, сдвинутое "
            f"к уровню школы)."
            for at, at_expected, below, below_expected in zip(*totals.values())]


def _calibrated_explanation(criterion, z, p, q, k, evaluated, flagged, params, detail=""):
    if not evaluated:
        if criterion is CAL_COHORT:
            return (f"Не оценивалось: нет когорты 4 → 5 класс с не менее чем {params.min_participants} участниками "
                    "в обоих годах")
        if criterion is CAL_HEAPING:
            return (f"Не оценивалось: ни в одной процедуре нет {params.min_participants} участников, из которых "
                    "хотя бы один на первом балле отметки или на 1–3 балла ниже")
        return f"Не оценивалось: ни в одной процедуре нет {params.min_participants} участников"
    method = "Бенджамини — Хохберга" if params.multiple_testing == "bh" else "Холма"
    procedures = plural(k, "процедуре", "процедурам", "процедурам")
    base = (f"{criterion.title}: z = {number(z, 2)} по {k} {procedures}, p = {significant(p)}, с поправкой {method} "
            f"q = {significant(q)}")
    if flagged:
        return f"{base} ≤ {_setting(params.fdr_q)}: {SIGN_WORDING}.{detail}"
    return f"{base}: {NOT_FOUND}.{detail}"


def school_summary(calibrated: pd.DataFrame) -> pd.DataFrame:
    """One row per school: evaluated by any signal, flagged by any, and the codes of its signals."""
    flagged_codes = calibrated[calibrated["flagged"]].groupby("school_id")["criterion"].agg(", ".join)
    summary = calibrated.groupby("school_id").agg(evaluated=("evaluated", "any"), flagged=("flagged", "any"))
    summary["signals"] = flagged_codes.reindex(summary.index).fillna("")
    return summary.reset_index()
