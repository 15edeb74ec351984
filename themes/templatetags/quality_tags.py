"""Template filters of the quality admin pages."""

from django import template

from content_types.quality.rules import user_label

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's full name, else their login; "—" for nobody."""
    return user_label(user)
