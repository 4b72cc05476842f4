"""Form widgets through Jinja2 where Django ships Jinja2 templates for them.

Django renders every widget through a template. With the Django template engine a page with four
forms (the live meeting record: 19 widgets) spent more than half of its rendering there; Django's
own Jinja2 widget templates give the same markup (compared page by page when this was adopted)
about 15 % faster for that page (issue 8). The admin's and other packages' widgets exist only as
Django templates: those are found there.

To override one of Django's form templates, write it as Jinja2 in an app's `jinja2/` directory
(`apps/<app>/jinja2/django/forms/...`): a Django-template override in `templates/django/forms/`
would be shadowed by Django's Jinja2 original. Our field layout is `templates/core/form_fields.html`,
included by the pages, so it is not affected.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class JinjaFirstRenderer(BaseRenderer):
    def __init__(self):
        self.jinja, self.django = Jinja2(), DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)

    def render(self, template_name, context, request=None):
        """Widgets carry no `maxlength`: a browser silently cuts a longer paste to it (a 5,000-character
        description arrived as 4,000 and nobody was told). The field's max_length is checked by the
        server, which says how long the text is and keeps every character typed."""
        widget = context.get("widget")
        if widget and "maxlength" in widget.get("attrs", {}):
            attrs = {k: v for k, v in widget["attrs"].items() if k != "maxlength"}
            context = {**context, "widget": {**widget, "attrs": attrs}}
        return super().render(template_name, context, request)
