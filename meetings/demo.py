"""The forum's registry and the seventh annual meeting of the Working Group on Disruptions.

Facts written out by hand from the forum's published membership and the co-chairs' statement
of 12 October 2022; loaded by `manage.py load_demo`. Loading twice changes nothing: each
record is looked up by its natural key and saved only when a field differs.
"""

import datetime

from django.utils.text import slugify

from .models import (
    Alias,
    Attendance,
    Body,
    CoChairTerm,
    Exercise,
    FocusArea,
    Meeting,
    MeetingCoChair,
    Membership,
    MemberState,
    Organisation,
    Sector,
    Theme,
)
from .models.base import PublicationStatus

# (name, short name, ISO 3166-1 alpha-2, aliases); a territory has its parent's code last.
MEMBER_STATES = [
    ("Afghanistan", "", "AF", []),
    ("Australia", "", "AU", []),
    ("Bangladesh", "", "BD", []),
    ("Bhutan", "", "BT", []),
    ("Brunei Darussalam", "Brunei", "BN", ["Brunei"]),
    ("Cambodia", "", "KH", ["Kingdom of Cambodia"]),
    ("China", "", "CN", ["People's Republic of China", "PRC"]),
    ("Democratic People's Republic of Korea", "DPRK", "KP", ["DPRK", "North Korea"]),
    ("Fiji", "", "FJ", ["Republic of Fiji"]),
    ("India", "", "IN", []),
    ("Indonesia", "", "ID", ["Republic of Indonesia"]),
    ("Islamic Republic of Iran", "Iran", "IR", ["Iran"]),
    ("Iraq", "", "IQ", []),
    ("Japan", "", "JP", []),
    ("Jordan", "", "JO", []),
    ("Kiribati", "", "KI", []),
    ("Lao People's Democratic Republic", "Lao PDR", "LA", ["Lao PDR", "Laos"]),
    ("Malaysia", "", "MY", []),
    ("Maldives", "", "MV", ["Republic of Maldives"]),
    ("Mongolia", "", "MN", []),
    ("Myanmar", "", "MM", []),
    ("Nauru", "", "NR", []),
    ("Nepal", "", "NP", []),
    ("New Zealand", "", "NZ", ["Aotearoa New Zealand"]),
    ("Pakistan", "", "PK", []),
    ("Palau", "", "PW", []),
    ("Papua New Guinea", "", "PG", ["PNG"]),
    ("Philippines", "", "PH", ["Republic of the Philippines"]),
    ("Republic of Korea", "Korea", "KR", ["ROK", "South Korea", "Korea"]),
    ("Samoa", "", "WS", []),
    ("Singapore", "", "SG", []),
    ("Solomon Islands", "", "SB", []),
    ("Sri Lanka", "", "LK", []),
    ("Syrian Arab Republic", "Syria", "SY", ["Syria"]),
    ("Thailand", "", "TH", ["Kingdom of Thailand"]),
    ("Timor-Leste", "", "TL", ["East Timor"]),
    ("Tonga", "", "TO", []),
    ("Türkiye", "", "TR", ["Turkey", "Turkiye"]),
    ("United Arab Emirates", "UAE", "AE", ["UAE"]),
    ("United States of America", "United States", "US", ["United States", "USA"]),
    ("Vanuatu", "", "VU", []),
    ("Viet Nam", "", "VN", ["Vietnam", "Việt Nam"]),
]
MEMBER_TERRITORIES = [
    ("Hong Kong SAR", "", "HK", ["Hong Kong", "Hong Kong, China", "Hong Kong Special Administrative Region"], "CN"),
    ("Macau SAR", "", "MO", ["Macau", "Macao", "Macao SAR", "Macau, China"], "CN"),
    ("New Caledonia", "", "NC", ["Nouvelle-Calédonie"], "FR"),
]
# Not members themselves, but named by the registry: France for New Caledonia.
OTHER_STATES = [("France", "", "FR", [])]
OBSERVER_STATES = [
    ("Belgium", "", "BE", []),
    ("Canada", "", "CA", []),
    ("Denmark", "", "DK", []),
    ("Finland", "", "FI", []),
    ("Germany", "", "DE", []),
    ("Italy", "", "IT", []),
    ("Netherlands", "", "NL", ["The Netherlands", "Kingdom of the Netherlands"]),
    ("Norway", "", "NO", []),
    ("Poland", "", "PL", []),
    ("Romania", "", "RO", []),
    ("Russian Federation", "Russia", "RU", ["Russia"]),
    ("Spain", "", "ES", []),
    ("Sweden", "", "SE", []),
    ("Switzerland", "", "CH", []),
    ("United Kingdom", "", "GB", ["United Kingdom of Great Britain and Northern Ireland", "UK"]),
]

