"""Pages that draw on both apps: the home page and search; and the health check."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from meetings import queries
from workplan.charts import status_segments
from workplan.models import WorkPlanItem

from .search.ranking import CANDIDATES, MAX_QUERY_LENGTH, PER_KIND, SOURCES, Found, search


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        past = queries.meetings_for_list(user).filter(start_date__lte=today)
        return super().get_context_data(
            latest=past.first(),
            recent=past[1:4],
            upcoming=queries.meetings_for_list(user).filter(start_date__gt=today).order_by("start_date")[:5],
            segments=status_segments(WorkPlanItem.objects.visible_to(user)),
            **kwargs,
        )


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
        found = search(query, self.request.user) if query else Found()
        # What the page shows of each kind: all its matches, the best PER_KIND of them, or the best
        # of the newest CANDIDATES when a common word matches more (the count stops there).
        matched = [(source.plural, found.matched.get(source.kind, 0)) for source in SOURCES]
        kinds = [{"name": name, "matched": n, "many": n >= CANDIDATES} for name, n in matched if n > PER_KIND]
        return super().get_context_data(
            query=query,
            results=found.results,
            capped=kinds,
            matches=_in_words([_counted(name, n, at_least=n >= CANDIDATES) for name, n in matched if n]),
            newest_only=_newest_only([kind["name"] for kind in kinds if kind["many"]]),
            per_kind=PER_KIND,
            candidates=CANDIDATES,
            max_length=MAX_QUERY_LENGTH,
            **kwargs,
        )


def _counted(plural: str, n: int, *, at_least: bool) -> str:
    """'31 meetings', '1 exercise', 'over 200 work-plan items' (the count stops at CANDIDATES)."""
    name = plural if n != 1 else plural.removesuffix("s")
    return f"over {n} {name}" if at_least else f"{n} {name}"


def _newest_only(names: list[str]) -> str:
    """What the page says of the kinds of which only the newest CANDIDATES matches were ranked."""
    if not names:
        return ""
    each = " of each" if len(names) > 1 else ""
    return f"of the {_in_words(names)} only the newest {CANDIDATES}{each} were ranked"


def _in_words(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join(filter(None, [", ".join(parts[:-1]), parts[-1]])) if parts else ""


def csrf_failure(request, reason=""):
    """A form sent from a page opened before the visitor last logged in or out (the CSRF token
    changes then): a page in the site's layout that says so, not Django's bare 403."""
    return render(request, "403_csrf.html", status=403)


def ping(request):
    """A view that does no work: the floor a benchmark compares every page with."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
