# Swedish as written in Finland (CLDR sv-FI): dotted dates and times, as Finland-Swedish
# authorities write them, where Django's sv (Sweden) writes 2026-01-05 and 08:30.
DATE_FORMAT = "j F Y"  # 5 januari 2026
TIME_FORMAT = "G.i"  # 8.30
DATETIME_FORMAT = r"j F Y \k\l. G.i"  # 5 januari 2026 kl. 8.30
SHORT_DATE_FORMAT = "j.n.Y"  # 5.1.2026
SHORT_DATETIME_FORMAT = "j.n.Y G.i"  # 5.1.2026 8.30
FIRST_DAY_OF_WEEK = 1  # Monday
# A date typed as it is shown is read back the same way (date fields send ISO dates first).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
