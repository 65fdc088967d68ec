"""The official ВПР mark scales as data: ФИОКО's «Рекомендации по переводу первичных баллов в отметки
по пятибалльной шкале», published each year in the description and the demo version of every kit.

Loaded into the reference table (`ReferenceScale`) by a data migration; `selectors.official_scale` answers
for (kind, subject, grade, year) and `add_procedure` / the web form apply it by default.

Only figures that could be checked against a published text are listed, each with the document that states
them, its address where one is known, and the ranges quoted as printed (the tests read the maximum and the
first scores back out of the quote, so a mistyped threshold cannot pass unnoticed). A guessed scale would
grade thousands of pupils wrongly without anyone noticing, so a (subject, grade, year) missing here is left
without a default: the procedure asks for its scale (entered by hand, loaded with `import_reference_scales`,
or added here once confirmed from the ФИОКО recommendations of that year).

How the grade and year are read:
- `year` is the year of the kit (ВПР-2021 → 2021); `grade` is the grade the kit was written for. ВПР-2020 was
  moved to the autumn of 2020 and written in the next grade with the previous grade's kit (5th-graders wrote
  the 4th-grade kit): such a scale is filed under the kit's grade, 4, as the archive import files that kit
  (vpr2020_ma4 → VPR-2020-MA-4), so the procedure and its scale meet on the same key.
- One scale per (kind, subject, grade, year), as the reference table holds it. A subject with two kits or two
  scales in one grade and year — «математика базовая или с углублённым изучением» and the same for physics in
  7–8th grade (ВПР-2025 and 2026 schedules on sdamgia), scales for profile and non-profile classes, variants
  of history and social studies — is not listed: the reference table has no place for the variant, and
  applying one of two scales by default would grade the other group wrongly.

Not confirmed (no default is applied), as of this table. Searched (issue 15, two rounds, about 100 look-ups) in
stored copies of public pages (ФИОКО demo versions and their reprints on vpr-ege.ru, vprklass.ru, 4vpr.ru,
gdzking.ru, sdamgia, school sites, consultant.ru/garant.ru letters), in public GitHub code (exact strings such as
«Шкала ВПР», «ВПР-202…», «перевод первичных баллов», range strings) and in documentation pages:
- 2020, 2022, 2023, 2024, 2025: every subject and grade — the pages found give the structure and the maximum
  of some kits (русский язык 4-2020: 38; окружающий мир 4-2021: 32; математика 8-2021: 25) but not the scale;
  the stored copies of the ВПР-2025/2026 demo reprints (история 8-2026, география 6-2025, французский 4-2026,
  русский 7-2025) stop before the scale;
- 2021: every subject and grade except математика and русский язык 4 and 5;
- 2026: every subject and grade except русский язык 4. Математика 4-2026 («0-4 | 5-8 | 9-13 | 14-18» of 18) is
  found only in one pupils' trainer on GitHub (Buddy-VPR, its module config citing «ФИОКО ВПР 2026»), with no
  second copy of the ranges: a lone unofficial source is not enough to grade a region's pupils by default;
- 8th grade: a secondary table (vpr-ege.ru, «Шкала перевода баллов ВПР в оценку для 8 класса») gives scales
  for eight subjects but names no year, so it is not used;
- English 7 («0–9 | 10–14 | 15–21 | 22–25» in a preparation book on readboom.net) names no year either; the same
  ranges for English 4 appear in a GitHub game's README («Соответствует реальной ВПР-2026, при maxPoints = 25»),
  but the game itself grades by shares of the maximum (40/60/85 %), so the two do not agree on what they describe;
- русский язык 6-2026 («0–12, 13–16, 17–20, 21–25» of 25) appears only as the example value («Пример») of a JSON
  import format in a GitHub project — an illustration, not a statement of the scale.
"""
from dataclasses import dataclass

FIOKO_2021 = "ФИОКО, «Рекомендации по переводу первичных баллов в отметки по пятибалльной шкале», ВПР-2021"
DOMAIN_QUOTE = "в описании домена проекта: "
VPR_EGE_2026_RU4 = ("https://www.vpr-ege.ru/vpr/4-klass/russkij-yazyk/"
                    "3061-demoversiya-vpr-2026-po-russkomu-yazyku-4-klass")


@dataclass(frozen=True)
class OfficialScale:
    kind: str  # ProcedureKind.slug
    subject: str  # Subject.code
    grade: int  # the grade of the kit (see the module note on ВПР-2020)
    year: int  # the year of the kit
    max_score: int
    firsts: tuple[int, int, int]  # the first primary scores of «3», «4», «5»
    title: str  # the document that states the scale
    url: str  # where it is published; empty when only a quotation is at hand
    quote: str  # the four ranges as the source prints them, «2» … «5»

    @property
    def boundaries(self) -> dict[str, int]:
        return dict(zip(("3", "4", "5"), self.firsts))

    @property
    def source(self) -> str:
        """The reference table's one text field (300 characters): document, ranges, address."""
        return f"{self.title}: {self.quote}" + (f" — {self.url}" if self.url else "")


def _vpr_2021(subject: str, grade: int, max_score: int, firsts: tuple[int, int, int], quote: str) -> OfficialScale:
    return OfficialScale("VPR", subject, grade, 2021, max_score, firsts, FIOKO_2021, "", DOMAIN_QUOTE + quote)


OFFICIAL_SCALES = [
    _vpr_2021("MA", 4, 20, (6, 10, 15), "Математика 4: «2» 0–5 | «3» 6–9 | «4» 10–14 | «5» 15–20"),
    _vpr_2021("RU", 4, 38, (14, 24, 33), "Русский 4: «2» 0–13 | «3» 14–23 | «4» 24–32 | «5» 33–38"),
    _vpr_2021("MA", 5, 20, (7, 11, 15), "Математика 5: «2» 0–6 | «3» 7–10 | «4» 11–14 | «5» 15–20"),
    _vpr_2021("RU", 5, 45, (18, 29, 39), "Русский 5: «2» 0–17 | «3» 18–28 | «4» 29–38 | «5» 39–45"),
    OfficialScale(
        "VPR", "RU", 4, 2026, 24, (10, 16, 21),
        "Демоверсия ФИОКО ВПР-2026, русский язык 4 (перепечатка vpr-ege.ru)", VPR_EGE_2026_RU4,
        "«Максимальный первичный балл за выполнение работы – 24»; «2»: 0–9, «3»: 10–15, «4»: 16–20, «5»: 21–24",
    ),
]
