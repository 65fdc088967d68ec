"""The two publication rules every public page, feed and JSON answer obeys.

1. Small groups: a group (region, municipality, school) of fewer than MIN_PUBLIC_GROUP pupils is not shown:
   its name may stay, every figure about it is withheld. Complementary suppression keeps it hidden: the total
   (the region) minus the groups shown must never single out a withheld group or fewer than MIN_PUBLIC_GROUP
   pupils, so further groups are withheld — the smallest first — until what the difference reveals is at least
   two groups and at least MIN_PUBLIC_GROUP pupils.
2. No pupil data: nothing that describes one pupil (code, task scores, journal mark…) ever leaves.
"""
from collections.abc import Iterable, Mapping

MIN_PUBLIC_GROUP = 10

# Field names of pupil-level data (assessments.ParticipantResult): none may appear in a public answer.
PUPIL_FIELDS = frozenset({
    "participant_code", "task_scores", "not_attempted", "journal_mark", "primary_score", "test_score",
    "class_name", "sex", "passed",
})
SUPPRESSED_NOTE = ("скрыто: менее 10 участников; чтобы скрытую группу нельзя было вычислить вычитанием из итога, "
                   "скрывается и следующая по величине")


class PupilDataError(ValueError):
    """A public answer was about to carry pupil-level data; it is a programming error, never shown."""


def suppress_small_groups(rows: Iterable[Mapping], *, count_field: str = "participants",
                          keep: Iterable[str] = ("name", "code", "level"), total: int | None = None) -> list[dict]:
    """Rows with fewer than MIN_PUBLIC_GROUP participants keep only their identifying fields.

    A suppressed row gets `suppressed: True` and loses its count too (a count alone could reveal
    a small school), so a page shows the group's name with «скрыто» instead of figures.
    `total` is the published count of the whole the rows are parts of (the region): when given, further rows
    are withheld so that `total` minus the shown rows reveals no withheld group (`complementary_hidden`).
    """
    rows = list(rows)
    counts = [row.get(count_field) for row in rows]
    hidden = complementary_hidden(counts, total) if total is not None else {
        index for index, count in enumerate(counts) if count is None or count < MIN_PUBLIC_GROUP}
    kept = set(keep)
    return [{key: value for key, value in row.items() if key in kept} | {"suppressed": True} if index in hidden
            else dict(row) | {"suppressed": False} for index, row in enumerate(rows)]


def complementary_hidden(counts: list[int | None], total: int) -> set[int]:
    """Indexes of the parts to withhold, given the parts' counts and the published total.

    Small parts are withheld; so is the remainder of the total no part accounts for (e.g. schools of regional
    subordination, a group of its own). As long as the withheld groups number exactly one, or hold fewer than
    MIN_PUBLIC_GROUP pupils together, the difference total − shown parts would disclose them: the smallest shown
    part is withheld too, and so on.
    """
    sizes = [count or 0 for count in counts]
    hidden = {index for index, count in enumerate(counts) if count is None or count < MIN_PUBLIC_GROUP}
    remainder = max(total - sum(sizes), 0)
    shown_by_size = sorted(set(range(len(sizes))) - hidden, key=lambda index: sizes[index])

    def disclosed() -> bool:
        groups = len(hidden) + (remainder > 0)
        return groups > 0 and (groups < 2 or remainder + sum(sizes[i] for i in hidden) < MIN_PUBLIC_GROUP)

    while disclosed() and shown_by_size:
        hidden.add(shown_by_size.pop(0))
    return hidden


def pupil_fields_in(data, path: str = "") -> list[str]:
    """Paths of every pupil-level key inside nested dicts and lists (empty list → safe)."""
    found = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if key in PUPIL_FIELDS:
                found.append(here)
            found.extend(pupil_fields_in(value, here))
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            found.extend(pupil_fields_in(value, f"{path}[{index}]"))
    return found


def ensure_public(data):
    """Returns data unchanged if it holds no pupil-level field; raises PupilDataError otherwise."""
    found = pupil_fields_in(data)
    if found:
        raise PupilDataError(f"Pupil-level fields in a public answer: {', '.join(found[:5])}")
    return data
