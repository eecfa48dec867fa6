"""Optimistic locking for admin change forms: a save over a newer version of the row is refused.

The form carries the version it was opened on; on save the row is locked and its version
compared. The lock is held to the end of the admin's transaction, so of two saves at once the
second waits, sees the first's version and is refused, with everything its user typed kept.
"""

from django import forms
from django.core.exceptions import ValidationError

STALE_MESSAGE = (
    "Someone else saved this record after you opened it, so your changes were not saved. They are "
    "still in the form: open the record in a new tab to see the other changes, then save again."
)


class VersionedForm(forms.ModelForm):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            stored = (
                type(self.instance)
                .objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored is None or cleaned.get("seen_version") != stored:
                # The next save goes over the version now stored, the user having been told.
                self.data = self.data.copy()
                self.data[self.add_prefix("seen_version")] = stored
                raise ValidationError(STALE_MESSAGE, code="stale")
        return cleaned


class LockParentForm(forms.ModelForm):
    """Locks the meeting a row belongs to while it is validated, so that two identical rows sent at
    once are checked one after the other and the second gets the duplicate's form error."""

    parent_field = "meeting"

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get(self.parent_field)
        if parent is not None:
            type(parent).objects.select_for_update().filter(pk=parent.pk).exists()
        return cleaned
