from django import template

from notifications.emails import absolute

register = template.Library()


@register.filter
def absolute_url(path: str) -> str:
    """A link for an e-mail: the app's address in front of the path."""
    return absolute(path) if path else ""
