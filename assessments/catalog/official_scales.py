"""The official ВПР mark scales as data: ФИОКО's «Рекомендации по переводу первичных баллов в отметки
по пятибалльной шкале», published each year with the demo versions of the kits.

Loaded into the reference table (`ReferenceScale`) by a data migration; `selectors.official_scale` answers
for (kind, subject, grade, year) and `add_procedure` / the web form apply it by default.

Only figures that could be checked against a published text while this table was written are listed, each
with where it comes from. A guessed scale would grade thousands of pupils wrongly without anyone noticing, so
a (subject, grade, year) missing here is left without a default: the procedure asks for its scale (entered by
hand, or added to this table once confirmed from the ФИОКО recommendations of that year).

Not confirmed (no default is applied), as of this table:
- 2020, 2022, 2023, 2024, 2025: every subject and grade (the recommendations of these years were not at hand);
- 2021: every subject and grade except математика and русский язык 4 and 5;
- 2026: every subject and grade except русский язык 4 (demo version);
- 8th grade: a secondary table (vpr-ege.ru, «Шкала перевода баллов ВПР в оценку для 8 класса») gives scales
  for eight subjects but names no year, so it is not used.
"""
from dataclasses import dataclass

FIOKO_2021 = ("ФИОКО, «Рекомендации по переводу первичных баллов в отметки по пятибалльной шкале», ВПР-2021 "
              "(в описании домена проекта: {text})")
FIOKO_2026_RU4 = (
    "Демоверсия ФИОКО ВПР-2026, русский язык, 4 класс: «Максимальный первичный балл – 24»; "
    "«2»: 0–9, «3»: 10–15, «4»: 16–20, «5»: 21–24 (пересказ на vpr-ege.ru, демоверсия ВПР 2026 по русскому языку 4 класс)"
)


@dataclass(frozen=True)
class OfficialScale:
    kind: str  # ProcedureKind.slug
    subject: str  # Subject.code
    grade: int
    year: int
    max_score: int
    firsts: tuple[int, int, int]  # the first primary scores of «3», «4», «5»
    source: str

    @property
    def boundaries(self) -> dict[str, int]:
        return dict(zip(("3", "4", "5"), self.firsts))


OFFICIAL_SCALES = [
    OfficialScale("VPR", "MA", 4, 2021, 20, (6, 10, 15), FIOKO_2021.format(text="Математика 4: 0–5 | 6–9 | 10–14 | 15–20")),
    OfficialScale("VPR", "RU", 4, 2021, 38, (14, 24, 33), FIOKO_2021.format(text="Русский 4: 0–13 | 14–23 | 24–32 | 33–38")),
    OfficialScale("VPR", "MA", 5, 2021, 20, (7, 11, 15), FIOKO_2021.format(text="Математика 5: 0–6 | 7–10 | 11–14 | 15–20")),
    OfficialScale("VPR", "RU", 5, 2021, 45, (18, 29, 39), FIOKO_2021.format(text="Русский 5: 0–17 | 18–28 | 29–38 | 39–45")),
    OfficialScale("VPR", "RU", 4, 2026, 24, (10, 16, 21), FIOKO_2026_RU4),
]
