"""Synthetic Finnish personal identity codes (henkilötunnus) that can never belong to anyone.

A code is DDMMYY, a century sign, a three-digit individual number and a check character. The
individual numbers 900-999 are reserved for temporary and test codes, so every code made here
uses them and nothing else: a demo code cannot collide with a real person's. Since 2023 the
population register also issues the new century signs Y X W V U (1900s) and B C D E F (2000s);
a small share of codes use them so that the app is exercised with both.
"""

import datetime
import random

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
TEST_RANGE = range(900, 1000)
NEW_SIGNS = {1900: "YXWVU", 2000: "BCDEF"}
CLASSIC_SIGNS = {1800: "+", 1900: "-", 2000: "A"}


def check_character(birth: datetime.date, individual: int) -> str:
    return CHECK_CHARACTERS[int(f"{birth:%d%m%y}{individual:03d}") % 31]


def format_code(birth: datetime.date, individual: int, sign: str) -> str:
    return f"{birth:%d%m%y}{sign}{individual:03d}{check_character(birth, individual)}"


class IdentityCodes:
    """Hands out codes unique within one county (the database's uniqueness scope), deterministically.

    A code is keyed on its birth date and individual number, whatever its century sign, so no two
    people in a county share even the digits. When all 100 test numbers of a day are taken (it
    never happens at realistic sizes) the birth date moves on by a day and the caller gets it back.
    """

    def __init__(self, new_sign_share: float = 0.03):
        self.new_sign_share = new_sign_share
        self._used: dict[datetime.date, set[int]] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self._used.values())

    def allocate(self, rng: random.Random, birth: datetime.date) -> tuple[str, datetime.date]:
        while True:
            used = self._used.setdefault(birth, set())
            if len(used) < len(TEST_RANGE):
                break
            birth += datetime.timedelta(days=1)
        individual = rng.randrange(900, 1000)
        while individual in used:
            individual = 900 + (individual - 899) % 100
        used.add(individual)
        century = birth.year // 100 * 100
        sign = CLASSIC_SIGNS[century]
        if century in NEW_SIGNS and rng.random() < self.new_sign_share:
            sign = rng.choice(NEW_SIGNS[century])
        return format_code(birth, individual, sign), birth
