"""Public pages of meetings, exercises, bodies and members."""

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.http import HttpResponse
from django.template.loader import get_template
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView, TemplateView

from core.stamp import content_stamp_with, fragment_version

from . import charts, documents, queries
from .forms import MeetingFilterForm
from .models import Attendance, Body, CoChairTerm, Exercise, Meeting, Membership, MemberState, Organisation, Theme
from .permissions import can_preview_drafts

ROLE_GROUPS = [
    # (heading, party kind, roles), in the order a statement lists them
    ("Member states", "state", {Attendance.Role.MEMBER, Attendance.Role.HOST}),
    ("Observer states", "state", {Attendance.Role.OBSERVER}),
    ("Guest and expert states", "state", {Attendance.Role.GUEST, Attendance.Role.EXPERT}),
    ("Organisations", "organisation", {Attendance.Role.MEMBER, Attendance.Role.HOST, Attendance.Role.EXPERT}),
    ("Observer organisations", "organisation", {Attendance.Role.OBSERVER}),
    ("Guest organisations", "organisation", {Attendance.Role.GUEST}),
    ("Secretariat", "organisation", {Attendance.Role.SECRETARIAT}),
]


# A meeting's page names its participants up to this many; a larger meeting's page counts them
# under each heading and names them on a page of their own.
PARTICIPANTS_NAMED = 200


def group_attendance(attendances) -> list[tuple[str, list]]:
    """The parties of a meeting under the headings a reader expects, empty headings left out."""
    groups = []
    for heading, party_kind, roles in ROLE_GROUPS:
        members = [
            a for a in attendances if a.role in roles and (a.state_id if party_kind == "state" else a.organisation_id)
        ]
        if members:
            groups.append((heading, members))
    return groups


class MeetingListView(ListView):
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20

    def get_queryset(self):
        visible = Meeting.objects.visible_to(self.request.user)
        years = visible.annotate(year=ExtractYear("start_date")).order_by("-year").values_list("year", flat=True)
        self.filter_form = MeetingFilterForm(self.request.GET or None, years=sorted(set(years), reverse=True))
        filters = self.filter_form.active_filters() if self.request.GET else {}
        meetings = queries.meetings_for_list(self.request.user)
        if "body" in filters:
            meetings = meetings.filter(body=filters["body"])
        if "kind" in filters:
            meetings = meetings.filter(kind=filters["kind"])
        if "year" in filters:
            meetings = meetings.filter(start_date__year=filters["year"])
        return meetings

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class MeetingListings:
    """What a meeting's page lists, loaded only when the template asks: a cached fragment of the
    page needs none of it, so a cached meeting costs one query however many took part."""

    def __init__(self, meeting, user, name_at_most=PARTICIPANTS_NAMED, *, with_lists=False):
        """`with_lists`: the meeting was loaded with queries.meeting_for_page's lists already."""
        self._meeting, self._user, self._name_at_most = meeting, user, name_at_most
        if with_lists:
            self.meeting = meeting

    @cached_property
    def meeting(self):
        return queries.meeting_for_page(self._user, with_participants=False).get(pk=self._meeting.pk)

    @cached_property
    def _named(self):
        """Every participant with their party, or None for a meeting with more than the page names
        (counted first: loading a few hundred rows only to drop them was a fifth of a cold render)."""
        if self._name_at_most is not None:
            counted = sum(row["states"] + row["organisations"] for row in self._counts_by_role.values())
            if counted > self._name_at_most:
                return None
        return list(queries.participants().filter(meeting=self._meeting))

    @property
    def all_named(self) -> bool:
        return self._named is not None

    @cached_property
    def named_groups(self):
        """(heading, rows), when every participant is named here."""
        return group_attendance(self._named)

    @cached_property
    def counted_groups(self):
        """(heading, count), for a meeting too large to name them all here."""
        return [(heading, count) for heading, count in self._group_counts if count]

    @cached_property
    def _counts_by_role(self):
        """{role: {"states": n, "organisations": n}}, counted by the database."""
        rows = (
            Attendance.objects.filter(meeting=self._meeting)
            .order_by()
            .values("role")
            .annotate(states=Count("state"), organisations=Count("organisation"))
        )
        return {row["role"]: row for row in rows}

    @cached_property
    def _group_counts(self):
        by_role = self._counts_by_role
        return [
            (heading, sum(by_role.get(role, {}).get(f"{kind}s", 0) for role in roles))
            for heading, kind, roles in ROLE_GROUPS
        ]

    @cached_property
    def state_count(self):
        if self.all_named:
            return sum(1 for a in self._named if a.state_id)
        return sum(row["states"] for row in self._counts_by_role.values())

    @cached_property
    def organisation_count(self):
        if self.all_named:
            return sum(1 for a in self._named if a.organisation_id)
        return sum(row["organisations"] for row in self._counts_by_role.values())

    @property
    def total(self):
        return self.state_count + self.organisation_count


