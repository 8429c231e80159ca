"""The kinds of notification, who hears of them, and how by default."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    PLAN_SUBMITTED = "plan_submitted", "A plan is submitted for review"
    PLAN_REVIEWED = "plan_reviewed", "A plan you worked on is approved or returned"
    MEMBER_JOINED = "member_joined", "Someone accepts an invitation"
    JOB_FINISHED = "job_finished", "An import you started is done or failed"
    SIGNAL = "signal", "A new pressing signal (drift, ready to graduate, emerging past 16 %)"
    DIGEST = "digest", "The weekly digest"


class Delivery(models.TextChoices):
    BOTH = "both", "In the app and by e-mail"
    IN_APP = "in_app", "In the app only"
    EMAIL = "email", "By e-mail only"
    NONE = "none", "Not at all"


# Who receives each kind, for the preferences page.
AUDIENCE = {
    Kind.PLAN_SUBMITTED: "Reviewers and owners",
    Kind.PLAN_REVIEWED: "The plan's author and the marketers who edited it",
    Kind.MEMBER_JOINED: "Owners",
    Kind.JOB_FINISHED: "Whoever started the import",
    Kind.SIGNAL: "Marketers and owners",
    Kind.DIGEST: "Every member, on the workspace's day and hour",
}

DEFAULT_DELIVERY = dict.fromkeys(Kind, Delivery.BOTH) | {Kind.DIGEST: Delivery.EMAIL}

# The digest is an e-mail: it has no in-app form.
EMAIL_ONLY = {Kind.DIGEST}


def wants(delivery: str) -> tuple[bool, bool]:
    """(in the app, by e-mail) for a delivery choice."""
    return delivery in (Delivery.BOTH, Delivery.IN_APP), delivery in (Delivery.BOTH, Delivery.EMAIL)
