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
MEMBERS_TRAINED = Target(
    "members_trained",
    _("Tiimin jäsenet koulutettu malliin"),
    _("kaikki"),
    _(
        "Toimintamallin ydinelementit (THL, LAPE 2017–2019): tiimin jäsenet koulutetaan malliin; Isokuortti & Aaltio 2020: liian vähäinen koulutus esti mallin toteutumista."
    ),
    met=1.0,
    partly=0.75,
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


# ---- what a team may set for itself ------------------------------------------------------------


@dataclass(frozen=True)
class Adjustable:
    """A figure the team (its consultant) may set for itself, within bounds, with their reason.

    Shares are whole percentages: the level from which the indicator reads "met" (the "partly"
    level keeps Systeemi's default distance below it). The bounds say where the model leaves the
    team room: at the top, the practice itself (every meeting, every discussion); at the bottom,
    Systeemi's default "partly" level — a team may set its own bar, not call partial practice met.
    """

    key: str
    label: str
    unit: str  # "percent", "weeks", "children"
    low: int
    high: int
    bounds_source: str
    target: Target | None = None  # the indicator whose "met" level this sets

    @property
    def default(self) -> int:
        if self.target is not None:
            return round(100 * self.target.met)
        return {"discussion_interval_weeks": 4, "caseload_target_max": 20}[self.key]


def _share_bounds(target: Target, low: int) -> Adjustable:
    return Adjustable(
        target.key,
        target.label,
        "percent",
        low,
        100,
        _("Alaraja on Systeemin oletus osittain toteutumiselle: tiimi asettaa oman tavoitteensa, ei nimeä osittaista toteutuneeksi."),
        target,
    )


ADJUSTABLE = {
    a.key: a
    for a in (
        Adjustable(
            "discussion_interval_weeks",
            _("Perheen käsittelyväli"),
            "weeks",
            1,
            8,
            _(
                "Toimintamallin ydinelementit: perheiden asioita käsitellään riittävän usein (ei lukuarvoa); yläraja 8 viikkoa on Systeemin."
            ),
        ),
        Adjustable(
            "caseload_target_max",
            _("Lapsia työntekijää kohden enintään"),
            "children",
            15,
            20,
            _("THL:n suositus systeemisille tiimeille: 15–20 lasta sosiaalityöntekijää kohden."),
        ),
        _share_bounds(DISCUSSED_OFTEN, 75),
        _share_bounds(MINUTES_PER_CASE, 70),
        _share_bounds(HYPOTHESES, 60),
        _share_bounds(PLAN_STEPS, 60),
        _share_bounds(STEPS_ON_TIME, 60),
        _share_bounds(ORS_SHARE, 50),
        _share_bounds(SRS_SHARE, 50),
    )
}
TEAM_FIELDS = ("discussion_interval_weeks", "caseload_target_max")


def with_own_level(target: Target, percent: int) -> Target:
    """The indicator with the team's own "met" level (and "partly" the default distance below it)."""
    from dataclasses import replace

    met = percent / 100
    partly = None if target.partly is None else max(0.0, met - (target.met - target.partly))
    return replace(target, met=met, partly=partly, target=_("vähintään %(n)s %% (tiimin oma)") % {"n": percent})
