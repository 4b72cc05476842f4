"""Password guessing limits: per user and address, and per user across every address.

django-axes counts failed logins per lockout parameter group (settings.AXES_LOCKOUT_PARAMETERS)
and compares the largest count with one limit (AXES_FAILURE_LIMIT). Two groups need two limits
here: a person mistyping at their desk is locked at that desk after a few tries (user + address),
while someone guessing one user's password from many addresses is stopped by a higher limit on the
user alone (SYSTEEMI_USER_FAILURE_LIMIT). The handler reports the count axes compares: the user +
address failures, or the limit itself once the user's failures from all addresses reached theirs —
so both rules lock through axes' own code (the lock page, its signal, its records).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

USER_AND_ADDRESS = ["username", "ip_address"]
USER = "username"


class UserAndAddressLockout(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        groups = get_lockout_parameters(request, credentials)
        counts = {}
        for group, attempts in zip(groups, self.get_user_attempts(request, credentials), strict=True):
            key = group if isinstance(group, str) else tuple(group)
            counts[key] = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        pair = counts.get(tuple(USER_AND_ADDRESS), 0)
        if counts.get(USER, 0) >= settings.SYSTEEMI_USER_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair
