"""E-mails of the work plan: every update to the secretariat, the body's co-chairs and the item's owner;
reminders of due dates."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from meetings.models import CoChairTerm

from .models import ProgressUpdate, WorkPlanItem
from .roles import SECRETARIAT


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def secretariat_recipients() -> list[str]:
    users = get_user_model().objects.filter(groups__name=SECRETARIAT, is_active=True).exclude(email="")
    return sorted({*settings.SECRETARIAT_EMAILS, *users.values_list("email", flat=True)})


def cochair_recipients(item: WorkPlanItem) -> list[str]:
    """The accounts of the states that co-chair the item's body now."""
    states = CoChairTerm.objects.current().filter(body=item.body).values("state")
    users = get_user_model().objects.filter(representative__state__in=states, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def lead_recipients(item: WorkPlanItem) -> list[str]:
    emails = [s.contact_email for s in item.lead_states.all()] + [
        o.contact_email for o in item.lead_organisations.all()
    ]
    return sorted({e for e in emails if e})


def update_recipients(update: ProgressUpdate) -> list[str]:
    """The secretariat, both co-chairs and the item's owner; not the author, who knows."""
    item = update.item
    everyone = {*secretariat_recipients(), *cochair_recipients(item)}
    if item.owner_email:
        everyone.add(item.owner_email)
    author_email = getattr(update.author, "email", "")
    return sorted(everyone - {author_email} if author_email else everyone)


def notify_of_update(update: ProgressUpdate) -> int:
    """Tell the others what was posted: the item, the change, the note, in one message. Returns mails sent."""
    recipients = update_recipients(update)
    if not recipients:
        return 0
    item = update.item
    change = (
        f"Status: {update.get_status_before_display()} -> {update.get_status_after_display()}"
        if update.changed_status
        else f"Status unchanged: {item.get_status_display()}"
    )
    lines = [
        f"{update.attribution} posted an update on a work-plan item of the {item.body}.",
        "",
        f"Item: {item.title}",
        change,
    ]
    if update.percent_complete is not None:
        lines.append(f"Complete: {update.percent_complete}%")
    if update.reason:
        lines.append(f"Reason: {update.reason}")
    lines += ["", update.text, "", absolute(item.get_absolute_url())]
    subject = f"[{item.body.acronym or item.body}] {item.title[:80]}: {change}"
    return send_mail(subject, "\n".join(lines), None, recipients)


def send_reminder(item: WorkPlanItem, threshold_label: str) -> int:
    """One reminder to the owner, the leads' contacts and the co-chairs; returns the number of recipients."""
    owner = {item.owner_email} if item.owner_email else set()
    recipients = sorted(owner | set(lead_recipients(item)) | set(cochair_recipients(item)))
    if not recipients:
        return 0
    body = "\n".join(
        [
            f"{threshold_label}: {item.title}",
            f"Body: {item.body}",
            f"Due: {item.target_date:%d %B %Y}" + (f" ({item.target_period})" if item.target_period else ""),
            f"Status: {item.get_status_display()}",
            "",
            f"Post progress in the workspace: {absolute(reverse('workplan:workspace-item', args=[item.pk]))}",
        ]
    )
    send_mail(f"[{item.body.acronym or item.body}] {threshold_label}: {item.title[:80]}", body, None, recipients)
    return len(recipients)


def notify_of_clearance(*, meeting, state, cleared: bool, text: str) -> int:
    """Tell the secretariat that a co-chair cleared a draft statement or commented on it."""
    recipients = secretariat_recipients()
    if not recipients:
        return 0
    what = "cleared the draft statement" if cleared else "commented on the draft statement"
    lines = [f"{state.display_name}, co-chair, {what} of the {meeting.display_title}.", ""]
    if text:
        lines += [text, ""]
    lines.append(absolute(reverse("admin:meetings_meeting_change", args=[meeting.pk])))
    subject = f"[{meeting.body.acronym or meeting.body}] {state.display_name} {what}"
    return send_mail(subject, "\n".join(lines), None, recipients)
