"""The participants grid of the meeting form: one row per party of the registry (member and
observer states, member and observer organisations, the secretariat), a tick, a role, a mode and,
for member states, a co-chair tick.

Rendered as plain HTML in one pass (a widget template per cell would cost most of the page's time
and weight); role and mode selects only for ticked rows, the rest get theirs from a <template>
when ticked (static/admin/meeting_grid.js). Without the script a newly ticked party gets the role
of its membership and the mode of the meeting's format.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .models import Attendance, CoChairTerm, Meeting, MeetingCoChair, Membership, MemberState, Organisation

Role, Mode = Attendance.Role, Attendance.Mode
GRID_MEMBERSHIPS = [Membership.MEMBER, Membership.OBSERVER]
MODE_CHOICES = [("", "As the meeting"), *Mode.choices]


def grid_states():
    return MemberState.objects.filter(membership__in=GRID_MEMBERSHIPS, retired=False)


def grid_organisations():
    return Organisation.objects.filter(
        Q(membership__in=GRID_MEMBERSHIPS) | Q(kind=Organisation.Kind.SECRETARIAT), retired=False
    )


def outside_grid(attendances):
    """Attendance rows the grid does not show (guests, agencies, retired entries): the inline's."""
    return attendances.exclude(state__in=grid_states()).exclude(organisation__in=grid_organisations())


@dataclass
class Row:
    key: str  # "s12" for a state, "o3" for an organisation
    name: str
    default_role: str
    member_state: bool
    ticked: bool = False
    role: str = ""
    mode: str = ""
    cochair: bool = False


def _default_role(party) -> str:
    if isinstance(party, Organisation) and party.kind == Organisation.Kind.SECRETARIAT:
        return Role.SECRETARIAT
    return Role.OBSERVER if party.membership == Membership.OBSERVER else Role.MEMBER


