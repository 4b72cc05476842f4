"""Who may see and do what with trainings: trainers plan them and record attendance; managers read
the county's regional plan (apps.access.permissions: TRAINING_VIEW, TRAINING_EDIT). Both are
organisation roles: neither ever opens a family, and nothing here shows one."""

from django.http import Http404

from apps.access import gate
from apps.access.gate import Access
from apps.access.permissions import Perm

from .models import Training

LOG_VIEWS: dict = {}  # trainings hold no client data: nothing here writes the access log


def open_training_area(user, *, need: Perm = Perm.TRAINING_VIEW) -> Access:
    """404 for everyone without training permissions; 403 for a manager asking to edit."""
    access = gate.open_organisation(user, Perm.TRAINING_VIEW)
    return access.require(need)


def open_training(user, training_id: int, *, need: Perm = Perm.TRAINING_VIEW) -> Access:
    access = open_training_area(user)
    training = Training.objects.filter(county_id=access.county_id, pk=training_id).select_related("team").first()
    if training is None:
        raise Http404
    access = access.on(training)
    return access.require(need)
