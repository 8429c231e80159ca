"""Project-wide form rendering: every form and field uses the same markup."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe


class FormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


def _shown(value, context: Context) -> str:
    """``{{ value }}`` as a template shows it (a plain string: escaped)."""
    if type(value) is str:
        return escape(value)
    return render_value_in_context(value, context)


def _formatted(value, context: Context) -> str:
    """``{{ value|stringformat:'s' }}`` as a template shows it."""
    text = stringformat(value, "s")
    return _shown(mark_safe(text) if isinstance(value, SafeData) else text, context)


def _attrs(attrs: dict, context: Context) -> str:
    """Django's ``attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_shown(name, context)}")
            if value is not True:
                out.append(f'="{_formatted(value, context)}"')
    return "".join(out)


class LongSelect(forms.Select):
    """A select for long lists (hundreds of personas or experiments): the markup
    of Django's ``select.html`` and ``select_option.html``, written out here
    rather than by one template include per option."""

    def _render(self, template_name, context, renderer=None) -> SafeString:
        shown = Context(autoescape=True)
        widget = context["widget"]
        out = [f'<select name="{_shown(widget["name"], shown)}"{_attrs(widget["attrs"], shown)}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_shown(group_name, shown)}">')
            for option in group_choices:
                out.append(
                    f'\n  <option value="{_formatted(option["value"], shown)}"'
                    f"{_attrs(option['attrs'], shown)}>{_shown(option['label'], shown)}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        # As the renderer gives a template's output: stripped.
        return mark_safe("".join(out).strip())
