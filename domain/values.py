"""The value types a ticket is made of: enumerations and small immutable records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """诉求类型."""

    INQUIRY = "inquiry"  # 咨询
    HELP = "help"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 建议


class Urgency(Enum):
    NORMAL = "normal"  # 一般
    URGENT = "urgent"  # 紧急
    CRITICAL = "critical"  # 特急


class IntakeChannel(Enum):
    """How the request reached the system; `proactive` is 未诉先办, opened by a worker."""

    HOTLINE = "hotline"
    ONLINE = "online"
    APP = "app"
    WALK_IN = "walk_in"
    PROACTIVE = "proactive"


class ContactChannel(Enum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    SMS = "sms"
    WECHAT = "wechat"


class Outcome(Enum):
    SOLVED = "solved"
    PARTIALLY_SOLVED = "partially_solved"
    EXPLAINED = "explained"  # 已解释
    UNRESOLVABLE = "unresolvable"  # needs a reason
    REFERRED = "referred"  # needs the proper route, given as the reason

    @property
    def needs_reason(self) -> bool:
        return self in (Outcome.UNRESOLVABLE, Outcome.REFERRED)


class Satisfaction(Enum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意

    @property
    def closes_the_ticket(self) -> bool:
        return self is not Satisfaction.UNSATISFIED


class PraiseChannel(Enum):
    HOTLINE = "hotline"
    IN_PERSON = "in_person"
    LETTER = "letter"
    BANNER = "banner"  # 锦旗


class Role(Enum):
    INTAKE = "intake"  # the 12345 centre
    WORKER = "worker"  # a community office
    AUDITOR = "auditor"
    INTEGRATOR = "integrator"
    ADMIN = "admin"
    SYSTEM = "system"  # the command line and the demo loader


class Status(Enum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


@dataclass(frozen=True)
class Actor:
    """Who recorded an event: an id, the role they acted in, and the unit they acted for."""

    id: str
    role: Role
    unit: str


@dataclass(frozen=True)
class Location:
    address: str
    community: str
    building: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Caller:
    """The citizen (来电人). Personal data: masked for every reader but intake and admin."""

    name: str | None
    phone: str | None
    confidential: bool = False


@dataclass(frozen=True)
class Party:
    """A body coordinated with: free text (物业, 城肥一处…) plus an optional code."""

    name: str
    code: str | None = None
