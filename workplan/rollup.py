"""How a parent item (a period of action) stands, from the items within it."""

from dataclasses import dataclass, field

from .models import ItemStatus, WorkPlanItem


@dataclass
class Rollup:
    children: int = 0
    by_status: dict = field(default_factory=dict)
    percent: int | None = None  # mean completion of the children that are not dropped

    @property
    def open_children(self) -> int:
        return sum(self.by_status.get(s, 0) for s in (ItemStatus.SUGGESTED, ItemStatus.AGREED, ItemStatus.IN_PROGRESS))


def child_percent(status: str, latest_percent: int | None) -> int | None:
    """A child's completion: 100 when completed, else its latest reported percentage (0 if none)."""
    if status == ItemStatus.DROPPED:
        return None
    if status == ItemStatus.COMPLETED:
        return 100
    return latest_percent or 0


def rollup(parent: WorkPlanItem, children=None) -> Rollup:
    """Counts by status and mean completion of a parent's children; one query."""
    if children is None:
        children = parent.children.with_latest_percent().values_list("status", "latest_percent")
    result = Rollup()
    percents = []
    for status, latest in children:
        result.children += 1
        result.by_status[status] = result.by_status.get(status, 0) + 1
        percent = child_percent(status, latest)
        if percent is not None:
            percents.append(percent)
    if percents:
        result.percent = round(sum(percents) / len(percents))
    return result
