import django_filters
from django.db.models import Q

from assessments.models import Subject
from rsoko.orgs.models import Municipality

from .choices import Qualification
from .models import Expert


class ExpertFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="search")
    subject = django_filters.ModelChoiceFilter(label="Предмет", queryset=Subject.objects.all(), field_name="subjects")
    municipality = django_filters.ModelChoiceFilter(label="Муниципалитет", queryset=Municipality.objects.all(),
                                                    field_name="organization__municipality")
    qualification = django_filters.ChoiceFilter(label="Квалификация", choices=Qualification.choices)

    class Meta:
        model = Expert
        fields = ["q", "subject", "municipality", "qualification"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(full_name__icontains=value) | Q(code__icontains=value))
