from django import forms

PARAM_LABELS = {
    "min_participants": "Минимальное число участников в школе",
    "ci_z": "Квантиль нормального распределения для 95 % интервала",
    "spearman_threshold": "Порог корреляции Спирмена",
    "cohort_iqr_multiplier": "Множитель межквартильного размаха",
    "heaping_alpha": "Уровень значимости теста Фишера",
    "heaping_min_pairs": "Минимум участников на границе и на балл ниже",
    "raised_excess_pp": "Превышение доли повысивших над регионом, п. п.",
    "raised_alpha": "Уровень значимости биномиального теста",
    "fdr_q": "Допустимая доля ложных открытий (FDR) для всех калиброванных сигналов",
    "share": "Доля школ в хвосте распределения (0,10 = нижние/верхние 10 %)",
    "min_procedures": "Минимум процедур года, в которых школа в хвосте",
    "years_running": "Лет подряд",
}
BOUNDS = {"min_participants": (2, 1000), "ci_z": (1.0, 4.0), "spearman_threshold": (-1.0, 1.0),
          "cohort_iqr_multiplier": (0.5, 10.0), "heaping_alpha": (1e-6, 0.2), "heaping_min_pairs": (1, 1000),
          "raised_excess_pp": (0.0, 100.0), "raised_alpha": (1e-6, 0.2), "fdr_q": (0.001, 0.5),
          "share": (0.01, 0.5), "min_procedures": (1, 20), "years_running": (1, 5)}


class CriterionForm(forms.Form):
    """One field per threshold of the criterion, typed by its current value, bounded to sensible ranges."""

    is_active = forms.BooleanField(label="Применяется", required=False)

    def __init__(self, *args, criterion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_active"].initial = criterion.is_active
        for name, value in (criterion.params or {}).items():
            low, high = BOUNDS.get(name, (None, None))
            field_class = forms.IntegerField if isinstance(value, int) and not isinstance(value, bool) else forms.FloatField
            self.fields[name] = field_class(label=PARAM_LABELS.get(name, name), initial=value, min_value=low,
                                            max_value=high)

    def params(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "is_active"}
