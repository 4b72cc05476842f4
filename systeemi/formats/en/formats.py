# English as written in Finland (CLDR en-FI): day before month and a dotted 24-hour time, where
# Django's en (United States) writes 01/05/2026 for the fifth of January and 8:30 a.m.
DATE_FORMAT = "j F Y"  # 5 January 2026
TIME_FORMAT = "G.i"  # 8.30
DATETIME_FORMAT = "j F Y G.i"  # 5 January 2026 8.30
SHORT_DATE_FORMAT = "d/m/Y"  # 05/01/2026
SHORT_DATETIME_FORMAT = "d/m/Y G.i"  # 05/01/2026 8.30
MONTH_DAY_FORMAT = "j F"  # 5 January
FIRST_DAY_OF_WEEK = 1  # Monday
# A date typed as it is shown is read back the same way: never month first (date fields send ISO dates first).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H.%M",
]
