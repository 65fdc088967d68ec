"""The main menu: one list, each entry shown to the roles holding its capability."""
from dataclasses import dataclass

from django.urls import reverse

from rsoko.orgs.access import scope_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    section: str = "Реестр"


# Sections in the order of daily work: the dashboard, analytics, uploads, then the rest.
NAV_ITEMS = [
    NavItem("Панель мониторинга", "monitoring:dashboard", "indicators.view", "Мониторинг"),
    NavItem("Карта муниципалитетов", "monitoring:map", "indicators.view", "Мониторинг"),
    NavItem("Показатели", "monitoring:indicator_list", "indicators.view", "Мониторинг"),
    NavItem("Показатели России", "monitoring:russia_figures", "indicators.manage", "Мониторинг"),
    NavItem("Формы мониторинга", "monitoring:form_list", "monitoring.forms", "Мониторинг"),
    NavItem("Управленческие решения", "decisions:decision_list", "decisions.view", "Мониторинг"),
    NavItem("Результаты процедур", "stats:procedure_list", "results.view", "Аналитика"),
    NavItem("Признаки необъективности", "stats:sign_list", "results.view", "Аналитика"),
    NavItem("ШНОР", "stats:shnor", "results.view", "Аналитика"),
    NavItem("Школы с высокими результатами", "stats:high_results", "results.view", "Аналитика"),
    NavItem("Критерии и пороги", "stats:criteria", "results.view", "Аналитика"),
    NavItem("Федеральный перечень", "stats:federal_list", "results.view", "Аналитика"),
    NavItem("Последствия для ОО с признаками", "decisions:case_list", "cases.view", "Аналитика"),
    NavItem("Контекст школ", "contexts:context_list", "context.view", "Аналитика"),
    NavItem("Загрузка результатов", "results:upload", "results.upload", "Результаты"),
    NavItem("Загрузки", "results:batch_list", "results.view", "Результаты"),
    NavItem("Карантин", "results:quarantine_list", "results.upload", "Результаты"),
    NavItem("Каталог процедур", "catalog:procedure_list", "procedures.view", "Процедуры"),
    NavItem("План-график", "catalog:schedule", "procedures.view", "Процедуры"),
    NavItem("Виды процедур", "catalog:kind_list", "procedures.view", "Процедуры"),
    NavItem("Новая муниципальная процедура", "catalog:procedure_create", "procedures.manage_municipal", "Процедуры"),
    NavItem("Банк экспертов", "fieldwork:expert_list", "fieldwork.bank_view", "Объективность"),
    NavItem("Перепроверка работ", "fieldwork:campaign_list", "fieldwork.view_results", "Объективность"),
    NavItem("Мои работы на проверку", "fieldwork:my_works", "fieldwork.expert_work", "Объективность"),
    NavItem("Наблюдатели", "fieldwork:observer_list", "observers.list", "Объективность"),
    NavItem("Контрольная выборка", "fieldwork:controlled_index", "observers.view", "Объективность"),
    NavItem("Дорожные карты", "roadmaps:roadmap_list", "roadmaps.view", "Дорожные карты"),
    NavItem("Мои пункты", "roadmaps:my_items", "roadmaps.report", "Дорожные карты"),
    NavItem("Загрузка дорожной карты", "roadmaps:roadmap_import", "roadmaps.import", "Дорожные карты"),
    NavItem("Сокращения исполнителей", "roadmaps:alias_list", "roadmaps.manage", "Дорожные карты"),
    NavItem("Архив отчётов", "reports:archive_list", "reports.view", "Отчёты"),
    NavItem("Квартальный отчёт", "reports:quarterly_render", "reports.render", "Отчёты"),
    NavItem("Варианты КИМ", "kimbank:variant_list", "kim.view", "Банк КИМ"),
    NavItem("Новый вариант", "kimbank:variant_create", "kim.author", "Банк КИМ"),
    NavItem("Материалы для школы", "kimbank:school_materials", "kim.school_download", "Банк КИМ"),
    NavItem("Журнал выдачи КИМ", "kimbank:download_log", "kim.downloads", "Банк КИМ"),
    NavItem("Субъекты РСОКО", "orgs:kinds", "registry.view"),
    NavItem("Организации", "orgs:organization_list", "registry.view"),
    NavItem("Муниципалитеты", "orgs:municipality_list", "registry.view"),
    NavItem("Пользователи и роли", "orgs:user_list", "users.manage", "Администрирование"),
    NavItem("Журнал изменений", "audit:entry_list", "audit.view", "Администрирование"),
    NavItem("Загрузка реестра", "orgs:registry_upload", "registry.manage", "Администрирование"),
    NavItem("Фоновые задания", "jobs:job_list", "jobs.view", "Администрирование"),
]


def menu_for(user) -> list[tuple[str, list[dict]]]:
    """Sections with the entries this user may open, in the order they are declared."""
    scope = scope_for(user)
    sections: dict[str, list[dict]] = {}
    for item in NAV_ITEMS:
        if scope.can(item.capability):
            sections.setdefault(item.section, []).append({"label": item.label, "url": reverse(item.url_name)})
    return list(sections.items())
