"""Who may see what on the public pages."""


def can_preview_drafts(user) -> bool:
    """Secretariat staff see drafts on the public pages before they publish them; nobody else does."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm("meetings.change_meeting"))
