"""The bar of work-plan items by status, drawn as inline SVG by templates/includes/status_bar.html."""

from dataclasses import dataclass

from django.db.models import Count

from .models import ItemStatus


@dataclass
class Segment:
    status: str
    label: str
    count: int
    x: float  # percent of the bar's width
    width: float


def status_segments(items) -> list[Segment]:
    """One segment per status, in workflow order, sized by its share of the items; one query."""
    counts = dict(items.order_by().values_list("status").annotate(n=Count("pk")))
    total = sum(counts.values())
    segments, x = [], 0.0
    for status, label in ItemStatus.choices:
        count = counts.get(status, 0)
        width = round(100 * count / total, 2) if total else 0.0
        segments.append(Segment(status=status, label=label, count=count, x=round(x, 2), width=width))
        x += width
    return segments
