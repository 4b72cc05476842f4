"""Static facts the generator draws on: Finland's wellbeing services counties and their towns.

County names and municipalities are real (public administrative facts); everything placed in
them is synthetic. Populations are rounded (thousands, early 2020s) and only steer how many
teams each county gets at national scale. `swedish` is the share of Swedish-speaking client
families we generate there (the bilingual counties get more, the national average is ~5 %).
Postal prefixes are the leading digits of each town's codes; the rest is random.
"""

from dataclasses import dataclass, field

COUNTY_CODE_PREFIX = "demo-"


@dataclass(frozen=True)
class Municipality:
    name: str
    postal_prefix: str
    weight: float


@dataclass(frozen=True)
class CountyInfo:
    slug: str
    name: str
    population: int  # thousands
    swedish: float
    municipalities: tuple[Municipality, ...] = field(default_factory=tuple)

    @property
    def code(self) -> str:
        return f"{COUNTY_CODE_PREFIX}{self.slug}"


def _towns(spec: str) -> tuple[Municipality, ...]:
    """`"Tampere:33:10, Nokia:371:2"` → municipalities (name, postal prefix, weight)."""
    towns = []
    for part in spec.split(","):
        name, prefix, weight = (p.strip() for p in part.split(":"))
        towns.append(Municipality(name, prefix, float(weight)))
    return tuple(towns)


