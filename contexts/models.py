"""Context of schools: the figures a school's results are read against, and the ministry's rule for
difficult social conditions. Flags and comparable groups are recomputed by `services.contexts_recompute`."""
from django.db import models

from assessments.models import school_scope_filter
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization


class SchoolContextQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not scope_for(user).can("context.view"):
            return self.none()
        condition = school_scope_filter(user, capability="context.view")
        return self if condition is None else self.filter(condition)


class SchoolContext(models.Model):
    school = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="context",
                                  verbose_name="ОО")
    pupils = models.PositiveIntegerField("обучающихся", null=True, blank=True)
    russian_second_share = models.FloatField("доля обучающихся, для которых русский язык не родной, %",
                                             null=True, blank=True)
    low_income_share = models.FloatField("доля обучающихся из малообеспеченных семей, %", null=True, blank=True)
    listed = models.BooleanField("в перечне министерства ОО в сложных социальных условиях", default=False)
    difficult = models.BooleanField("в сложных социальных условиях", default=False, editable=False)
    difficult_reasons = models.CharField("основания", max_length=300, blank=True, editable=False)
    peer_group = models.PositiveSmallIntegerField("группа сравнимых ОО", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolContextQuerySet.as_manager()

    class Meta:
        verbose_name = "контекст ОО"
        verbose_name_plural = "контекст ОО"
        ordering = ["school__short_name"]

    def __str__(self):
        return f"Контекст: {self.school}"


class ContextRule(models.Model):
    """The ministry's criteria of difficult social conditions (one row) and the number of comparable groups."""

    max_pupils = models.PositiveIntegerField("малочисленная: не более обучающихся", default=150)
    russian_second_share = models.FloatField("русский язык не родной: не менее, %", default=20.0)
    low_income_share = models.FloatField("из малообеспеченных семей: не менее, %", default=30.0)
    rural_counts = models.BooleanField("сельская школа — критерий", default=True)
    min_criteria = models.PositiveSmallIntegerField("сколько критериев достаточно", default=3)  # see DifficultyRule
    groups = models.PositiveSmallIntegerField("число групп сравнимых ОО", default=5)

    class Meta:
        verbose_name = "критерии сложных социальных условий"
        verbose_name_plural = "критерии сложных социальных условий"

    @classmethod
    def current(cls) -> "ContextRule":
        rule = cls.objects.order_by("id").first()
        return rule or cls.objects.create()
