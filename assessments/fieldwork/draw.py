"""Random, reproducible choices of a campaign: which works are drawn, which schools check which.

Pure functions (numpy's Generator, no ORM): the same seed and the same inputs give the same answer.
"""
import math

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching


def works_to_draw(population: int, share_percent: int, minimum: int) -> int:
    """How many of a school's works to draw: the share rounded up, at least `minimum`, at most all."""
    wanted = max(math.ceil(population * share_percent / 100), minimum)
    return min(wanted, population)


def school_generator(seed: int, school_id: int) -> np.random.Generator:
    """One stream per school, so adding a school to a campaign does not change another school's draw."""
    return np.random.default_rng([seed, school_id])


def draw_codes(codes, *, seed: int, school_id: int, share_percent: int, minimum: int) -> list[str]:
    """Participant codes drawn for checking; the population is the sorted list of codes."""
    population = sorted(codes)
    size = works_to_draw(len(population), share_percent, minimum)
    if size == 0:
        return []
    chosen = school_generator(seed, school_id).choice(len(population), size=size, replace=False)
    return sorted(population[i] for i in chosen)


def sample_schools(school_ids, *, size: int, seed: int) -> list[int]:
    """A random sample of participating schools (for a campaign chosen by lot)."""
    population = sorted(school_ids)
    size = min(size, len(population))
    chosen = np.random.default_rng(seed).choice(len(population), size=size, replace=False)
    return sorted(population[i] for i in chosen)


def pick_least_loaded(candidates, load: dict, rng: np.random.Generator, count: int) -> list:
    """`count` candidates with the lowest current load; ties broken at random (reproducibly)."""
    tie_breakers = rng.random(len(candidates))
    ranked = sorted(zip(candidates, tie_breakers), key=lambda pair: (load.get(pair[0], 0), pair[1]))
    return [candidate for candidate, _ in ranked[:count]]


class PairingError(ValueError):
    """No pairing of schools satisfies the rules."""


def pair_schools(schools: dict[int, int], *, within_municipality: bool, forbidden: set[frozenset],
                 seed: int) -> dict[int, int]:
    """Cross-check pairing: school → the school whose teachers check its works.

    `schools` maps school id → municipality id. Every school checks exactly one other and is checked by
    exactly one; no school checks itself; within or across municipalities as asked; no unordered pair
    from `forbidden` (last year's pairs). A perfect bipartite matching (Hopcroft–Karp) over the allowed
    pairs, on a seeded random order of schools and checkers, so the pairing is random yet always found
    when one exists.
    """
    rng = np.random.default_rng(seed)
    rows = [int(x) for x in rng.permutation(sorted(schools))]
    columns = [int(x) for x in rng.permutation(sorted(schools))]
    allowed = np.array([
        [checker != school and frozenset((school, checker)) not in forbidden
         and (schools[checker] == schools[school]) == within_municipality for checker in columns]
        for school in rows
    ], dtype=bool).reshape(len(rows), len(columns))
    matched = maximum_bipartite_matching(csr_matrix(allowed), perm_type="column") if len(rows) else []
    if len(rows) == 0 or (np.asarray(matched) < 0).any():
        raise PairingError(
            "Не удалось составить пары школ: для некоторых школ нет допустимого партнёра "
            "(в том же или другом муниципалитете, без повторения пар прошлого года)."
        )
    return {school: columns[column] for school, column in zip(rows, matched)}
