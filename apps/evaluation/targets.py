"""The fidelity indicators of the systemic model, with their targets and where each comes from.

A target is either given by a source (the seeds' core elements of the pilot, seed 003; FACTS.md)
or it is the team's own: the seeds name the practice ("cases are discussed long enough and often
enough") but no figure, so Systeemi proposes a default that the team may replace with its own.
The thresholds between "toteutuu", "osittain" and "ei toteudu" are always Systeemi's defaults,
stated on the page, never presented as THL's.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    INFO = "info"  # no target: shown for the team's own reflection
    NOT_APPLICABLE = "not_applicable"  # a practice of the systemic model, judged on another kind of team
    HIDDEN = "hidden"  # a count of 1-4 clients, or one that would give such a count away (apps/core/disclosure)


STATUS_LABELS = {
    Status.MET: _("toteutuu"),
    Status.PARTLY: _("osittain"),
    Status.NOT_MET: _("ei toteudu"),
    Status.NO_DATA: _("ei tietoa"),
    Status.INFO: _("seurataan"),
    Status.NOT_APPLICABLE: _("koskee vain systeemisiä tiimejä"),
    Status.HIDDEN: _("piilotettu"),
}


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    target: str
    source: str
    met: float | None  # share (0–1) from which the indicator is "met"; None: no target
    partly: float | None = None
    own: bool = False  # the team's own target (Systeemi's default), not a source's
    # A practice of the systemic model (its meeting, roles and recording). Comparison teams work in
    # the traditional way on purpose: their figure is shown, but "not met" would misjudge them.
    model_practice: bool = True

    def status(self, share: float | None) -> Status:
        if share is None:
            return Status.NO_DATA
        if self.met is None:
            return Status.INFO
        if share >= self.met:
            return Status.MET
        if self.partly is not None and share >= self.partly:
            return Status.PARTLY
        return Status.NOT_MET


MEETINGS_HELD = Target(
    "meetings_held",
    _("Viikkokokous pidetty"),
    _("joka työviikko"),
    _("Toimintamallin ydinelementit (THL, LAPE 2017–2019): tiimi pitää strukturoituja viikkokokouksia."),
    met=0.9,
    partly=0.75,
)
CONSULTANT_CHAIRED = Target(
    "consultant_chaired",
    _("Konsultoiva sosiaalityöntekijä johti kokousta"),
    _("jokaisessa kokouksessa"),
    _("Toimintamallin ydinelementit (THL, LAPE 2017–2019): konsultoiva sosiaalityöntekijä ohjaa keskustelua."),
    met=0.9,
    partly=0.75,
)
THERAPIST_PRESENT = Target(
    "therapist_present",
    _("Perheterapeutti paikalla"),
    _("jokaisessa kokouksessa"),
    _("Toimintamallin ydinelementit (THL, LAPE 2017–2019): perheterapeutti tukee reflektointia; Isokuortti & Aaltio 2020."),
    met=0.9,
    partly=0.75,
)
DISCUSSED_OFTEN = Target(
    "discussed_often",
    _("Avoimet perheet käsitelty sovitun välin sisällä"),
    _("jokainen avoin perhe vähintään joka sovittu väli (tiimin oma väli)"),
    _("Toimintamallin ydinelementit (THL, LAPE 2017–2019): perheiden asioita käsitellään riittävän usein; väli on tiimin oma."),
    met=0.9,
    partly=0.75,
    own=True,
)
MINUTES_PER_CASE = Target(
    "minutes_per_case",
    _("Käsittelyaika perhettä kohden"),
    _("vähintään asialistalle varattu aika (tiimin oma)"),
    _("Toimintamallin ydinelementit (THL, LAPE 2017–2019): riittävän pitkään (ei lukuarvoa)."),
    met=0.9,
    partly=0.7,
    own=True,
)
FAMILY_PRESENT = Target(
    "family_present",
    _("Perhe mukana käsittelyssä"),
    _("ei tavoitetta"),
    _("Perhe voi osallistua oman asiansa käsittelyyn tiimikokouksessa; seurataan ilman tavoitetta."),
    met=None,
)
PARTNER_PRESENT = Target(
    "partner_present",
    _("Yhteistyökumppani mukana käsittelyssä"),
    _("ei tavoitetta"),
    _("Monitoimijainen työ perheen kanssa; seurataan ilman tavoitetta."),
    met=None,
)
HYPOTHESES = Target(
    "hypotheses",
    _("Käsittelyistä kirjattu hypoteesi"),
    _("jokaisesta käsittelystä (tiimin oma)"),
    _(
        "Toimintamallin ydinelementit (THL, LAPE 2017–2019): systeemisen asiakastyön periaatteet jäsentävät keskustelua; hypoteesit useasta näkökulmasta."
    ),
    met=0.8,
    partly=0.6,
    own=True,
)
PLAN_STEPS = Target(
    "plan_steps",
    _("Käsittelyistä kirjattu suunnitelman askel"),
    _("jokaisesta käsittelystä (tiimin oma)"),
    _("Toimintamallin ydinelementit (THL, LAPE 2017–2019): kirjaaminen auttaa etenemään asiakastyössä; pienet konkreettiset askeleet."),
    met=0.8,
    partly=0.6,
    own=True,
)
STEPS_ON_TIME = Target(
    "steps_on_time",
    _("Suunnitelman askeleet tehty ajallaan"),
    _("vähintään 80 % (tiimin oma)"),
    _("tiimin oma tavoite"),
    met=0.8,
    partly=0.6,
    own=True,
    model_practice=False,
)
CASELOAD_RECOMMENDED = Target(
    "caseload_recommended",
    _("Työntekijät THL:n suosituksen rajoissa"),
    _("enintään tiimin tavoite, THL:n suositus 15–20 lasta"),
    _("THL:n suositus systeemisille tiimeille: 15–20 lasta sosiaalityöntekijää kohden."),
    met=1.0,
    partly=0.75,
    model_practice=False,
)
CASELOAD_UNDER_CAP = Target(
    "caseload_under_cap",
    _("Työntekijät lakisääteisen enimmäismäärän alla"),
    _("kaikki"),
    _("Lastensuojelulaki 13 b § (HE 170/2021)."),
    met=1.0,
    model_practice=False,
)
ORS_SHARE = Target(
    "ors_share",
    _("Avoimista perheistä tilannearvio (ORS) jaksolla"),
    _("vähintään 80 % (tiimin oma)"),
    _("ORS/SRS-arviot THL:n kansallisessa pilotissa 2021–2022; tavoite on tiimin oma."),
    met=0.8,
    partly=0.5,
    own=True,
    model_practice=False,
)
SRS_SHARE = Target(
    "srs_share",
    _("Perheen läsnä ollessa pidetyistä käsittelyistä istuntoarvio (SRS)"),
    _("vähintään 80 % (tiimin oma)"),
    _("ORS/SRS-arviot; tavoite on tiimin oma."),
    met=0.8,
    partly=0.5,
    own=True,
)
