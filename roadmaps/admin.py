from django.contrib import admin

from .models import Assignment, ExecutorAlias, Item, ReportingRound, Roadmap


@admin.register(ExecutorAlias)
class ExecutorAliasAdmin(admin.ModelAdmin):
    list_display = ["phrase", "as_suffix", "target", "kind", "organization", "note"]
    list_filter = ["target", "kind"]
    search_fields = ["phrase", "note"]


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "owner", "order_number", "order_date", "period_first_year", "approval", "is_template"]
    list_filter = ["level", "approval", "is_template", "is_public"]
    search_fields = ["title"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["roadmap", "number", "deadline_text", "deadline_kind", "deadline_end"]
    list_filter = ["deadline_kind", "is_section"]
    search_fields = ["measure", "number"]
    raw_id_fields = ["roadmap", "parent", "implements"]
    filter_horizontal = ["procedures", "schools"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["item", "organization", "status", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["item", "organization"]


admin.site.register(ReportingRound)
