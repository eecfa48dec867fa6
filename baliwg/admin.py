"""The admin site's customisations that need more than one app: the user accounts (invited,
linked to the state they represent, ended; never raised by an officer) and the meeting admin with
the statement import, the items a meeting raised, and deleting a meeting as a whole.

The apps register their own models; this module, loaded after them, replaces two registrations.
"""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_deleted_objects
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from meetings.admin import MeetingAdmin
from meetings.admin_widgets import LabelledRowsMixin, SafeAutocompleteMixin
from meetings.models import Exercise, Meeting, MemberState
from workplan.models import Representative, WorkPlanItem
from workplan.roles import SECRETARIAT

from . import recovery
from .accounts import ROLE_GROUPS, end_account, end_sessions, invite_cochair, send_invitation
from .statements.views import import_statement_view


class RepresentativeInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Representative
    can_delete = True
    autocomplete_fields = ["state"]
    verbose_name = "Represents (co-chair account)"
    verbose_name_plural = "Represents (co-chair account)"


class InviteForm(forms.Form):
    email = forms.EmailField(help_text="The link to set a password goes here; it is also the login name.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    state = forms.ModelChoiceField(
        MemberState.objects.members().filter(retired=False), help_text="The member state the person co-chairs for."
    )


@admin.action(description="End the selected accounts (log them out; they can no longer log in)", permissions=["change"])
def end_accounts(modeladmin, request, queryset):
    for user in queryset.exclude(pk=request.user.pk):
        end_account(user)
    modeladmin.message_user(request, f"Ended {queryset.exclude(pk=request.user.pk).count()} account(s).")


@admin.action(description="E-mail the selected accounts a new link to set their password", permissions=["change"])
def reinvite(modeladmin, request, queryset):
    sent = 0
    for user in queryset.exclude(email="").filter(is_active=True):
        send_invitation(user, by=request.user)
        sent += 1
    modeladmin.message_user(request, f"Sent {sent} link(s) to set a password.")


class UserAdmin(DjangoUserAdmin):
    """Accounts. An officer who is not a superuser manages the two roles' accounts and nothing more:
    superusers are out of sight, and the superuser flag, staff flag, single permissions and groups
    other than the two roles are neither shown nor accepted (a forged field is ignored)."""

    inlines = [*DjangoUserAdmin.inlines, RepresentativeInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "represented_state"]
    list_select_related = ["representative__state"]
    actions = [end_accounts, reinvite]
    officer_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active", "groups")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.officer_fieldsets
        return super().get_fieldsets(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_GROUPS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.is_superuser = False
        super().save_model(request, obj, form, change)
        if change and not obj.is_active:
            # A deactivated account is logged out everywhere now, not when its sessions expire.
            ended = end_sessions(obj)
            if ended:
                self.message_user(request, f"Ended {ended} open session(s) of {obj}.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            user = form.instance
            # The admin is the secretariat's door only: staff follows the Secretariat role.
            staff = user.groups.filter(name=SECRETARIAT).exists()
            if user.is_staff != staff:
                user.is_staff = staff
                user.save(update_fields=["is_staff"])

    def get_urls(self):
        invite = path("invite/", self.admin_site.admin_view(self.invite_view), name="auth_user_invite")
        return [invite, *super().get_urls()]

    def invite_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = invite_cochair(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                form.add_error("email", error)
            else:
                self.log_addition(request, user, "Invited as a co-chair")
                self.message_user(request, f"Invited {user.email}: a link to set a password is on its way.")
                return redirect("admin:auth_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Invite a co-chair",
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/auth/user/invite.html", context)

    @admin.display(description="Represents")
    def represented_state(self, user):
        representative = getattr(user, "representative", None)
        return representative.state if representative else "—"


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)


class RaisedItemInline(LabelledRowsMixin, SafeAutocompleteMixin, admin.TabularInline):
    """The work-plan items a meeting raised, on the meeting's form; they belong to the meeting's
    body. Their status moves through the workflow (the workspace, or the item's own page)."""

    model = WorkPlanItem
    fk_name = "raised_at"
    fields = ["order_label", "title", "kind", "status"]  # the rest on the item's own page
    readonly_fields = ["status"]
    extra = 0
    show_change_link = True
    verbose_name = "work-plan item raised"
    verbose_name_plural = "Work-plan items raised at this meeting"


class MeetingWithImportAdmin(MeetingAdmin):
    """The meeting admin, with what needs the work plan too: the statement import, the items a
    meeting raised edited inline, and deleting a meeting with its exercises and items."""

    inlines = [*MeetingAdmin.inlines, RaisedItemInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not WorkPlanItem:
            return super().save_formset(request, form, formset, change)
        for item in formset.save(commit=False):
            item.body_id = form.instance.body_id  # an item raised at a meeting is of its body
            item.save()
        for item in formset.deleted_objects:
            item.delete()
        formset.save_m2m()

    def get_deleted_objects(self, objs, request):
        """The confirmation page lists the exercises and items that go with the meetings; only an
        item of another meeting hanging under one of them still stops the deletion."""
        to_delete, model_count, perms_needed, _ = super().get_deleted_objects(objs, request)
        _, items = recovery.going_with(objs)  # the exercises are offered with a tick of their own
        for row in items:
            nested, counts, perms, _ = get_deleted_objects([row], request, self.admin_site)
            to_delete += nested
            perms_needed |= perms
            for name, count in counts.items():
                model_count[name] = model_count.get(name, 0) + count
        outside = WorkPlanItem.objects.filter(parent__in=items).exclude(pk__in=[item.pk for item in items])
        protected = [f"Work-plan item: {child} (a sub-item raised at another meeting)" for child in outside]
        return to_delete, model_count, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        exercises = Exercise.objects.filter(meeting_id=object_id) if str(object_id).isdigit() else []
        return super().delete_view(request, object_id, {**(extra_context or {}), "exercises_alongside": exercises})

    def delete_model(self, request, obj):
        recovery.delete_meetings([obj], with_exercises="with_exercises" in request.POST)

    def delete_queryset(self, request, queryset):
        recovery.delete_meetings(queryset, with_exercises="with_exercises" in request.POST)

    def get_urls(self):
        import_url = path(
            "import-statement/",
            self.admin_site.admin_view(partial(import_statement_view, self)),
            name="meetings_meeting_import",
        )
        return [import_url, *super().get_urls()]


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithImportAdmin)
