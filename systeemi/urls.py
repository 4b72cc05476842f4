from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.accounts import views as account_views
from apps.accounts.middleware import before_second_factor
from apps.core.marks import own_account, public

# A request whose input cannot be used: the site's own page, in the user's language.
handler400 = "apps.core.views.bad_request"

admin.site.site_header = _("Systeemi – ylläpito")
admin.site.site_title = "Systeemi"

urlpatterns = [
    path("accounts/login/", public(account_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", before_second_factor(own_account(auth_views.LogoutView.as_view())), name="logout"),
    path("", include("apps.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("apps.pages.urls")),
    path("", include("apps.clients.urls")),
    path("", include("apps.network.urls")),
    path("", include("apps.caseload.urls")),
    path("", include("apps.casework.urls")),
    path("", include("apps.meetings.urls")),
    path("", include("apps.ratings.urls")),
    path("", include("apps.training.urls")),
    path("", include("apps.partnership.urls")),
    path("", include("apps.evaluation.urls")),
    path("", include("apps.api.urls")),
]
