import django_filters

from assessments.models import ProcedureKind, Subject

from .choices import BANK_KIND_CODES, VariantStatus
from .models import Variant


class VariantFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Состояние", choices=VariantStatus.choices)
    kind = django_filters.ModelChoiceFilter(label="Вид", queryset=ProcedureKind.objects.filter(code__in=BANK_KIND_CODES))
    subject = django_filters.ModelChoiceFilter(label="Предмет", queryset=Subject.objects.all())
    year = django_filters.NumberFilter(label="Год")
    grade = django_filters.NumberFilter(label="Класс")

    class Meta:
        model = Variant
        fields = ["status", "kind", "subject", "year", "grade"]
