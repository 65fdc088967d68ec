"""The deadline parser on the phrasings of real roadmaps (the seed documents) and close variants."""
from datetime import date

import pytest

from roadmaps.deadlines import Kind, Period, parse_deadline, parse_period

Y2020 = Period(2020)
Y2024 = Period(2024)
AY1920 = Period(2019, academic=True)
AY2021 = Period(2020, academic=True)
D = date

# (text, document period, kind, start, end, recurrence)
TABLE = [
    # single dates
    ("до 15 августа 2019 года", AY1920, Kind.DATE, None, D(2019, 8, 15), ""),
    ("До 15 августа 2019 года", None, Kind.DATE, None, D(2019, 8, 15), ""),
    ("До 20 сентября 2019 года", AY1920, Kind.DATE, None, D(2019, 9, 20), ""),
    ("22 августа 2019 года", AY1920, Kind.DATE, D(2019, 8, 22), D(2019, 8, 22), ""),
    ("28 августа 2019 года", AY1920, Kind.DATE, D(2019, 8, 28), D(2019, 8, 28), ""),
    ("До 10 октября 2019 года", AY1920, Kind.DATE, None, D(2019, 10, 10), ""),
    ("До 1 октября 2019 года", AY1920, Kind.DATE, None, D(2019, 10, 1), ""),
    ("До 31.12.2020 г.", Y2020, Kind.DATE, None, D(2020, 12, 31), ""),
    ("до 31.12.2020", None, Kind.DATE, None, D(2020, 12, 31), ""),
    ("1 ноября 2020 года", AY2021, Kind.DATE, D(2020, 11, 1), D(2020, 11, 1), ""),
    ("не позднее 25 января 2021 г.", None, Kind.DATE, None, D(2021, 1, 25), ""),
    ("до 1 ноября", AY2021, Kind.DATE, None, D(2020, 11, 1), ""),
    ("до 15 марта", AY2021, Kind.DATE, None, D(2021, 3, 15), ""),
    ("15.07.2024", None, Kind.DATE, D(2024, 7, 15), D(2024, 7, 15), ""),
    ("до конца 2020 года", None, Kind.DATE, None, D(2020, 12, 31), ""),
    # months and ranges
    ("сентябрь 2020", Y2020, Kind.RANGE, D(2020, 9, 1), D(2020, 9, 30), ""),
    ("Сентябрь 2019 года", AY1920, Kind.RANGE, D(2019, 9, 1), D(2019, 9, 30), ""),
    ("Октябрь 2019года", AY1920, Kind.RANGE, D(2019, 10, 1), D(2019, 10, 31), ""),
    ("Декабрь 2019года", AY1920, Kind.RANGE, D(2019, 12, 1), D(2019, 12, 31), ""),
    ("Март 2020года", AY1920, Kind.RANGE, D(2020, 3, 1), D(2020, 3, 31), ""),
    ("январь 2020 г.", Y2020, Kind.RANGE, D(2020, 1, 1), D(2020, 1, 31), ""),
    ("Февраль 2021", AY2021, Kind.RANGE, D(2021, 2, 1), D(2021, 2, 28), ""),
    ("Май 2021 году", AY2021, Kind.RANGE, D(2021, 5, 1), D(2021, 5, 31), ""),
    ("Март-апрель 2020 г.", Y2020, Kind.RANGE, D(2020, 3, 1), D(2020, 4, 30), ""),
    ("Март-апрель 2020 г.г.", Y2020, Kind.RANGE, D(2020, 3, 1), D(2020, 4, 30), ""),
    ("сентябрь - октябрь 2020 г.", Y2020, Kind.RANGE, D(2020, 9, 1), D(2020, 10, 31), ""),
    ("Октябрь – ноябрь 2020 г.", Y2020, Kind.RANGE, D(2020, 10, 1), D(2020, 11, 30), ""),
    ("февраль-март 2020 г.", Y2020, Kind.RANGE, D(2020, 2, 1), D(2020, 3, 31), ""),
    ("Ноябрь-декабрь 2019года", AY1920, Kind.RANGE, D(2019, 11, 1), D(2019, 12, 31), ""),
    ("Октябрь-ноябрь 2019 года", AY1920, Kind.RANGE, D(2019, 10, 1), D(2019, 11, 30), ""),
    ("Январь-май 2021", AY2021, Kind.RANGE, D(2021, 1, 1), D(2021, 5, 31), ""),
    ("Март – апрель 2021 года", AY2021, Kind.RANGE, D(2021, 3, 1), D(2021, 4, 30), ""),
    ("Май-июнь 2021", AY2021, Kind.RANGE, D(2021, 5, 1), D(2021, 6, 30), ""),
    ("Январь-март 2021 года", AY2021, Kind.RANGE, D(2021, 1, 1), D(2021, 3, 31), ""),
    ("14 сентября – 12 октября 2020 года", AY2021, Kind.RANGE, D(2020, 9, 14), D(2020, 10, 12), ""),
    ("с 1 по 15 сентября 2020 г.", None, Kind.RANGE, D(2020, 9, 1), D(2020, 9, 15), ""),
    ("сентябрь 2020 - май 2021", None, Kind.RANGE, D(2020, 9, 1), D(2021, 5, 31), ""),
    ("Декабрь 2020 года, март 2021 года", AY2021, Kind.RANGE, D(2020, 12, 1), D(2021, 3, 31), ""),
    ("Декабрь 2020 года, январь – май 2021 года", AY2021, Kind.RANGE, D(2020, 12, 1), D(2021, 5, 31), ""),
    ("2020 год", Y2020, Kind.RANGE, D(2020, 1, 1), D(2020, 12, 31), ""),
    # months without a year: the year comes from the document
    ("июль-август", Y2024, Kind.RANGE, D(2024, 7, 1), D(2024, 8, 31), ""),
    ("август", Y2024, Kind.RANGE, D(2024, 8, 1), D(2024, 8, 31), ""),
    ("февраль", Y2024, Kind.RANGE, D(2024, 2, 1), D(2024, 2, 29), ""),
    ("август-сентябрь", Y2024, Kind.RANGE, D(2024, 8, 1), D(2024, 9, 30), ""),
    ("сентябрь-октябрь", Y2024, Kind.RANGE, D(2024, 9, 1), D(2024, 10, 31), ""),
    ("ноябрь", AY2021, Kind.RANGE, D(2020, 11, 1), D(2020, 11, 30), ""),
    ("март", AY2021, Kind.RANGE, D(2021, 3, 1), D(2021, 3, 31), ""),
    ("сентябрь-май", AY2021, Kind.RANGE, D(2020, 9, 1), D(2021, 5, 31), ""),
    # quarters and half-years
    ("В 1 квартале 2020 года", AY1920, Kind.QUARTER, D(2020, 1, 1), D(2020, 3, 31), ""),
    ("IV квартал 2020 г.", None, Kind.QUARTER, D(2020, 10, 1), D(2020, 12, 31), ""),
    ("2 квартал 2021", None, Kind.QUARTER, D(2021, 4, 1), D(2021, 6, 30), ""),
    ("в 3-м квартале", Y2024, Kind.QUARTER, D(2024, 7, 1), D(2024, 9, 30), ""),
    ("в 1 квартале", AY2021, Kind.QUARTER, D(2021, 1, 1), D(2021, 3, 31), ""),
    ("в первом полугодии 2021 года", None, Kind.RANGE, D(2021, 1, 1), D(2021, 6, 30), ""),
    # the academic year
    ("2020/2021 учебный год", AY2021, Kind.ACADEMIC_YEAR, D(2020, 9, 1), D(2021, 8, 31), ""),
    ("2019-2020 учебный год", None, Kind.ACADEMIC_YEAR, D(2019, 9, 1), D(2020, 8, 31), ""),
    ("в течение 2020/2021 учебного года", None, Kind.ACADEMIC_YEAR, D(2020, 9, 1), D(2021, 8, 31), ""),
    # recurring
    ("ежеквартально", AY1920, Kind.RECURRING, D(2019, 9, 1), D(2020, 8, 31), "quarterly"),
    ("в течение года, ежеквартальный отчет", Y2020, Kind.RECURRING, D(2020, 1, 1), D(2020, 12, 31), "quarterly"),
    ("ежемесячно", None, Kind.RECURRING, None, None, "monthly"),
    ("ежегодно", None, Kind.RECURRING, None, None, "yearly"),
    ("постоянно", Y2020, Kind.RECURRING, D(2020, 1, 1), D(2020, 12, 31), "continuous"),
    ("Постоянно", None, Kind.RECURRING, None, None, "continuous"),
    ("в течение года", Y2020, Kind.RECURRING, D(2020, 1, 1), D(2020, 12, 31), "throughout"),
    ("В течение года", AY1920, Kind.RECURRING, D(2019, 9, 1), D(2020, 8, 31), "throughout"),
    ("в течение учебного года", AY2021, Kind.RECURRING, D(2020, 9, 1), D(2021, 8, 31), "throughout"),
    ("в течение учебного года", Y2024, Kind.RECURRING, None, None, "throughout"),
    ("по мере необходимости", None, Kind.RECURRING, None, None, "as_needed"),
    # conditional
    ("в соответствии с графиком", None, Kind.CONDITIONAL, None, None, ""),
    ("По отдельному графику", Y2020, Kind.CONDITIONAL, None, None, ""),
    ("в течение года в соответствии с графиком", Y2020, Kind.CONDITIONAL, D(2020, 1, 1), D(2020, 12, 31), ""),
    ("в соответствии с приказом Министерства", Y2024, Kind.CONDITIONAL, None, None, ""),
    ("в соответствии с приказами Министерства, МОУО", Y2024, Kind.CONDITIONAL, None, None, ""),
    ("в соответствии с медиапланом Министерства", Y2024, Kind.CONDITIONAL, None, None, ""),
    ("в соответствии с планом работы ОО, МОУО", Y2024, Kind.CONDITIONAL, None, None, ""),
    ("В соответствии с графиком проведения мероприятий по око", AY2021, Kind.CONDITIONAL, None, None, ""),
    ("согласно графику проведения ВПР", None, Kind.CONDITIONAL, None, None, ""),
    # unparsed: shown as such, never guessed
    ("202/2021 учебный год", AY2021, Kind.UNPARSED, None, None, ""),
    ("2020/2022 учебный год", None, Kind.UNPARSED, None, None, ""),
    ("июль-август", None, Kind.UNPARSED, None, None, ""),
    ("до 15 августа", None, Kind.UNPARSED, None, None, ""),
    ("август-сентябрь", AY2021, Kind.UNPARSED, None, None, ""),
    ("31.02.2021", None, Kind.UNPARSED, None, None, ""),
    ("после получения результатов", None, Kind.UNPARSED, None, None, ""),
    ("весна 2021", None, Kind.UNPARSED, None, None, ""),
    ("в 3 квартале", AY2021, Kind.UNPARSED, None, None, ""),
    # empty cell
    ("", Y2020, Kind.NONE, None, None, ""),
]