INTL = Organisation.Kind.INTERNATIONAL
AGENCY = Organisation.Kind.NATIONAL_AGENCY
# (name, acronym, kind, membership, state ISO code, aliases)
ORGANISATIONS = [
    (
        "International Organization for Migration",
        "IOM",
        INTL,
        Membership.MEMBER,
        None,
        ["International Organisation for Migration"],
    ),
    (
        "United Nations High Commissioner for Refugees",
        "UNHCR",
        INTL,
        Membership.MEMBER,
        None,
        ["Office of the United Nations High Commissioner for Refugees", "UN Refugee Agency"],
    ),
    ("United Nations Office on Drugs and Crime", "UNODC", INTL, Membership.MEMBER, None, []),
    ("International Labour Organization", "ILO", INTL, Membership.MEMBER, None, ["International Labour Organisation"]),
    (
        "Bali Process Regional Support Office",
        "RSO",
        Organisation.Kind.SECRETARIAT,
        Membership.NONE,
        None,
        ["Regional Support Office", "Regional Support Office of the Bali Process"],
    ),
    ("International Committee of the Red Cross", "ICRC", INTL, Membership.OBSERVER, None, []),
    ("International Federation of Red Cross and Red Crescent Societies", "IFRC", INTL, Membership.OBSERVER, None, []),
    ("International Centre for Migration Policy Development", "ICMPD", INTL, Membership.OBSERVER, None, []),
    ("Intergovernmental Consultations on Migration, Asylum and Refugees", "IGC", INTL, Membership.OBSERVER, None, []),
    ("International Criminal Police Organization", "INTERPOL", INTL, Membership.OBSERVER, None, ["Interpol"]),
    ("World Bank", "", INTL, Membership.OBSERVER, None, ["World Bank Group"]),
    ("Immigration New Zealand", "INZ", AGENCY, Membership.NONE, "NZ", []),
    ("Australian Border Force", "ABF", AGENCY, Membership.NONE, "AU", []),
    (
        "Ministry of Foreign Affairs of the Republic of Indonesia",
        "Kemlu",
        AGENCY,
        Membership.NONE,
        "ID",
        ["Indonesian Ministry of Foreign Affairs", "Ministry of Foreign Affairs of Indonesia"],
    ),
]

# (name, short name, acronym, slug, kind, parent slug, aliases)
BODIES = [
    (
        "Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime",
        "Bali Process",
        "",
        "bali-process",
        Body.Kind.FORUM,
        None,
        ["Bali Process"],
    ),
    (
        "Ad Hoc Group",
        "",
        "AHG",
        "ahg",
        Body.Kind.AD_HOC_GROUP,
        "bali-process",
        ["Bali Process Ad Hoc Group", "Ad Hoc Group of Senior Officials"],
    ),
    (
        "Working Group on the Disruption of People Smuggling and Trafficking in Persons Networks",
        "Working Group on Disruptions",
        "WGD",
        "wgd",
        Body.Kind.WORKING_GROUP,
        "ahg",
        ["Working Group on Disruptions", "Working Group on Disruption", "Disruptions Working Group"],
    ),
    (
        "Working Group on Trafficking in Persons",
        "",
        "WG-TIP",
        "wg-tip",
        Body.Kind.WORKING_GROUP,
        "ahg",
        ["TIPWG", "WGTIP", "Trafficking in Persons Working Group"],
    ),
    (
        "Taskforce on Planning and Preparedness",
        "",
        "TPP",
        "tpp",
        Body.Kind.TASKFORCE,
        "ahg",
        ["Task Force on Planning and Preparedness"],
    ),
]

