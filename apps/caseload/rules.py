"""Caseload limits with their legal sources and effective dates.

Lastensuojelulaki 13 b § as amended by HE 170/2021 (Valvira bulletin 15.6.2022): at most 35
children per responsible social worker in 2022-2023, at most 30 from 1.1.2024, judged worker
by worker. THL's recommendation for systemic teams is 15-20 children (seed 003); each team
stores its own target, defaulting to that.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.core.dates import dated


@dataclass(frozen=True)
class CaseloadCap:
    effective_from: datetime.date
    max_children: int
    source: str  # shown beside the limit, in the reader's language


STATUTORY_CAPS = (
    CaseloadCap(
        datetime.date(2022, 1, 1),
        35,
        dated(_("LsL 13 b § (HE 170/2021), %(start)s–%(end)s"), start=datetime.date(2022, 1, 1), end=datetime.date(2023, 12, 31)),
    ),
    CaseloadCap(datetime.date(2024, 1, 1), 30, dated(_("LsL 13 b § (HE 170/2021), %(start)s alkaen"), start=datetime.date(2024, 1, 1))),
)


def statutory_cap(on: datetime.date) -> CaseloadCap | None:
    """The cap in force on a date, or None before the law had one."""
    current = None
    for cap in STATUTORY_CAPS:
        if cap.effective_from <= on:
            current = cap
    return current
