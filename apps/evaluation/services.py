"""Writes of the evaluation app: the county's placement prices (a new row per change, never an update)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.organisations.models import Team

from .models import FidelityTarget, PlacementCost
from .selectors import current_targets
from .targets import ADJUSTABLE, TEAM_FIELDS


def placement_cost_set(*, access: Access, placement_type: str, euros_per_day: Decimal, valid_from: datetime.date) -> PlacementCost:
    """A new price for one placement type from `valid_from` on; the earlier prices stay as history."""
    access.require(Perm.PLACEMENT_COST_SET)
    cost = PlacementCost(
        county_id=access.county_id,
        placement_type=placement_type,
        euros_per_day=euros_per_day,
        valid_from=valid_from,
        set_by=access.user,
    )
    cost.full_clean()
    with transaction.atomic():
        cost.save()
    return cost


def fidelity_target_set(*, access: Access, key: str, value: int, reason: str) -> FidelityTarget:
    """The team's consultant sets one of its own targets within its bounds; the change is kept."""
    access.require(Perm.FIDELITY_TARGET_SET)
    adjustable = ADJUSTABLE.get(key)
    if adjustable is None:
        raise ValidationError(_("Tätä tavoitetta tiimi ei aseta itse."))
    if not adjustable.low <= value <= adjustable.high:
        raise ValidationError(_("Tavoitteen pitää olla välillä %(low)s–%(high)s.") % {"low": adjustable.low, "high": adjustable.high})
    team = access.team
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        if key in TEAM_FIELDS:
            previous = getattr(team, key)
        else:
            previous = current_targets([team.pk]).get(team.pk, {}).get(key, adjustable.default)
        target = FidelityTarget(
            county_id=team.county_id, team=team, key=key, value=value, previous=previous, reason=reason, set_by=access.user
        )
        target.full_clean()
        target.save()
        if key in TEAM_FIELDS:
            setattr(team, key, value)
            team.save(update_fields=[key])
    return target
