"""The weekly digest: what it holds, and when each workspace's goes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from notifications.registry import DIGEST_SECTIONS, DigestSection
from workspaces.models import Workspace

WEEK = timedelta(days=7)


@dataclass
class Digest:
    """The week ``since`` – ``until``, both in the workspace's time zone."""

    workspace: Workspace
    since: datetime
    until: datetime
    sections: list[DigestSection]

    @property
    def title(self) -> str:
        return f"Your week in {self.workspace.name}"

    @property
    def first_day(self) -> date:
        return self.since.date()

    @property
    def last_day(self) -> date:
        return self.until.date()

    @property
    def period(self) -> str:
        """ "1 Feb – 8 Feb 2027": the days it covers, as the workspace counts them."""
        return f"{self.first_day:%-d %b} – {self.last_day:%-d %b %Y}"


def build(workspace: Workspace, *, now: datetime | None = None) -> Digest:
    """The digest of the week that ends ``now``: from the start of the same
    weekday a week before, as the workspace's clocks count days. Its sections
    are read in the workspace's time zone too (which plan covers today, the
    dates they name)."""
    zone = workspace.zone
    until = (now or timezone.now()).astimezone(zone)
    since = datetime.combine(until.date() - WEEK, time.min, tzinfo=zone)
    with timezone.override(zone):
        found = sorted(
            (section for source in DIGEST_SECTIONS for section in source(workspace, since=since)),
            key=lambda section: section.order,
        )
    return Digest(workspace, since, until, found)


def this_weeks_moment(workspace: Workspace, now: datetime) -> datetime:
    """When this week's digest is due, in the week ``now`` falls in, in the
    workspace's time zone (its settings say the day and the hour)."""
    zone = workspace.zone
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=workspace.digest_weekday)
    return datetime(day.year, day.month, day.day, workspace.digest_hour, tzinfo=zone)


def week_key(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"digest:{year}-W{week:02}"
