"""Reading the executors' cell: «Департамент, БелЦОКО БелИРО», «Клименченко Е.Н., МОУО, ОО». Pure functions.

The cell is cut into segments at semicolons and at commas followed by a capital letter (a comma
followed by a small letter continues a long name: «Отдел надзора, контроля в сфере образования…»).
In each segment every alias of the table and every person's name («Г.В. Бирюкова», «Мухартов А.А.»)
is found; a segment with neither is an unknown executor, listed for review.

Municipalities are named as places: «МОУО о.Муром, г.Ковров» narrows «МОУО» to those two offices,
and «ЗАТО г.Радужный Гороховецкий район Юрьев-Польский район» names three districts in one cell.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import re

SEGMENT_SPLIT = re.compile(r";|,\s*(?=[А-ЯЁA-Z«\"])|\n")
PERSON = re.compile(
    r"[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
    r"|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s[А-ЯЁ]\.\s?[А-ЯЁ]\.?"
)
WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+")
NOISE = re.compile(r"^[\s,.;:()\-–—«»\"]*$")


@dataclass(frozen=True)
class AliasRule:
    """One row of the alias table, detached from the ORM."""

    phrase: str
    as_suffix: bool
    target: str  # organization / kind / group / owner (AliasTarget)
    organization_id: int | None = None
    kind: str = ""
    alias_id: int | None = None


@dataclass(frozen=True)
class Token:
    text: str
    match: str  # organization / group / owner / person / unknown (ExecutorMatch), "alias" or "place" before resolving
    rule: AliasRule | None = None
    place: str = ""  # the distinctive word of a place («Муром», «Гороховецкий», «Юрьев-Польский»)


@lru_cache(maxsize=1024)
def phrase_pattern(rule: AliasRule) -> re.Pattern:
    words = [re.escape(w) for w in rule.phrase.split()]
    if rule.as_suffix:
        return re.compile(r"\b[A-Za-zА-Яа-яЁё]*" + r"\s+".join(words) + r"\b", re.IGNORECASE)
    # Long phrases are written in any case form: «департамента», «Министерства».
    ending = r"[а-яё]{0,3}" if len(rule.phrase) >= 6 else ""
    return re.compile(r"(?<![A-Za-zА-Яа-яЁё])" + r"\s+".join(words) + ending + r"(?![A-Za-zА-Яа-яЁё])",
                      re.IGNORECASE)


def is_abbreviation(word: str) -> bool:
    return sum(1 for ch in word if ch.isupper()) >= 2


def find_aliases(segment: str, rules: list[AliasRule]) -> list[tuple[int, int, AliasRule]]:
    """Alias occurrences, longest phrase first, not overlapping."""
    taken: list[tuple[int, int, AliasRule]] = []
    for rule in sorted(rules, key=lambda r: len(r.phrase), reverse=True):
        for match in phrase_pattern(rule).finditer(segment):
            if rule.as_suffix and not is_abbreviation(match.group(0)):
                continue
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end, _ in taken):
                continue
            taken.append((start, end, rule))
    return sorted(taken, key=lambda t: t[0])


PROPER = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
PLACE = re.compile(
    r"(?:ЗАТО\s*)?(?<![А-Яа-яЁё])(?:г|о|гор|пос|п|с|р-н)\.\s?(?P<town>" + PROPER + r")"
    r"|(?P<district>" + PROPER + r")\s+(?:муниципальный\s+|городской\s+)?(?:район|округ)(?![а-яё])"
)


def find_places(segment: str) -> list[tuple[int, int, str]]:
    """Places named in a segment: (start, end, distinctive word). «района» (genitive, inside a name) is not one."""
    return [(m.start(), m.end(), m.group("town") or m.group("district")) for m in PLACE.finditer(segment)]


def narrows_to_places(rule: AliasRule | None) -> bool:
    return rule is not None and rule.target == "group" and rule.kind == "mouo"


def segments(text: str) -> list[str]:
    return [s.strip(" ,;") for s in SEGMENT_SPLIT.split(text or "") if not NOISE.match(s)]


def read_executors(text: str, rules: list[AliasRule]) -> list[Token]:
    """Every executor named in the cell, in order, without repeats."""
    tokens: list[Token] = []
    seen: set = set()
    for segment in segments(text):
        found = [(s, e, Token(segment[s:e], "alias", rule)) for s, e, rule in find_aliases(segment, rules)]
        found += [(m.start(), m.end(), Token(m.group(0), "person")) for m in PERSON.finditer(segment)
                  if not any(m.start() < e and s < m.end() for s, e, _ in found)]
        places = [(s, e, Token(segment[s:e], "place", place=word)) for s, e, word in find_places(segment)
                  if not any(s < f_end and f_start < e for f_start, f_end, _ in found)]
        if places:  # «МОУО о.Муром, г.Ковров»: the named offices, not every office of the region
            found = [f for f in found if not narrows_to_places(f[2].rule)] + places
        if not found:
            found = [(0, len(segment), Token(segment, "unknown"))]
        for _, _, token in sorted(found, key=lambda f: f[0]):
            key = (token.rule.alias_id, token.rule.phrase) if token.rule else (token.match, token.place or token.text)
            if key not in seen:
                seen.add(key)
                tokens.append(token)
    return tokens
