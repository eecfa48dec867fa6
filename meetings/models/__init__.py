"""The registry (states, organisations, bodies, themes), meetings, exercises and delegates."""

from .clearance import ClearanceComment, ClearanceRequest
from .exercises import Exercise, FocusArea, Sector
from .meetings import Attendance, Meeting, MeetingCoChair
from .people import Delegate, Erasure
from .registry import (
    Alias,
    Body,
    CoChairTerm,
    Membership,
    MemberState,
    Organisation,
    Theme,
)

__all__ = [
    "Alias",
    "Attendance",
    "Body",
    "ClearanceComment",
    "ClearanceRequest",
    "CoChairTerm",
    "Delegate",
    "Erasure",
    "Exercise",
    "FocusArea",
    "Meeting",
    "MeetingCoChair",
    "MemberState",
    "Membership",
    "Organisation",
    "Sector",
    "Theme",
]