THEMES = [
    "Use of technology by organised criminal groups",
    "Vulnerabilities of women and children",
    "Health-related contingencies",
    "Online scams",
    "Trauma-informed approaches",
    "Returns and reintegration",
    "Data collection and sharing",
    "Ethical use of data and biometrics",
]
SECTORS = ["Immigration", "Police", "Government"]
FOCUS_AREAS = ["Detection", "Investigation", "Prosecution"]

SEVENTH_MEETING_STATES = ["AU", "BD", "ID", "MY", "MV", "NZ", "PK", "PH", "LK", "TH", "AE", "US", "VN"]
SEVENTH_MEETING_ORGANISATIONS = [
    ("RSO", Attendance.Role.SECRETARIAT),
    ("IOM", Attendance.Role.MEMBER),
    ("UNHCR", Attendance.Role.MEMBER),
    ("UNODC", Attendance.Role.MEMBER),
]

SEVENTH_MEETING_STATEMENT = """\
Viet Nam and New Zealand co-chaired the seventh Annual Meeting of the Bali Process Working Group \
on the Disruption of People Smuggling and Trafficking in Persons Networks on 12 October 2022. \
The meeting was held in Bangkok, Thailand, in a hybrid format, with some participants joining online.

Australia, Bangladesh, Indonesia, Malaysia, Maldives, New Zealand, Pakistan, the Philippines, \
Sri Lanka, Thailand, the United Arab Emirates, the United States of America and Viet Nam took \
part, together with the Bali Process Regional Support Office, the International Organization \
for Migration, the United Nations High Commissioner for Refugees and the United Nations Office \
on Drugs and Crime.

Before the meeting, on 10 and 11 October 2022, 45 officials from 12 member states, working in \
immigration, policing and government, took part in a table-top exercise on people smuggling and \
trafficking in persons investigations, run for the Taskforce on Planning and Preparedness and the \
Working Group on Disruptions. The Regional Support Office and Immigration New Zealand facilitated \
it around a hypothetical case study of the movement of migrants, with expert input from IOM, \
UNODC and UNHCR. Participants worked through detection, investigation and prosecution, and \
discussed criminal groups' growing use of technology, the vulnerabilities of women and children, \
and planning for health-related contingencies.

On the forward work plan, members and organisations support a Joint 12-month Period of Action so \
that larger and longer-term investigations can progress and report tangible outcomes. The \
proposed topic is the links between trafficking in persons and online scams; it will be settled \
with members in 2023. Members also suggested training on trauma-informed approaches (including \
returns and reintegration), workshops on collecting and sharing standardised or anonymised data, \
and training on the ethical use of data, biometrics and personal information."""


