"""The form-page flow every edit view shares."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


def saved(request, form, call, message):
    """On a valid POST run the service; on success flash `message` and return the result.

    A ValidationError from the service becomes form errors, so the page re-renders with
    everything the user typed and a clear message.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return result


def safe_next(request, *, default: str) -> str:
    """Where to continue after a form: the `next` the page asked for if it is a page of this site
    (never `//other.example/` or `https://other.example/`: an open redirect), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