@pytest.mark.parametrize("text,period,kind,start,end,recurrence", TABLE, ids=[f"{i}-{row[0]}" for i, row in enumerate(TABLE)])
def test_deadline_is_read_as_written(text, period, kind, start, end, recurrence):
    deadline = parse_deadline(text, period)
    assert (deadline.kind, deadline.start, deadline.end, deadline.recurrence) == (kind, start, end, recurrence)
    assert deadline.text == " ".join(text.split())


def test_the_table_is_large_enough():
    assert len(TABLE) >= 60


def test_listed_months_keep_each_part():
    deadline = parse_deadline("Декабрь 2020 года, март 2021 года", AY2021)
    assert deadline.parts == ((D(2020, 12, 1), D(2020, 12, 31)), (D(2021, 3, 1), D(2021, 3, 31)))


@pytest.mark.parametrize("text,period", [
    ("«ДОРОЖНАЯ КАРТА» ... на 2020 год", Period(2020)),
    ("План мероприятий ... на 2019-2020 учебный год", Period(2019, academic=True)),
    ("на территории Балашовского района в\n2020/2021 учебном году", Period(2020, academic=True)),
    ("Белгородской области, на 2024 год", Period(2024)),
    ("без периода", None),
])
def test_document_period_is_read_from_its_title(text, period):
    assert parse_period(text) == period