class MeetingPageMixin:
    context_object_name = "meeting"
    name_at_most = PARTICIPANTS_NAMED  # None on the participants page: everyone

    def get_queryset(self):
        return queries.meeting_heading(self.request.user)

    def listings(self):
        return MeetingListings(self.object, self.request.user, self.name_at_most)


class MeetingDetailView(MeetingPageMixin, DetailView):
    """A meeting's page. Its title and everything below it are rendered once per content stamp
    (and per kind of visitor: drafts shown or not) and kept in one cache entry with the stamp they
    were rendered at, read together with the current stamp in one round trip: a logged-in visitor
    (whose page the page cache skips) costs no query for the meeting at all."""

    template_name = "meetings/meeting_detail.html"
    fragment_template = "meetings/meeting_fragment.html"

    def get(self, request, *args, **kwargs):
        drafts = can_preview_drafts(request.user)
        key = f"meeting-page:{'drafts' if drafts else 'published'}:{request.get_host()}:{kwargs['slug']}"
        stamp, entry = content_stamp_with(key)
        if entry is None or entry[0] != stamp:
            # The meeting with its lists in one go (404 unless this visitor may see it).
            self.object = self.get_object(queries.meeting_for_page(request.user, with_participants=False))
            listed = MeetingListings(self.object, request.user, self.name_at_most, with_lists=True)
            context = {"listed": listed, "meeting": self.object}
            fragment = get_template(self.fragment_template).render(context, request)
            entry = (stamp, self.object.display_title, mark_safe(fragment))  # noqa: S308 (rendered here)
            cache.set(key, entry, FRAGMENT_TIMEOUT)
        return self.render_to_response({"title": entry[1], "fragment": entry[2]})


FRAGMENT_TIMEOUT = 24 * 60 * 60


class MeetingParticipantsView(MeetingPageMixin, DetailView):
    """Every participant of a meeting by name, for a meeting too large to name them on its page."""

    template_name = "meetings/meeting_participants.html"
    name_at_most = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            listed=self.listings(),
            fragment_version=fragment_version(drafts=can_preview_drafts(self.request.user)),
            **kwargs,
        )


class MeetingPrintView(DetailView):
    template_name = "meetings/meeting_print.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return queries.meeting_for_page(self.request.user)

    def get_context_data(self, **kwargs):
        # The same participants as the Word document (states and organisations; no delegate's name).
        participants = documents.participant_lines(self.object.attendances.all())
        return super().get_context_data(participants=participants, **kwargs)


