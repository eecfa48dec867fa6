"""The secretariat's admin for forward-work-plan items and their progress updates."""

from django.contrib import admin

from .models import ProgressUpdate, WorkPlanItem


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "text", "status_before", "status_after", "percent_complete", "author"]
    readonly_fields = ["author"]


@admin.register(WorkPlanItem)
class WorkPlanItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body", "kind", "status", "target_period", "raised_at"]
    list_filter = ["status", "kind", "body", "themes"]
    search_fields = ["title", "topic", "description"]
    autocomplete_fields = [
        "body",
        "raised_at",
        "reported_at",
        "parent",
        "lead_states",
        "lead_organisations",
        "themes",
    ]
    list_select_related = ["body", "raised_at__body"]
    date_hierarchy = "created_at"
    inlines = [ProgressUpdateInline]

    def save_formset(self, request, form, formset, change):
        # An update entered here is the officer's own: record who wrote it.
        updates = formset.save(commit=False)
        for update in updates:
            if isinstance(update, ProgressUpdate) and update.author_id is None:
                update.author = request.user
            update.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["item", "date", "status_before", "status_after", "percent_complete", "author"]
    list_filter = ["status_after", "item__body"]
    search_fields = ["text", "item__title"]
    autocomplete_fields = ["item"]
    readonly_fields = ["author"]
    list_select_related = ["item", "author"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
