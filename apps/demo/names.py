"""Name pools for synthetic people, by language group and generation.

Finnish surnames (with their frequencies) come from Faker's fi_FI provider data, read once at
import time; first names are short hand-written lists of names common in each generation, so a
child is an Eevi or an Onni and a grandmother a Pirjo. Every draw goes through the caller's
`random.Random`, so the same seed always gives the same names.
"""

import itertools
import random
import unicodedata
from dataclasses import dataclass

from faker.providers.person.fi_FI import Provider as _FiPeople

# Generations
CHILD, ADULT, ELDER = "child", "adult", "elder"
FEMALE, MALE = "f", "m"


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class NameBook:
    language: str  # Person.language value
    first: dict  # (generation, sex) -> tuple of names
    middle: dict  # sex -> tuple of names (second and third given names)
    surnames: tuple[str, ...]
    surname_cum_weights: tuple[float, ...] | None = None
    middle_names_share: float = 0.8

    def first_names(self, rng: random.Random, generation: str, sex: str) -> str:
        names = [rng.choice(self.first[generation, sex])]
        if rng.random() < self.middle_names_share:
            names.append(rng.choice(self.middle[sex]))
            if rng.random() < 0.2:
                names.append(rng.choice(self.middle[sex]))
        # No "Aino Aino": drop repeats but keep the order.
        return " ".join(dict.fromkeys(names))

    def surname(self, rng: random.Random) -> str:
        if self.surname_cum_weights:
            return rng.choices(self.surnames, cum_weights=self.surname_cum_weights)[0]
        return rng.choice(self.surnames)


_fi_surnames = tuple(_FiPeople.last_names)
_fi_surname_weights = tuple(itertools.accumulate(float(w) for w in _FiPeople.last_names.values()))

FINNISH = NameBook(
    language="fi",
    first={
        (CHILD, FEMALE): _split(
            "Aino Eevi Helmi Aada Olivia Sofia Ellen Emma Lilja Isla Venla Elli Linnea Pihla Enni Iida Nella Kerttu "
            "Lumi Vilma Aava Hilla Siiri Eveliina Emilia Veera Oona Julia Ella Saana Minea Peppi Alisa Elsa Anni Neea "
            "Milla Inka Jenna Sara Hilda Iris Viola Stella Alma Martta Kaisla Ilona Nea Lotta Roosa Vilja"
        ),
        (CHILD, MALE): _split(
            "Eino Onni Väinö Leo Elias Oliver Eeli Toivo Hugo Veeti Niilo Leevi Aatu Eetu Lauri Joona Otto Aleksi Juho "
            "Matias Valtteri Rasmus Eemil Vilho Akseli Nooa Daniel Benjamin Lenni Jesse Aapo Luka Oskari Eelis Topias "
            "Miro Niko Santeri Jere Veikka Aaro Emil Julius Antton Kasper Viljami Samuel Roope Iivari Aarni"
        ),
        (ADULT, FEMALE): _split(
            "Sanna Minna Johanna Anna Laura Jenni Heidi Katja Tiina Satu Päivi Marja Hanna Riikka Susanna Elina Maria "
            "Niina Jaana Kirsi Anu Henna Piia Emmi Noora Veera Jenna Milla Essi Krista Salla Suvi Outi Merja Tanja Sari "
            "Mari Anne Pauliina Katariina Maarit Reetta Annika Marjut Tuija Petra Iina Roosa Kaisa Terhi Nina Sonja"
        ),
        (ADULT, MALE): _split(
            "Mikko Jari Timo Juha Janne Antti Petri Marko Sami Jukka Ville Tuomas Mika Matti Pekka Teemu Tommi Jussi "
            "Lauri Heikki Kari Markus Joni Jani Toni Aleksi Joonas Tero Harri Kimmo Olli Jarkko Esa Jouni Pasi Sakari "
            "Riku Miikka Ari Vesa Arto Juho Niko Henri Jesse Samuli Eero Hannu Kalle Ilkka Tapani"
        ),
        (ELDER, FEMALE): _split(
            "Pirjo Raija Marjatta Leena Ritva Eila Helena Tuula Seija Sirpa Arja Kaija Aila Terttu Anneli Hannele "
            "Sinikka Liisa Eeva Riitta Kirsti Irma Pirkko Maija Paula Leila Hilkka"
        ),
        (ELDER, MALE): _split(
            "Pentti Kalevi Seppo Jorma Matti Markku Erkki Raimo Veikko Esko Martti Timo Tapio Heikki Juhani Reijo "
            "Kari Jouko Hannu Pertti Ilkka Kauko Olavi Lasse Risto"
        ),
    },
    middle={
        FEMALE: _split(
            "Maria Johanna Kristiina Helena Elina Marjatta Annikki Tuulikki Susanna Katariina Inkeri Kaarina Orvokki "
            "Hannele Anneli Sofia Aurora Amalia Emilia Linnea Olivia Matilda Ilona Elisabet Josefiina Aleksandra"
        ),
        MALE: _split(
            "Juhani Antero Tapani Kalevi Olavi Mikael Johannes Ilmari Petteri Kristian Sakari Tapio Henrik Matias "
            "Ensio Aleksi Oskari Eemeli Valtteri Veikko Aukusti Aleksanteri Kaarlo Kustaa"
        ),
    },
    surnames=_fi_surnames,
    surname_cum_weights=_fi_surname_weights,
)