class MeetingDocxView(MeetingPrintView):
    """The outcome statement as a Word document."""

    def render_to_response(self, context, **response_kwargs):
        meeting = self.object
        response = HttpResponse(
            documents.outcome_docx(meeting, list(meeting.items_raised.all())),
            content_type=documents.CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.docx"'
        return response


class ExerciseListView(ListView):
    """Every published exercise, workshop and webinar, newest first, with the bodies that held it."""

    template_name = "meetings/exercise_list.html"
    context_object_name = "exercises"
    paginate_by = 20

    def get_queryset(self):
        return (
            Exercise.objects.visible_to(self.request.user)
            .select_related("meeting__body")
            .prefetch_related("bodies")
            .order_by("-start_date", "-pk")
        )


class BodyListView(ListView):
    """The forum's bodies, each with its current co-chairs and how many meetings it has published."""

    template_name = "meetings/body_list.html"
    context_object_name = "bodies"

    def get_queryset(self):
        visible = Meeting.objects.visible_to(self.request.user)
        terms = CoChairTerm.objects.current().select_related("state").order_by("position", "state__name")
        return (
            Body.objects.select_related("parent")
            .prefetch_related(Prefetch("cochair_terms", queryset=terms, to_attr="current_terms"))
            .annotate(meeting_total=Count("meetings", filter=Q(meetings__in=visible.values("pk"))))
            .order_by("retired", "name")
        )


class ExerciseDetailView(DetailView):
    template_name = "meetings/exercise_detail.html"
    context_object_name = "exercise"

    def get_queryset(self):
        return queries.exercises_for_pages(self.request.user)


class BodyDetailView(DetailView):
    template_name = "meetings/body_detail.html"
    context_object_name = "body"
    queryset = Body.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        user = self.request.user
        meetings = queries.latest(
            Meeting.objects.visible_to(user).filter(body=self.object).select_related("body").order_by("-start_date")
        )
        exercises = queries.latest(queries.exercises_for_pages(user).filter(bodies=self.object).order_by("-start_date"))
        return super().get_context_data(
            meetings=meetings,
            exercises=exercises,
            timeline=charts.body_timeline(meetings["rows"], exercises["rows"]),
            # In the order the body's statements name them, as its meetings' pages do.
            cochairs=CoChairTerm.objects.current()
            .filter(body=self.object)
            .select_related("state", "agency")
            .order_by("position", "state__name"),
            children=self.object.children.all(),
            **kwargs,
        )


class MemberDirectoryView(TemplateView):
    template_name = "meetings/member_directory.html"

    def get_context_data(self, **kwargs):
        states = list(
            MemberState.objects.exclude(membership=Membership.NONE)
            .select_related("parent_state")
            .annotate(meetings_attended=Count("attendances"))
            .order_by("membership", "name")
        )
        organisations = list(Organisation.objects.exclude(membership=Membership.NONE).order_by("membership", "name"))
        others = queries.latest(Organisation.objects.filter(membership=Membership.NONE).order_by("kind", "name"), 200)
        return super().get_context_data(
            member_states=[s for s in states if s.membership == Membership.MEMBER],
            observer_states=[s for s in states if s.membership == Membership.OBSERVER],
            member_organisations=[o for o in organisations if o.membership == Membership.MEMBER],
            observer_organisations=[o for o in organisations if o.membership == Membership.OBSERVER],
            other_organisations=others,
            bodies=Body.objects.select_related("parent").order_by("name"),
            matrix=charts.participation_matrix(Meeting.objects.visible_to(self.request.user), states, organisations),
            **kwargs,
        )


class PartyDetailView(DetailView):
    """The page of a state or an organisation: what it attended, co-chaired and leads."""

    context_object_name = "party"

    def get_context_data(self, **kwargs):
        history = queries.party_history(self.object, self.request.user)
        return super().get_context_data(**history, **kwargs)


class StateDetailView(PartyDetailView):
    template_name = "meetings/state_detail.html"
    queryset = MemberState.objects.select_related("parent_state").prefetch_related("aliases", "territories")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cochair_terms=self.object.cochair_terms.select_related("body", "agency").order_by("-start_date"),
            agencies=self.object.agencies.all(),
            **kwargs,
        )


class OrganisationDetailView(PartyDetailView):
    template_name = "meetings/organisation_detail.html"
    queryset = Organisation.objects.select_related("state").prefetch_related("aliases")


class ThemeDetailView(DetailView):
    """A theme and the published exercises and work-plan items that take it up."""

    template_name = "meetings/theme_detail.html"
    context_object_name = "theme"
    model = Theme

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            exercises=queries.latest(
                queries.exercises_for_pages(user).filter(themes=self.object).order_by("-start_date")
            ),
            items=queries.items_of_theme(self.object, user),
            **kwargs,
        )
