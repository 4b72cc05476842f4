"""Finnish personal identity code (henkilötunnus) checks, with messages in the user's language."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exc
from stdnum.fi import hetu

# python-stdnum knows every century sign: + (1800s); - Y X W V U (1900s); A B C D E F (2000s).
# Individual numbers 900-999 are the range reserved for temporary and test codes (DVV); we accept
# them because the demo data uses nothing else.


def normalise_identity_code(value: str) -> str:
    return hetu.compact(value or "")


def validate_identity_code(value: str) -> str:
    code = normalise_identity_code(value)
    if not code:
        return ""
    if len(code) != 11:
        raise ValidationError(_("Henkilötunnuksessa on 11 merkkiä, esimerkiksi 010190-900P."))
    try:
        return hetu.validate(code, allow_temporary=True)
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(_("Henkilötunnuksen tarkistusmerkki ei täsmää. Tarkista numerot.")) from None
    except stdnum_exc.InvalidComponent:
        raise ValidationError(
            _("Henkilötunnuksen syntymäaika tai välimerkki on virheellinen (sallitut: + - Y X W V U A B C D E F).")
        ) from None
    except stdnum_exc.InvalidFormat:
        raise ValidationError(_("Henkilötunnus on väärässä muodossa, esimerkiksi 010190-900P.")) from None


CENTURY_BY_SIGN = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}


def birth_date_from_identity_code(code: str) -> datetime.date | None:
    """The birth date a *valid* code encodes (DDMMYY + century sign)."""
    if not code:
        return None
    century = CENTURY_BY_SIGN[code[6]]
    return datetime.date(century + int(code[4:6]), int(code[2:4]), int(code[0:2]))
