"""Caseloads are counts per worker and team, never a family: a team's own history to its members
(apps.access.gate.open_team), the overview and each overseen team's months to the managers whose
scope covers them (CASELOAD_AGGREGATE: the county, or their unit). Nothing here is logged."""

LOG_VIEWS: dict = {}