def upsert(model, lookup: dict, **fields):
    """Get the row matching `lookup`, creating it or saving it only if a field differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **fields)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save()
    return obj


def set_if_changed(manager, objects) -> None:
    """Set a many-to-many relation without touching it when it already holds these objects."""
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(objects)


def add_aliases(names, **target) -> None:
    for name in names:
        if not Alias.objects.filter(name__iexact=name).exists():
            Alias.objects.create(name=name, **target)


def load_registry() -> None:
    def load_states(rows, membership, kind=MemberState.Kind.STATE):
        for name, short_name, code, aliases, *parent in rows:
            state = upsert(
                MemberState,
                {"iso_code": code},
                name=name,
                short_name=short_name,
                slug=slugify(short_name or name),
                kind=kind,
                membership=membership,
                parent_state=MemberState.objects.get(iso_code=parent[0]) if parent else None,
            )
            add_aliases(aliases, state=state)

    load_states(MEMBER_STATES, Membership.MEMBER)
    load_states(OTHER_STATES, Membership.NONE)
    load_states(OBSERVER_STATES, Membership.OBSERVER)
    load_states(MEMBER_TERRITORIES, Membership.MEMBER, kind=MemberState.Kind.TERRITORY)

    for name, acronym, kind, membership, state_code, aliases in ORGANISATIONS:
        organisation = upsert(
            Organisation,
            {"name": name},
            acronym=acronym,
            slug=slugify(acronym or name),
            kind=kind,
            membership=membership,
            state=MemberState.objects.get(iso_code=state_code) if state_code else None,
        )
        add_aliases(aliases, organisation=organisation)

    for name, short_name, acronym, slug, kind, parent_slug, aliases in BODIES:
        body = upsert(
            Body,
            {"slug": slug},
            name=name,
            short_name=short_name,
            acronym=acronym,
            kind=kind,
            parent=Body.objects.get(slug=parent_slug) if parent_slug else None,
        )
        add_aliases(aliases, body=body)

    for model, names in [(Theme, THEMES), (Sector, SECTORS), (FocusArea, FOCUS_AREAS)]:
        for name in names:
            upsert(model, {"slug": slugify(name)}, name=name)


def load_seventh_annual_meeting() -> Meeting:
    """The meeting of 12 October 2022 and the table-top exercise held before it."""
    states = {state.iso_code: state for state in MemberState.objects.all()}
    organisations = {org.acronym: org for org in Organisation.objects.exclude(acronym="")}
    wgd = Body.objects.get(slug="wgd")
    tpp = Body.objects.get(slug="tpp")

    for body in (wgd, tpp):
        for position, code in enumerate(("VN", "NZ")):
            upsert(CoChairTerm, {"body": body, "state": states[code], "start_date": None}, position=position)

    meeting = upsert(
        Meeting,
        {"body": wgd, "kind": Meeting.Kind.ANNUAL, "number": 7},
        slug="wgd-seventh-annual-meeting-2022",
        start_date=datetime.date(2022, 10, 12),
        end_date=datetime.date(2022, 10, 12),
        format=Meeting.Format.HYBRID,
        venue_city="Bangkok",
        venue_country="Thailand",
        outcome_statement=SEVENTH_MEETING_STATEMENT,
        status=PublicationStatus.PUBLISHED,
    )
    if meeting.published_at is None:
        meeting.published_at = datetime.datetime(2022, 10, 14, 9, 0, tzinfo=datetime.UTC)
        meeting.save(update_fields=["published_at"])

    for position, code in enumerate(("VN", "NZ")):  # "Viet Nam and New Zealand co-chaired ..."
        upsert(MeetingCoChair, {"meeting": meeting, "state": states[code]}, position=position)
    for code in SEVENTH_MEETING_STATES:
        upsert(Attendance, {"meeting": meeting, "state": states[code]}, role=Attendance.Role.MEMBER)
    for acronym, role in SEVENTH_MEETING_ORGANISATIONS:
        upsert(Attendance, {"meeting": meeting, "organisation": organisations[acronym]}, role=role)

    exercise = upsert(
        Exercise,
        {"slug": "table-top-exercise-investigations-2022"},
        title="Table-top exercise on people smuggling and trafficking in persons investigations",
        kind=Exercise.Kind.TABLE_TOP,
        status=PublicationStatus.PUBLISHED,
        meeting=meeting,
        start_date=datetime.date(2022, 10, 10),
        end_date=datetime.date(2022, 10, 11),
        participant_count=45,
        member_state_count=12,
        scenario="A hypothetical case study scenario modelling the movement of migrants",
    )
    set_if_changed(exercise.bodies, [tpp, wgd])
    set_if_changed(exercise.sectors, Sector.objects.filter(name__in=SECTORS))
    set_if_changed(exercise.focus_areas, FocusArea.objects.filter(name__in=FOCUS_AREAS))
    set_if_changed(exercise.themes, Theme.objects.filter(name__in=THEMES[:3]))
    set_if_changed(exercise.facilitator_organisations, [organisations["RSO"], organisations["INZ"]])
    set_if_changed(exercise.expert_organisations, [organisations[a] for a in ("IOM", "UNODC", "UNHCR")])
    return meeting