# The 21 wellbeing services counties and the City of Helsinki, which organises its own services.
COUNTIES: tuple[CountyInfo, ...] = (
    CountyInfo("helsinki", "Helsingin kaupunki", 664, 0.06, _towns("Helsinki:00:1")),
    CountyInfo(
        "lansi-uusimaa",
        "Länsi-Uudenmaan hyvinvointialue",
        485,
        0.14,
        _towns(
            "Espoo:02:10, Lohja:081:1.5, Kirkkonummi:024:1.5, Vihti:034:1.2, Raasepori:106:0.8, Kauniainen:0270:0.3, "
            "Hanko:1090:0.3, Karkkila:0360:0.3, Siuntio:0257:0.2, Inkoo:1071:0.2"
        ),
    ),
    CountyInfo("vantaa-kerava", "Vantaan ja Keravan hyvinvointialue", 280, 0.03, _towns("Vantaa:01:8, Kerava:042:1.3")),
    CountyInfo(
        "keski-uusimaa",
        "Keski-Uudenmaan hyvinvointialue",
        200,
        0.03,
        _towns("Hyvinkää:058:1.5, Järvenpää:0440:1.5, Nurmijärvi:019:1.5, Tuusula:043:1.4, Mäntsälä:0460:0.8, Pornainen:0745:0.2"),
    ),
    CountyInfo(
        "ita-uusimaa",
        "Itä-Uudenmaan hyvinvointialue",
        99,
        0.28,
        _towns(
            "Porvoo:061:2.5, Sipoo:0413:1.0, Loviisa:0790:0.7, Askola:0720:0.2, Pukkila:0750:0.1, Myrskylä:0760:0.1, Lapinjärvi:0785:0.1"
        ),
    ),
    CountyInfo(
        "varsinais-suomi",
        "Varsinais-Suomen hyvinvointialue",
        487,
        0.05,
        _towns(
            "Turku:20:9, Salo:241:2.5, Kaarina:2078:1.6, Raisio:212:1.2, Naantali:2110:1, Lieto:2142:0.9, "
            "Uusikaupunki:2350:0.7, Loimaa:3220:0.7, Parainen:2160:0.7, Masku:2125:0.5"
        ),
    ),
    CountyInfo(
        "satakunta",
        "Satakunnan hyvinvointialue",
        213,
        0.01,
        _towns(
            "Pori:28:4, Rauma:261:2, Ulvila:2840:0.6, Kankaanpää:3870:0.6, Eura:2751:0.6, Huittinen:3270:0.5, Harjavalta:2920:0.4, Kokemäki:3280:0.4"
        ),
    ),
    CountyInfo(
        "kanta-hame",
        "Kanta-Hämeen hyvinvointialue",
        170,
        0.01,
        _towns(
            "Hämeenlinna:13:3.5, Riihimäki:117:1.5, Forssa:301:0.9, Janakkala:142:0.8, Hattula:1388:0.5, Loppi:1270:0.4, Hausjärvi:1210:0.4"
        ),
    ),
    CountyInfo(
        "pirkanmaa",
        "Pirkanmaan hyvinvointialue",
        530,
        0.01,
        _towns(
            "Tampere:33:10, Nokia:371:1.7, Ylöjärvi:334:1.7, Kangasala:362:1.6, Lempäälä:375:1.2, Pirkkala:339:1, "
            "Sastamala:382:1, Valkeakoski:376:1, Akaa:378:0.6, Orivesi:353:0.4"
        ),
    ),
    CountyInfo(
        "paijat-hame",
        "Päijät-Hämeen hyvinvointialue",
        205,
        0.01,
        _towns("Lahti:15:6, Hollola:1587:1.2, Orimattila:163:0.8, Heinola:181:0.8, Asikkala:172:0.4, Padasjoki:1750:0.1, Sysmä:1982:0.1"),
    ),
    CountyInfo(
        "kymenlaakso",
        "Kymenlaakson hyvinvointialue",
        160,
        0.01,
        _towns("Kouvola:45:4, Kotka:48:3, Hamina:494:1, Pyhtää:4922:0.3, Virolahti:4990:0.2, Miehikkälä:4970:0.1"),
    ),
    CountyInfo(
        "etela-karjala",
        "Etelä-Karjalan hyvinvointialue",
        126,
        0.01,
        _towns(
            "Lappeenranta:53:5, Imatra:55:1.8, Ruokolahti:561:0.3, Luumäki:545:0.3, Taipalsaari:549:0.3, Parikkala:597:0.3, Savitaipale:5280:0.2"
        ),
    ),
    CountyInfo(
        "etela-savo",
        "Etelä-Savon hyvinvointialue",
        131,
        0.01,
        _towns(
            "Mikkeli:50:4, Savonlinna:57:2.5, Pieksämäki:761:1.2, Mäntyharju:5270:0.5, Juva:5190:0.5, Kangasniemi:5120:0.4, Sulkava:5870:0.2"
        ),
    ),
    CountyInfo(
        "pohjois-savo",
        "Pohjois-Savon hyvinvointialue",
        248,
        0.01,
        _towns(
            "Kuopio:70:8, Iisalmi:741:1.5, Varkaus:78:1.4, Siilinjärvi:718:1.5, Leppävirta:7910:0.6, Suonenjoki:7760:0.5, Lapinlahti:7380:0.5"
        ),
    ),
    CountyInfo(
        "pohjois-karjala",
        "Pohjois-Karjalan hyvinvointialue",
        163,
        0.01,
        _towns("Joensuu:80:6, Kontiolahti:811:1.1, Liperi:831:0.9, Kitee:825:0.6, Lieksa:817:0.6, Nurmes:755:0.5, Outokumpu:835:0.5"),
    ),
    CountyInfo(
        "keski-suomi",
        "Keski-Suomen hyvinvointialue",
        275,
        0.01,
        _towns("Jyväskylä:40:9, Äänekoski:441:1.2, Jämsä:421:1.3, Laukaa:413:1.4, Muurame:4095:0.7, Keuruu:4270:0.6, Saarijärvi:431:0.6"),
    ),
    CountyInfo(
        "etela-pohjanmaa",
        "Etelä-Pohjanmaan hyvinvointialue",
        191,
        0.01,
        _towns("Seinäjoki:60:4.5, Kurikka:613:1.5, Lapua:621:1.1, Kauhava:622:1.2, Kauhajoki:618:1, Alavus:633:0.9, Ilmajoki:608:0.9"),
    ),
    CountyInfo(
        "pohjanmaa",
        "Pohjanmaan hyvinvointialue",
        176,
        0.45,
        _towns(
            "Vaasa:65:6.5, Mustasaari:6561:2, Pietarsaari:686:1.9, Närpiö:642:0.9, Uusikaarlepyy:669:0.7, "
            "Kristiinankaupunki:641:0.6, Laihia:664:0.8, Kaskinen:6410:0.1"
        ),
    ),
    CountyInfo(
        "keski-pohjanmaa",
        "Keski-Pohjanmaan hyvinvointialue",
        68,
        0.08,
        _towns("Kokkola:67:5, Kannus:6910:0.5, Kaustinen:6960:0.4, Veteli:6970:0.3, Toholampi:6930:0.3, Perho:6995:0.3, Halsua:6950:0.1"),
    ),
    CountyInfo(
        "pohjois-pohjanmaa",
        "Pohjois-Pohjanmaan hyvinvointialue",
        415,
        0.01,
        _towns(
            "Oulu:90:12, Kempele:904:1.2, Raahe:921:1.1, Kuusamo:936:0.9, Ylivieska:841:0.8, Kalajoki:851:0.7, Liminka:919:0.7, Haapajärvi:858:0.4"
        ),
    ),
    CountyInfo(
        "kainuu",
        "Kainuun hyvinvointialue",
        71,
        0.01,
        _towns("Kajaani:87:3.5, Sotkamo:886:1, Kuhmo:889:0.8, Suomussalmi:896:0.7, Paltamo:883:0.3, Puolanka:8990:0.2"),
    ),
    CountyInfo(
        "lappi",
        "Lapin hyvinvointialue",
        176,
        0.01,
        _towns(
            "Rovaniemi:96:6, Tornio:954:2, Kemi:94:2, Keminmaa:944:0.8, Sodankylä:996:0.8, Kemijärvi:981:0.7, Kittilä:991:0.6, Inari:998:0.6"
        ),
    ),
)

