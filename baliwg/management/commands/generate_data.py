"""Generate a realistic forum for benchmarks: `python manage.py generate_data --scale N`.

At scale 1, over ten years: the forum's registry (about 60 states, 2,500 other organisations),
12 bodies, 200 meetings with 12,000 attendance rows, 2,000 delegates, 50 exercises, 800
work-plan items with 8,000 progress updates; everything but the registry grows with N. Always
included: one meeting with 2,500 attendance rows, and 5,000 items that one filter of the board
matches (body wgd, theme "Online scams").

Rows go in with bulk inserts (so the history does not record this synthetic data), in a fixed
random order (seed 2022), then the search vectors and the planner's statistics are refreshed.
"""

import datetime
import itertools
import random
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from baliwg.search.index import refresh_all
from core.stamp import content_changed
from meetings.demo import load_registry
from meetings.models import (
    Attendance,
    Body,
    Delegate,
    Exercise,
    FocusArea,
    Meeting,
    MeetingCoChair,
    MemberState,
    Organisation,
    Sector,
    Theme,
)
from workplan.models import ItemStatus, ProgressUpdate, WorkPlanItem

BATCH = 5_000
BIG_MEETING_ROWS = 2_500
FILTER_ITEMS = 5_000
EXTRA_BODIES = [
    "Border Management",
    "Financial Flows",
    "Victim Protection",
    "Data and Research",
    "Labour Migration",
    "Legal Frameworks",
    "Regional Cooperation",
]
WORDS = [
    "trafficking",
    "smuggling",
    "investigation",
    "prosecution",
    "detection",
    "online",
    "scams",
    "recruitment",
    "border",
    "data",
    "biometrics",
    "returns",
    "reintegration",
    "women",
    "children",
    "labour",
    "exploitation",
    "finance",
    "cooperation",
    "training",
    "workshop",
    "policy",
    "guide",
    "research",
    "regional",
    "networks",
    "technology",
    "victims",
    "identification",
    "referral",
]


