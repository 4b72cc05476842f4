"""Writes of the evaluation app: the county's placement prices (a new row per change, never an update)."""

import datetime
from decimal import Decimal

from django.db import transaction

from apps.access.gate import Access
from apps.access.permissions import Perm

from .models import PlacementCost


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
