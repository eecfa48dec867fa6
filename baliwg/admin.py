"""The admin site's customisations that need more than one app: the user accounts of co-chairs
(linked to the state they represent) and the meeting admin with the statement import.

The apps register their own models; this module, loaded after them, replaces two registrations.
"""

from functools import partial

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import path

from meetings.admin import MeetingAdmin
from meetings.admin_widgets import SafeAutocompleteMixin
from meetings.models import Meeting
from workplan.models import Representative

from .accounts import end_sessions
from .statements.views import import_statement_view


class RepresentativeInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Representative
    can_delete = True
    autocomplete_fields = ["state"]
    verbose_name = "Represents (co-chair account)"
    verbose_name_plural = "Represents (co-chair account)"


class UserAdmin(DjangoUserAdmin):
    inlines = [*DjangoUserAdmin.inlines, RepresentativeInline]
    list_display = [*DjangoUserAdmin.list_display, "represented_state"]
    list_select_related = ["representative__state"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and not obj.is_active:
            # A deactivated account is logged out everywhere now, not when its sessions expire.
            ended = end_sessions(obj)
            if ended:
                self.message_user(request, f"Ended {ended} open session(s) of {obj}.")

    @admin.display(description="Represents")
    def represented_state(self, user):
        representative = getattr(user, "representative", None)
        return representative.state if representative else "—"


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)


class MeetingWithImportAdmin(MeetingAdmin):
    """The meeting admin, with the statement import, which creates work-plan items and so lives here."""

    def get_urls(self):
        import_url = path(
            "import-statement/",
            self.admin_site.admin_view(partial(import_statement_view, self)),
            name="meetings_meeting_import",
        )
        return [import_url, *super().get_urls()]


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithImportAdmin)
