"""Quarters as reports name them: «2026Q3» ↔ dates."""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError

QUARTER = re.compile(r"^(\d{4})\s*[QqКк]([1-4])$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = QUARTER.match((text or "").strip())
        if not match:
            raise ValidationError(f"Квартал «{text}» не распознан: ожидается вид 2026Q3.")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def title(self) -> str:
        return f"{ROMAN[self.number]} квартал {self.year} года"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
