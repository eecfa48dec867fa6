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
    percent: int  # of all items, rounded, for people to read

    @property
    def text_x(self) -> float:
        return round(self.x + 1, 2)

    @property
    def labelled(self) -> bool:
        """Wide enough to carry its count and percentage inside it."""
        return self.width >= 18


@dataclass
class StatusBar:
    segments: list  # every status, in workflow order, counted or not
    total: int

    @property
    def shown(self) -> list:
        return [s for s in self.segments if s.count]

    @property
    def single(self):
        """The one status every item has, when there is only one: a sentence says it better than a bar."""
        shown = self.shown
        return shown[0] if len(shown) == 1 else None

    def __iter__(self):  # the templates' older `{% for s in segments %}`
        return iter(self.segments)


def status_segments(items) -> StatusBar:
    """One segment per status, in workflow order, sized by its share of the items; one query."""
    counts = dict(items.order_by().values_list("status").annotate(n=Count("pk")))
    total = sum(counts.values())
    segments, x = [], 0.0
    for status, label in ItemStatus.choices:
        count = counts.get(status, 0)
        width = round(100 * count / total, 2) if total else 0.0
        percent = round(100 * count / total) if total else 0
        segments.append(Segment(status=status, label=label, count=count, x=round(x, 2), width=width, percent=percent))
        x += width
    return StatusBar(segments=segments, total=total)