class Progress:
    """A one-line progress bar on standard error."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done, self.started = label, max(total, 1), 0, time.monotonic()

    def advance(self, count: int) -> None:
        self.done += count
        share = min(self.done / self.total, 1)
        bar = "#" * int(share * 30)
        sys.stderr.write(f"\r{self.label:<14} [{bar:<30}] {self.done:>9,}/{self.total:,}")
        if self.done >= self.total:
            sys.stderr.write(f"  {time.monotonic() - self.started:.1f}s\n")
        sys.stderr.flush()


def bulk(model, rows, total: int, label: str | None = None) -> int:
    progress = Progress(label or model._meta.verbose_name_plural, total)
    created = 0
    for chunk in iter(lambda: list(itertools.islice(rows, BATCH)), []):
        model.objects.bulk_create(chunk, batch_size=BATCH)
        created += len(chunk)
        progress.advance(len(chunk))
    if created < total:
        progress.advance(total - created)
    return created


class Command(BaseCommand):
    help = "Generate a realistic forum of N times ten years of records (bulk inserts, a progress bar)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 is about 200 meetings and 12,000 attendance rows."
        )
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args, scale, seed, **options):
        if scale <= 0:
            raise CommandError("The scale is a positive number.")
        if Meeting.objects.exists():  # the demo's too: its parties and meetings would collide
            raise CommandError("The database already holds meetings; generate into a fresh one.")
        self.random = random.Random(seed)
        self.scale = scale
        started = time.monotonic()
        with transaction.atomic():
            load_registry()
            self.registry()
            self.meetings()
            self.attendance()
            self.delegates()
            self.exercises()
            self.items()
            self.updates()
        refresh_all()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM as well, as autovacuum would later: until then an index-only scan (the
                # admin's capped counts) visits the table's rows too. It cannot run in a transaction.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        content_changed()
        counts = {
            m._meta.verbose_name_plural: m.objects.count()
            for m in (Meeting, Attendance, Delegate, Exercise, WorkPlanItem, ProgressUpdate, Organisation)
        }
        self.stdout.write(
            f"Generated at scale {scale:g} in {time.monotonic() - started:.0f}s: "
            + ", ".join(f"{n:,} {name}" for name, n in counts.items())
        )

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale))

    def text(self, words: int) -> str:
        return " ".join(self.random.choice(WORDS) for _ in range(words)).capitalize() + "."

    def registry(self):
        forum = Body.objects.get(slug="ahg")
        for name in EXTRA_BODIES:
            Body.objects.get_or_create(
                slug=slugify(f"wg {name}"),
                defaults={"name": f"Working Group on {name}", "acronym": f"WG-{name[:3].upper()}", "parent": forum},
            )
        self.bodies = list(Body.objects.exclude(kind=Body.Kind.FORUM))
        others = min(BIG_MEETING_ROWS, max(100, round(BIG_MEETING_ROWS * self.scale)))
        kinds = [Organisation.Kind.CIVIL_SOCIETY, Organisation.Kind.PRIVATE_SECTOR]
        rows = (
            Organisation(
                name=f"Participant organisation {i:05d}",
                acronym=f"PO{i}",
                slug=f"participant-{i:05d}",
                kind=kinds[i % 2],
            )
            for i in range(others)
        )
        bulk(Organisation, rows, others, "organisations")
        self.states = list(MemberState.objects.exclude(membership="none"))
        self.organisations = list(Organisation.objects.all())
        self.themes = list(Theme.objects.all())
        self.sectors, self.focus_areas = list(Sector.objects.all()), list(FocusArea.objects.all())

    def meetings(self):
        total = self.n(200)
        numbers = {}
        start = datetime.date.today() - datetime.timedelta(days=3650)
        kinds = [Meeting.Kind.ANNUAL] * 5 + [Meeting.Kind.SENIOR_OFFICIALS, Meeting.Kind.TECHNICAL, Meeting.Kind.AD_HOC]
        formats = list(Meeting.Format.values)

        def rows():
            for i in range(total):
                body, kind = self.random.choice(self.bodies), self.random.choice(kinds)
                numbers[(body.pk, kind)] = number = numbers.get((body.pk, kind), 0) + 1
                day = start + datetime.timedelta(days=self.random.randrange(3650))
                city = self.random.choice(["Bangkok", "Bali", "Jakarta", "Colombo", "Canberra", "Hanoi", "Suva"])
                yield Meeting(
                    body=body,
                    kind=kind,
                    number=number if number <= 999 else None,
                    slug=f"{body.slug}-{kind.replace('_', '-')}-{number}-{day.year}-{i}",
                    start_date=day,
                    end_date=day + datetime.timedelta(days=self.random.choice([0, 0, 1, 2])),
                    format=self.random.choice(formats),
                    venue_city=city,
                    venue_country="",
                    # One statement holds a word no other does: the benchmark's rare search term.
                    outcome_statement=" ".join(self.text(30) for _ in range(6))
                    + (" A kaleidoscope of views was heard." if i == 7 else ""),
                    status="draft" if self.random.random() < 0.05 else "published",
                    published_at=timezone.now(),
                )

        bulk(Meeting, rows(), total)
        self.meeting_ids = list(Meeting.objects.filter(status="published").values_list("pk", flat=True))
        bulk(
            MeetingCoChair,
            (
                MeetingCoChair(meeting_id=m, state=s)
                for m in self.meeting_ids
                for s in self.random.sample(self.states, 2)
            ),
            2 * len(self.meeting_ids),
            "co-chairs",
        )

    def attendance(self):
        total = self.n(12_000)
        big = self.meeting_ids[0]
        parties = [("state", s.pk) for s in self.states] + [("organisation", o.pk) for o in self.organisations]
        big_rows = min(BIG_MEETING_ROWS, len(parties))
        others = [m for m in self.meeting_ids if m != big]
        per_meeting = max(1, (total - big_rows) // max(len(others), 1))

        def rows():
            roles = [Attendance.Role.MEMBER] * 6 + [Attendance.Role.OBSERVER, Attendance.Role.GUEST]
            for meeting_id, size in [(big, big_rows)] + [(m, per_meeting) for m in others]:
                for kind, pk in self.random.sample(parties, min(size, len(parties))):
                    yield Attendance(
                        meeting_id=meeting_id,
                        role=self.random.choice(roles),
                        mode=self.random.choice(["", "in_person", "virtual"]),
                        **{f"{kind}_id": pk},
                    )

        bulk(Attendance, rows(), big_rows + per_meeting * len(others), "attendance")

    def delegates(self):
        total = self.n(2_000)
        attendance_ids = list(Attendance.objects.order_by("?").values_list("pk", flat=True)[:total])
        rows = (
            Delegate(
                attendance_id=a,
                full_name=f"Delegate {i:06d}",
                email=f"delegate{i}@example.org",
                phone=f"+66 2 {i % 1000:03d} {i % 10000:04d}",
                passport_number=f"P{i:08d}",
            )
            for i, a in enumerate(itertools.islice(itertools.cycle(attendance_ids), total))
        )
        bulk(Delegate, rows, total)

    def exercises(self):
        total = self.n(50)
        meetings = Meeting.objects.in_bulk(self.random.sample(self.meeting_ids, min(total, len(self.meeting_ids))))
        rows = [
            Exercise(
                title=f"Table-top exercise on {self.text(4).rstrip('.').lower()} {i}",
                slug=f"exercise-{i}",
                kind=self.random.choice(Exercise.Kind.values),
                status="published",
                meeting=m,
                start_date=m.start_date - datetime.timedelta(days=1),
                end_date=m.start_date,
                participant_count=self.random.randrange(20, 120),
                member_state_count=self.random.randrange(5, 30),
                scenario=self.text(20),
            )
            for i, m in enumerate(itertools.islice(itertools.cycle(meetings.values()), total))
        ]
        bulk(Exercise, iter(rows), total)
        links = []
        for exercise in Exercise.objects.all():
            links += [
                Exercise.themes.through(exercise_id=exercise.pk, theme_id=t.pk)
                for t in self.random.sample(self.themes, 2)
            ]
            links += [Exercise.bodies.through(exercise_id=exercise.pk, body_id=exercise.meeting.body_id)]
            links += [Exercise.sectors.through(exercise_id=exercise.pk, sector_id=s.pk) for s in self.sectors]
        for through in {type(link) for link in links}:
            through.objects.bulk_create([link for link in links if type(link) is through], batch_size=BATCH)

    def items(self):
        total = self.n(800)
        wgd = Body.objects.get(slug="wgd")
        meetings = list(Meeting.objects.filter(pk__in=self.meeting_ids).values_list("pk", "body_id"))
        statuses = list(ItemStatus.values)
        kinds = list(WorkPlanItem.Kind.values)

        def rows():
            for i in range(total):
                meeting_id, body_id = self.random.choice(meetings)
                yield WorkPlanItem(
                    body_id=body_id,
                    raised_at_id=meeting_id,
                    title=self.text(8).rstrip("."),
                    kind=self.random.choice(kinds),
                    status=self.random.choice(statuses),
                    description=self.text(40),
                    order_label=chr(97 + i % 26),
                    target_date=datetime.date.today() + datetime.timedelta(days=self.random.randrange(-400, 400)),
                )
            # The board's two-filter benchmark: body wgd, theme "Online scams".
            for i in range(FILTER_ITEMS):
                yield WorkPlanItem(
                    body=wgd,
                    title=f"Investigation plan on online scams {i}",
                    kind="investigation_plan",
                    status=ItemStatus.IN_PROGRESS,
                    description=self.text(20),
                )

        bulk(WorkPlanItem, rows(), total + FILTER_ITEMS, "work-plan items")
        scams = Theme.objects.get(slug="online-scams")
        through = WorkPlanItem.themes.through
        leads = WorkPlanItem.lead_states.through

        def links():
            for pk, title in WorkPlanItem.objects.values_list("pk", "title").iterator():
                if title.startswith("Investigation plan on online scams"):
                    yield through(workplanitem_id=pk, theme_id=scams.pk)
                else:
                    yield through(workplanitem_id=pk, theme_id=self.random.choice(self.themes).pk)

        bulk(through, links(), total + FILTER_ITEMS, "item themes")
        bulk(
            leads,
            (
                leads(workplanitem_id=pk, memberstate_id=self.random.choice(self.states).pk)
                for pk in WorkPlanItem.objects.values_list("pk", flat=True).iterator()
            ),
            total + FILTER_ITEMS,
            "item leads",
        )

    def updates(self):
        total = self.n(8_000)
        items = list(WorkPlanItem.objects.values_list("pk", flat=True)[: self.n(800)])
        today = datetime.date.today()
        rows = (
            ProgressUpdate(
                item_id=self.random.choice(items),
                date=today - datetime.timedelta(days=self.random.randrange(3650)),
                text=self.text(25),
                percent_complete=self.random.choice([None, 10, 25, 50, 75, 100]),
            )
            for _ in range(total)
        )
        bulk(ProgressUpdate, rows, total, "updates")