COUNTIES_BY_SLUG = {c.slug: c for c in COUNTIES}
# The county used at team and county scale.
DEFAULT_COUNTY = "pirkanmaa"

# Areas for units when a county has more units than towns (Helsinki, Vantaa).
AREAS = ("eteläinen", "läntinen", "keskinen", "pohjoinen", "koillinen", "kaakkoinen", "itäinen", "luoteinen", "lounainen")

# Team names: trees and shrubs, a common Finnish way to name teams.
TREES = (
    "Koivu",
    "Kuusi",
    "Mänty",
    "Pihlaja",
    "Tammi",
    "Vaahtera",
    "Haapa",
    "Leppä",
    "Saarni",
    "Lehmus",
    "Jalava",
    "Kataja",
    "Paju",
    "Tuomi",
    "Raita",
    "Kuusama",
    "Orapihlaja",
    "Visakoivu",
    "Lehtikuusi",
    "Marjakuusi",
    "Vuorijalava",
    "Pähkinäpensas",
    "Sembra",
    "Douglaskuusi",
)

STREET_STEMS_FI = (
    "Koivu",
    "Kuusi",
    "Mänty",
    "Pihlaja",
    "Haapa",
    "Leppä",
    "Vaahtera",
    "Tammi",
    "Ranta",
    "Mylly",
    "Kirkko",
    "Koulu",
    "Puisto",
    "Asema",
    "Mäki",
    "Pelto",
    "Niitty",
    "Metsä",
    "Harju",
    "Kallio",
    "Lähde",
    "Terva",
    "Sepän",
    "Kauppa",
    "Kiven",
    "Kanerva",
    "Kielo",
    "Orvokki",
    "Ruusu",
    "Sammal",
    "Kaisla",
    "Tiaisen",
    "Kurjen",
    "Joutsen",
    "Satama",
    "Tori",
    "Hirsi",
    "Pajun",
    "Kotkan",
    "Hakamaan",
    "Pellava",
    "Otava",
)
STREET_SUFFIXES_FI = ("tie", "tie", "katu", "katu", "kuja", "kuja", "polku", "rinne", "raitti")
STREET_STEMS_SV = ("Björk", "Gran", "Tall", "Strand", "Kvarn", "Kyrko", "Skol", "Park", "Stations", "Back", "Åker", "Äng", "Skogs", "Sjö")
STREET_SUFFIXES_SV = ("vägen", "vägen", "gatan", "gränden", "stigen")

NOTIFIERS = (
    ("poliisi", 28),
    ("terveydenhuolto", 15),
    ("koulu", 11),
    ("sosiaalitoimi", 12),
    ("varhaiskasvatus", 4),
    ("vanhempi", 6),
    ("lapsi itse", 2),
    ("sukulainen", 3),
    ("naapuri", 3),
    ("nuorisotoimi", 2),
    ("hätäkeskus", 4),
    ("nimetön", 6),
    ("muu viranomainen", 4),
)

PLACEMENT_SITES = ("sijaisperhe", "sukulaissijaisperhe", "ammatillinen perhekoti", "lastensuojelulaitos", "nuorisokoti")

CLOSE_REASONS_ASSESSMENT = (
    "Palvelutarpeen arviointi valmistui: ei lastensuojelun tarvetta",
    "Palvelutarpeen arviointi valmistui: ohjattu perhesosiaalityöhön",
    "Palvelutarpeen arviointi valmistui: tuki peruspalveluista",
)
CLOSE_REASONS_OPEN_CARE = (
    "Tavoitteet saavutettu, asiakkuus päättyi",
    "Tuki siirtyi peruspalveluihin",
    "Perhe muutti toiseen kuntaan",
    "Tavoitteet saavutettu, asiakkuus päättyi",
)
