"""The two publication rules every public page, feed and JSON answer obeys.

1. Small groups: a group (region, municipality, school) of fewer than MIN_PUBLIC_GROUP pupils is not shown:
   its name may stay, every figure about it is withheld.
2. No pupil data: nothing that describes one pupil (code, task scores, journal mark…) ever leaves.
"""
from collections.abc import Iterable, Mapping

MIN_PUBLIC_GROUP = 10

# Field names of pupil-level data (assessments.ParticipantResult): none may appear in a public answer.
PUPIL_FIELDS = frozenset({
    "participant_code", "task_scores", "not_attempted", "journal_mark", "primary_score", "test_score",
    "class_name", "sex", "passed",
})
SUPPRESSED_NOTE = "скрыто: менее 10 участников"


class PupilDataError(ValueError):
    """A public answer was about to carry pupil-level data; it is a programming error, never shown."""


def suppress_small_groups(rows: Iterable[Mapping], *, count_field: str = "participants",
                          keep: Iterable[str] = ("name", "code", "level")) -> list[dict]:
    """Rows with fewer than MIN_PUBLIC_GROUP participants keep only their identifying fields.

    A suppressed row gets `suppressed: True` and loses its count too (a count alone could reveal
    a small school), so a page shows the group's name with «скрыто» instead of figures.
    """
    kept = set(keep)
    result = []
    for row in rows:
        count = row.get(count_field)
        if count is None or count < MIN_PUBLIC_GROUP:
            result.append({key: value for key, value in row.items() if key in kept} | {"suppressed": True})
        else:
            result.append(dict(row) | {"suppressed": False})
    return result


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
