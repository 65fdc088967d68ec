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
CAL_HEAPING = Criterion("cal_heaping", 1, "Избыток участников на границах отметок")
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


def calibrated_components(results: pd.DataFrame, max_score: int, boundaries: dict,
                          params: ObjectivityParams = ObjectivityParams()) -> pd.DataFrame:
    """Per school, for one procedure: the z-scores of the journal signals and the heaping p-value.

    - ``residual_z``: mean residual of % completion after the region-wide regression on journal mark
      (the region's mean % per journal mark), over the honest spread: z = (r̄ − median) / √(τ² + σ²/m);
      large when results are higher than the school's own journal explains.
    - ``consistency_z``: Fisher-transformed Spearman ρ(journal, score) against the typical school:
      z = (atanh ρ − median) / √(τ² + 1.06/(m − 3)); very negative when results run against the journal.
    - ``heaping_p``: the one-sided Fisher exact test of ``heaping_counts``.
    NaN where the school is below ``min_participants`` (not evaluated).
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

    heaping = heaping_counts(results, boundaries)
    heaping["heaping_p"] = np.where(heaping["n"] >= params.min_participants, heaping["p_value"], np.nan)
    out = heaping[["school_id", "n", "at", "below", "heaping_p"]].merge(residual, on="school_id", how="left")
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


def _stouffer(z_matrix):
    """Combine z-scores of several procedures, allowing for their correlation across schools.

    Honest school effects are shared between subjects, so the z-scores of one school are correlated;
    the average pairwise correlation ρ̄ (estimated over schools, ≥ 0) enters Var(Σz) = k + k(k−1)ρ̄.
    """
    z = np.asarray(z_matrix, dtype=float)
    k = np.isfinite(z).sum(axis=1)
    correlations = []
    for i in range(z.shape[1]):
        for j in range(i + 1, z.shape[1]):
            both = np.isfinite(z[:, i]) & np.isfinite(z[:, j])
            if both.sum() > 10:
                correlations.append(stats.spearmanr(z[both, i], z[both, j])[0])
    rho = float(np.clip(np.nanmean(correlations), 0, 0.99)) if correlations else 0.0
    total = np.nansum(z, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(k > 0, total / np.sqrt(k + k * (k - 1) * rho), np.nan), k


def _fisher_combination(p_matrix):
    p = np.asarray(p_matrix, dtype=float)
    k = np.isfinite(p).sum(axis=1)
    statistic = -2.0 * np.nansum(np.log(np.clip(p, 1e-300, 1)), axis=1)
    return np.where(k > 0, stats.chi2.sf(statistic, 2 * np.maximum(k, 1)), np.nan), k


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
    combined across procedures (correlation-adjusted Stouffer), heaping p-values by Fisher's method, the
    cohort z-scores two-sided. All (school, signal) p-values of the region are then adjusted together
    (Benjamini–Hochberg by default); a signal is flagged when its adjusted p (``threshold`` column holds
    ``fdr_q``) is at most ``fdr_q``. Rows: ``SIGN_COLUMNS`` plus ``q_value``; ``value`` is the combined z
    (for heaping, the z of the combined p).
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
    heaping_p, heaping_k = _fisher_combination(matrix("heaping_p", components))
    sizes = matrix("n", components)
    sample = np.nan_to_num(np.nanmax(np.where(np.isfinite(sizes), sizes, -1), axis=1), nan=0).clip(0).astype(int)
    # No pupil at any mark's first score gives p = 1 (z = −∞): nothing is heaped there, the signal is not evaluated.
    # A p-value below floating point's reach (strong heaping) keeps a finite z.
    heaping_p = np.where(heaping_p >= 1.0, np.nan, heaping_p)
    signals = [
        (CAL_RESIDUAL, residual_z, stats.norm.sf(residual_z), residual_k),
        (CAL_CONSISTENCY, consistency_z, stats.norm.cdf(consistency_z), consistency_k),
        (CAL_HEAPING, stats.norm.isf(np.clip(heaping_p, 1e-300, 1.0)), heaping_p, heaping_k),
    ]
    if cohorts:
        cohort_z, cohort_k = _stouffer(matrix("cohort_z", cohorts))
        signals.append((CAL_COHORT, cohort_z, 2 * stats.norm.sf(np.abs(cohort_z)), cohort_k))
    p_all = np.concatenate([s[2] for s in signals])
    q_all = adjust_p_values(p_all, params.multiple_testing).reshape(len(signals), len(schools))
    frames = []
    for (criterion, z, p, k), q in zip(signals, q_all):
        evaluated = np.isfinite(p)
        flagged = evaluated & (q <= params.fdr_q)
        explanation = [_calibrated_explanation(criterion, zi, pi, qi, ki, ok, flag, params)
                       for zi, pi, qi, ki, ok, flag in zip(z, p, q, k, evaluated, flagged)]
        rows = _rows(criterion, schools, z, params.fdr_q, sample, evaluated, flagged, p, explanation)
        rows.insert(len(rows.columns) - 1, "q_value", np.where(rows["evaluated"], q, np.nan))
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def _calibrated_explanation(criterion, z, p, q, k, evaluated, flagged, params):
    if not evaluated:
        if criterion is CAL_COHORT:
            return (f"Не оценивалось: нет когорты 4 → 5 класс с не менее чем {params.min_participants} участниками "
                    "в обоих годах")
        if criterion is CAL_HEAPING and k > 0:
            return "Не оценивалось: ни одного участника на первом балле отметки — скопления на границе нет"
        return f"Не оценивалось: ни в одной процедуре нет {params.min_participants} участников"
    method = "Бенджамини — Хохберга" if params.multiple_testing == "bh" else "Холма"
    procedures = plural(k, "процедуре", "процедурам", "процедурам")
    base = (f"{criterion.title}: z = {number(z, 2)} по {k} {procedures}, p = {significant(p)}, с поправкой {method} "
            f"q = {significant(q)}")
    if flagged:
        return f"{base} ≤ {_setting(params.fdr_q)}: {SIGN_WORDING}."
    return f"{base}: {NOT_FOUND}."


def school_summary(calibrated: pd.DataFrame) -> pd.DataFrame:
    """One row per school: evaluated by any signal, flagged by any, and the codes of its signals."""
    flagged_codes = calibrated[calibrated["flagged"]].groupby("school_id")["criterion"].agg(", ".join)
    summary = calibrated.groupby("school_id").agg(evaluated=("evaluated", "any"), flagged=("flagged", "any"))
    summary["signals"] = flagged_codes.reindex(summary.index).fillna("")
    return summary.reset_index()
