"""Aggregates Django 5.2 has for one database only, written for both we run on."""

from __future__ import annotations

from django.db import models


class JoinedIds(models.Aggregate):
    """The group's integer ids as one comma-separated string ("3,14,15"), in no
    particular order; None for an empty group. ``GROUP_CONCAT`` on SQLite,
    ``STRING_AGG`` on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(CAST(%(expressions)s AS text), ',')",
            **extra_context,
        )


def split_ids(joined: str | None) -> list[int]:
    """``JoinedIds``' string back as ids, smallest first."""
    return sorted(int(part) for part in joined.split(",")) if joined else []