class ParticipantGrid:
    def __init__(self, meeting: Meeting | None, data=None):
        self.meeting = meeting if meeting is not None and meeting.pk else None
        states = list(grid_states().only("id", "name", "membership").order_by("-membership", "name"))
        organisations = list(
            grid_organisations().only("id", "name", "acronym", "kind", "membership").order_by("-membership", "name")
        )
        self.groups = [
            ("Member states", [s for s in states if s.membership == Membership.MEMBER]),
            ("Observer states", [s for s in states if s.membership == Membership.OBSERVER]),
            ("Member organisations", [o for o in organisations if o.membership == Membership.MEMBER]),
            ("Observer organisations and the secretariat", [o for o in organisations if o.membership != "member"]),
        ]
        self.rows: dict[str, Row] = {}
        for _, parties in self.groups:
            for party in parties:
                key = f"{'s' if isinstance(party, MemberState) else 'o'}{party.pk}"
                name = f"{party.name} ({party.acronym})" if getattr(party, "acronym", "") else party.name
                self.rows[key] = Row(
                    key,
                    name,
                    _default_role(party),
                    member_state=isinstance(party, MemberState) and party.membership == Membership.MEMBER,
                )
        # What is stored now: the rows the officer saw ticked, the only ones an untick removes.
        self.stored: dict[str, Attendance] = {}
        self.stored_cochairs: set[str] = set()
        if self.meeting is not None:
            for attendance in self.meeting.attendances.all():
                key = f"s{attendance.state_id}" if attendance.state_id else f"o{attendance.organisation_id}"
                if key in self.rows:
                    self.stored[key] = attendance
            self.stored_cochairs = {f"s{pk}" for pk in self.meeting.cochairs.values_list("state_id", flat=True)}
        for key, attendance in self.stored.items():
            row = self.rows[key]
            row.ticked, row.role, row.mode = True, attendance.role, attendance.mode
        for key in self.stored_cochairs & set(self.rows):
            self.rows[key].cochair = True
        self.errors: list[str] = []
        if data is not None:
            self._read(data)

    def _read(self, data) -> None:
        roles, modes = set(Role.values), {"", *Mode.values}
        for key, row in self.rows.items():
            row.ticked = bool(data.get(f"p-{key}"))
            stored = self.stored.get(key)
            row.role = data.get(f"p-{key}-role") or (stored.role if stored else row.default_role)
            row.mode = data.get(f"p-{key}-mode", stored.mode if stored else "")
            row.cochair = row.member_state and bool(data.get(f"c-{key}"))
            if row.role not in roles or row.mode not in modes:
                self.errors.append(f"{row.name}: choose a role and a mode from the lists.")
            if stored is not None and not row.ticked and stored.delegates.exists():
                self.errors.append(
                    f"{row.name} has delegates recorded at this meeting: remove them first, or keep it ticked."
                )

    def save(self, meeting: Meeting) -> None:
        """Make the meeting's attendance and co-chairs what the grid says, row by row (so the
        history records each change). A blank mode at a meeting held in one mode takes that mode."""
        implied_mode = {Meeting.Format.IN_PERSON: Mode.IN_PERSON, Meeting.Format.VIRTUAL: Mode.VIRTUAL}
        current = {
            (f"s{a.state_id}" if a.state_id else f"o{a.organisation_id}"): a
            for a in meeting.attendances.filter(Q(state__in=grid_states()) | Q(organisation__in=grid_organisations()))
        }
        for key, row in self.rows.items():
            attendance = current.get(key)
            mode = row.mode or implied_mode.get(meeting.format, "")
            if row.ticked:
                if attendance is None:
                    party = {"state_id": int(key[1:])} if key[0] == "s" else {"organisation_id": int(key[1:])}
                    Attendance.objects.create(meeting=meeting, role=row.role, mode=mode, **party)
                elif (attendance.role, attendance.mode) != (row.role, mode):
                    attendance.role, attendance.mode = row.role, mode
                    attendance.save()
            elif attendance is not None and key in self.stored:
                attendance.delete()
        cochairs = {f"s{c.state_id}": c for c in meeting.cochairs.all()}
        # A co-chair ticked here is named after those already recorded (the statement's order).
        position = max((c.position for c in cochairs.values()), default=-1) + 1
        for key, row in self.rows.items():
            if row.cochair and key not in cochairs:
                MeetingCoChair.objects.create(meeting=meeting, state_id=int(key[1:]), position=position)
                position += 1
            elif not row.cochair and key in cochairs and key in self.stored_cochairs:
                cochairs[key].delete()

    # --- rendering ------------------------------------------------------------------------------

    def render(self) -> str:
        parts = []
        for title, parties in self.groups:
            if not parties:
                continue
            rows = [self.rows[f"{'s' if isinstance(p, MemberState) else 'o'}{p.pk}"] for p in parties]
            ticked = sum(row.ticked for row in rows)
            parts.append(
                format_html(
                    '<tbody class="grid-group"><tr><th colspan="4" scope="rowgroup">{} '
                    '<span class="grid-count">({} of {} ticked)</span></th></tr>{}</tbody>',
                    title,
                    ticked,
                    len(rows),
                    format_html_join("", "{}", ((self._row(row),) for row in rows)),
                )
            )
        return format_html(
            '<table class="participant-grid"><thead><tr><th scope="col">Took part</th>'
            '<th scope="col">Role</th><th scope="col">Mode (hybrid meetings)</th><th scope="col">Co-chair</th>'
            "</tr></thead>{}</table>{}{}",
            mark_safe("".join(parts)),
            self._select_template("grid-role", Role.choices),
            self._select_template("grid-mode", MODE_CHOICES),
        )

    def _row(self, row: Row) -> str:
        # Every byte here is paid ~80 times: no ids, classes or values the script can do without.
        role = self._select(f"p-{row.key}-role", Role.choices, row.role) if row.ticked else ""
        mode = self._select(f"p-{row.key}-mode", MODE_CHOICES, row.mode) if row.ticked else ""
        cochair = (
            format_html(
                '<input type="checkbox" name="c-{}" aria-label="{} co-chaired"{}>',
                row.key,
                row.name,
                " checked" if row.cochair else "",
            )
            if row.member_state
            else ""
        )
        return format_html(
            '<tr data-key="{}"{}><td><label><input type="checkbox" name="p-{}"{}> {}</label></td>'
            "<td>{}</td><td>{}</td><td>{}</td></tr>",
            row.key,
            format_html(' data-role="{}"', row.default_role) if row.default_role != Role.MEMBER else "",
            row.key,
            " checked" if row.ticked else "",
            row.name,
            role,
            mode,
            cochair,
        )

    @staticmethod
    def _options(choices, selected) -> str:
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if v == selected else "", label) for v, label in choices),
        )

    def _select(self, name, choices, selected) -> str:
        label = "Mode" if name.endswith("-mode") else "Role"
        return format_html(
            '<select name="{}" aria-label="{}">{}</select>', name, label, self._options(choices, selected)
        )

    def _select_template(self, template_id, choices) -> str:
        return format_html('<template id="{}"><select>{}</select></template>', template_id, self._options(choices, ""))


def prefill_data(meeting: Meeting | None) -> dict:
    """For the form's script: per body, the states co-chairing it now and the participants of its
    latest meeting before this one (keys as in the grid, with role and mode)."""
    from .models import Body

    previous = Meeting.objects.select_related("body").order_by("-start_date", "-pk")
    if meeting is not None and meeting.pk:
        previous = previous.exclude(pk=meeting.pk).filter(start_date__lte=meeting.start_date)
    # One indexed query per body: bodies are a handful, meetings many.
    meetings = {}
    for body_id in Body.objects.values_list("pk", flat=True):
        found = previous.filter(body_id=body_id).first()
        if found is not None:
            meetings[body_id] = found
    attendance = {}
    for a in Attendance.objects.filter(meeting__in=list(meetings.values())).values(
        "meeting__body_id", "state_id", "organisation_id", "role", "mode"
    ):
        key = f"s{a['state_id']}" if a["state_id"] else f"o{a['organisation_id']}"
        attendance.setdefault(a["meeting__body_id"], {})[key] = [a["role"], a["mode"]]
    cochairs = {}
    for term in CoChairTerm.objects.current().values("body_id", "state_id"):
        cochairs.setdefault(term["body_id"], []).append(f"s{term['state_id']}")
    data = {}
    for body_id in Body.objects.values_list("pk", flat=True):
        found = meetings.get(body_id)
        data[str(body_id)] = {
            "cochairs": cochairs.get(body_id, []),
            "previous": str(found) if found else "",
            "participants": attendance.get(body_id, {}),
        }
    return data
