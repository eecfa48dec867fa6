"""Admin pages of the whole site: the deleted records the secretariat can restore."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from . import recovery


def _check(request, model, action="add"):
    if not request.user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}"):
        raise PermissionDenied


def deleted_records(request):
    """GET: the list of deleted records; POST: restore one of them."""
    models_by_label = {m._meta.label_lower: m for m in recovery.RESTORABLE}
    if request.method == "POST":
        model = models_by_label.get(request.POST.get("model", ""))
        pk = request.POST.get("pk", "")
        if model is None or not pk.isdigit():
            raise Http404("Nothing to restore.")
        _check(request, model)
        if model.objects.filter(pk=pk).exists() or not model.history.filter(id=pk, history_type="-").exists():
            raise Http404("Nothing to restore.")
        try:
            obj, related = recovery.restore(model, int(pk))
        except recovery.RestoreBlocked as blocked:
            messages.error(request, f"Not restored. {blocked}")
            return redirect(reverse("admin-deleted"))
        messages.success(request, f"Restored {obj} with {related} related record(s).")
        return redirect(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]))
    rows = [
        d
        for d in recovery.deleted()
        if request.user.has_perm(f"{d.model._meta.app_label}.add_{d.model._meta.model_name}")
    ]
    context = {**admin.site.each_context(request), "title": "Deleted records", "rows": rows}
    return TemplateResponse(request, "admin/deleted_records.html", context)
