# Finnish as written in Finland (CLDR fi-FI): Django's own fi formats, stated here so that the
# three languages can be read side by side.
DATE_FORMAT = "j. E Y"  # 5. tammikuuta 2026
TIME_FORMAT = "G.i"  # 8.30
DATETIME_FORMAT = r"j. E Y \k\e\l\l\o G.i"  # 5. tammikuuta 2026 kello 8.30
SHORT_DATE_FORMAT = "j.n.Y"  # 5.1.2026
SHORT_DATETIME_FORMAT = "j.n.Y G.i"  # 5.1.2026 8.30
FIRST_DAY_OF_WEEK = 1  # Monday
