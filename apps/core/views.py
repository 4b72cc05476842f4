from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A refused form (its security token is stale: the page was open long, or the user signed in
    again in another tab) explained in the site's own layout and language, with the way back;
    Django's default page is bare and English-technical."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception=None, message=""):
    """A request whose input cannot be used (400), explained in the site's own layout and language
    (Django's default page is bare English); `message` says what was wrong when a view knows."""
    return render(request, "400.html", {"message": message}, status=400)