SWEDISH = NameBook(
    language="sv",
    first={
        (CHILD, FEMALE): _split(
            "Ebba Elsa Alva Wilma Stella Ellen Linnea Saga Ella Alma Emma Matilda Freja Selma Agnes Ida Olivia Nellie Thea Signe"
        ),
        (CHILD, MALE): _split(
            "William Oliver Elias Anton Hugo Emil Axel Isak Theo Leo Viktor Oskar Max Melvin Alexander Liam Noah Gabriel Edvin Vilhelm"
        ),
        (ADULT, FEMALE): _split(
            "Anna Maria Johanna Sara Jenny Linda Emma Camilla Sofia Malin Annika Pia Susanne Jessica Heidi Carina Nina Frida Sanna Mia"
        ),
        (ADULT, MALE): _split(
            "Johan Mikael Fredrik Patrik Niklas Jonas Daniel Marcus Thomas Tobias Kristian Andreas Peter Henrik Magnus Joakim Stefan Kim"
        ),
        (ELDER, FEMALE): _split("Birgitta Gunilla Margareta Kristina Eva Ulla Ingrid Barbro Marianne Solveig Gun Britt"),
        (ELDER, MALE): _split("Lars Bengt Göran Rolf Stig Gunnar Bo Leif Kurt Håkan Bror Ragnar"),
    },
    middle={
        FEMALE: _split("Maria Elisabeth Kristina Sofia Charlotta Josefin Linnea Amanda Helena Matilda"),
        MALE: _split("Johan Erik Karl Gustav Fredrik Mikael Anders Henrik Alexander Wilhelm"),
    },
    surnames=_split(
        "Lindholm Nyström Sjöberg Holmström Lindqvist Forsman Björkman Ekholm Öhman Strandberg Grönroos Westerlund "
        "Nyholm Lindroos Sundström Backman Karlsson Johansson Eriksson Andersson Nylund Åberg Blomqvist Engström "
        "Granholm Sandberg Wikström Hägg Lundqvist Forsström Storbacka Ahlskog Häggblom Enlund Björklund Söderholm"
    ),
)

# Families who speak neither national language: Somali and Arabic speakers are among the larger
# groups in Finland; Estonian speakers too. Person.language "other" for them.
OTHER = NameBook(
    language="other",
    first={
        (CHILD, FEMALE): _split("Amina Hodan Sahra Ayaan Fatima Maryam Noor Leila Yasmin Hana Sara Liis Kertu Mia Grete"),
        (CHILD, MALE): _split("Abdi Hassan Yusuf Omar Karim Adam Ibrahim Bilal Zakaria Samir Rasmus Karl Oskar Robin Markus"),
        (ADULT, FEMALE): _split("Fadumo Hawa Amina Faisa Khadija Asha Zahra Mariam Rania Kadri Kristiina Liis Triin Maarja"),
        (ADULT, MALE): _split("Mohamed Ahmed Abdullahi Hassan Ali Omar Mahmoud Khalid Tariq Andres Tõnu Margus Jaan Priit"),
        (ELDER, FEMALE): _split("Halima Shamsa Nadia Salma Malle Tiiu Sirje"),
        (ELDER, MALE): _split("Abdirahman Yusuf Mustafa Jamal Rein Tiit Jüri"),
    },
    middle={FEMALE: ("",), MALE: ("",)},
    surnames=_split(
        "Abdi Ahmed Mohamed Hassan Farah Warsame Osman Ali Hussein Yusuf Al-Sayed Haddad Karimi Tamm Saar Sepp Mägi Kask Kukk Rebane Ilves"
    ),
    middle_names_share=0.0,
)

ENGLISH = NameBook(
    language="en",
    first={
        (CHILD, FEMALE): _split("Emily Grace Chloe Amelia Lily Ruby Mia Ava Isabella"),
        (CHILD, MALE): _split("James Jack Thomas Harry Oliver Noah Ethan Lucas Samuel"),
        (ADULT, FEMALE): _split("Sarah Emma Rachel Laura Jessica Hannah Claire Kate"),
        (ADULT, MALE): _split("David Michael John Daniel Paul Mark Chris Andrew"),
        (ELDER, FEMALE): _split("Margaret Susan Linda Patricia Carol"),
        (ELDER, MALE): _split("Robert William Richard George Peter"),
    },
    middle={FEMALE: _split("Jane Anne Louise Marie Rose"), MALE: _split("James John Edward Lee Alan")},
    surnames=_split("Smith Brown Wilson Taylor Johnson Walker Wright Robinson Thompson Evans O'Brien Murphy"),
    middle_names_share=0.5,
)

BOOKS = {"fi": FINNISH, "sv": SWEDISH, "other": OTHER, "en": ENGLISH}

_ASCII = str.maketrans({"ä": "a", "ö": "o", "å": "a", "õ": "o", "ü": "u", "é": "e", "'": "", " ": "."})


def email_local(*parts: str) -> str:
    """`("Aino Maria", "Mäkinen")` → `aino.makinen` (first given name only, ASCII, lower case)."""
    words = [parts[0].split()[0], *parts[1:]]
    text = ".".join(words).lower().translate(_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text if ch.isalnum() or ch in ".-")


def family_name(surnames: list[str]) -> str:
    """One surname, or two joined by an en dash for blended families: `Korhonen–Nieminen`."""
    unique = list(dict.fromkeys(surnames))[:2]
    return "–".join(unique)
