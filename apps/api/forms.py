"""One validation for page and API: an operation fills the page's form with the JSON body and
hands the form's cleaned data to the page's service. Field names follow the API (`child_id` for
the form's `child`), in the form's errors and in the service's."""

from django.core.exceptions import ValidationError


def validated(form, renamed: dict | None = None) -> dict:
    """The form's cleaned data, or a 422 naming the API's fields (`renamed`: form field -> API field)."""
    renamed = renamed or {}
    if not form.is_valid():
        raise ValidationError({renamed.get(name, name): [str(e) for e in errors] for name, errors in form.errors.items()})
    return form.cleaned_data


def saved(call, renamed: dict | None = None):
    """Run the service; its field errors name the API's fields too."""
    renamed = renamed or {}
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError({renamed.get(name, name): errors for name, errors in exc.error_dict.items()}) from exc
        raise
