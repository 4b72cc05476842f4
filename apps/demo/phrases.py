"""Small Finnish phrase banks for the generated casework and team-meeting records.

Everything here is invented and generic: no real people, places or events. A sentence may name
the child with `{name}` (always in the nominative, so no Finnish inflection of names is needed)
and an adult of the family with `{adult}` (nominative), `{adult_gen}` (genitive) or `{adult_ade}`
(adessive), capitalised as `{Adult}`, `{Adult_gen}`, `{Adult_ade}`, filled from `ADULT_FORMS`. The record fields are what the
systemic recording template asks for (seed 003): what we know, the child's and the family's
views, reflections, hypotheses from several perspectives and small concrete steps.

An entry is a sentence, or (tags, sentence) when it fits only some situations: then at least one
tag must be in the context (`fitting`). Tags are age groups ("small" 0-6, "school" 7-12, "teen"
13-17, "adult" 18+ in after-care), phase groups ("assessment", "open_care", "placement",
"after_care") and "attended" (the family took part in the meeting).
"""

_FITTING: dict[tuple[int, frozenset], list[str]] = {}


def fitting(bank, context: set[str]) -> list[str]:
    """The bank's sentences that fit the context (banks are module constants, so cached)."""
    key = (id(bank), frozenset(context))
    found = _FITTING.get(key)
    if found is None:
        found = _FITTING[key] = [e if isinstance(e, str) else e[1] for e in bank if isinstance(e, str) or context.intersection(e[0])]
    return found


# -- casework ------------------------------------------------------------------------------------

# History notes say "Ilmoittaja: <name>"; the notification's notifier type for each name.
NOTIFIER_TYPES = {
    "poliisi": "police",
    "terveydenhuolto": "health_care",
    "koulu": "school",
    "sosiaalitoimi": "social_services",
    "varhaiskasvatus": "early_education",
    "vanhempi": "family",
    "lapsi itse": "family",
    "sukulainen": "relative",
    "naapuri": "private_person",
    "nuorisotoimi": "other",
    "hätäkeskus": "emergency_social",
    "nimetön": "private_person",
    "muu viranomainen": "other",
}

# Who reported, as a title or a relation: never a person's name.
NOTIFIER_TITLES = {
    "poliisi": ("Poliisipartio", "Poliisin kenttäjohto", "Ennalta estävän toiminnan poliisi"),
    "terveydenhuolto": ("Päivystyksen lääkäri", "Sairaanhoitaja, päivystys", "Psykiatrinen sairaanhoitaja", "Terveyskeskuslääkäri"),
    "neuvola": ("Neuvolan terveydenhoitaja", "Neuvolan lääkäri"),
    "koulu": ("Luokanopettaja", "Koulukuraattori", "Rehtori", "Erityisopettaja", "Kouluterveydenhoitaja", "Opinto-ohjaaja"),
    "sosiaalitoimi": ("Aikuissosiaalityön sosiaalityöntekijä", "Päihdepalveluiden sairaanhoitaja", "Perhetyöntekijä", "Asumisneuvoja"),
    "varhaiskasvatus": ("Varhaiskasvatuksen opettaja", "Päiväkodin johtaja", "Perhepäivähoitaja"),
    "vanhempi": ("Äiti", "Isä", "Huoltaja"),
    "lapsi itse": ("Nuori itse", "Lapsi itse"),
    "sukulainen": ("Isoäiti", "Isoisä", "Täti", "Eno"),
    "naapuri": ("Naapuri",),
    "nuorisotoimi": ("Nuoriso-ohjaaja", "Etsivä nuorisotyöntekijä"),
    "hätäkeskus": ("Hätäkeskuksen välittämä ilmoitus",),
    "nimetön": ("",),
    "muu viranomainen": ("Rikosseuraamuslaitoksen työntekijä", "Kelan etuuskäsittelijä", "Maahanmuuttopalveluiden ohjaaja"),
}

# Notifiers the reply is phoned or written to; a family member is told in the first meeting.
NOTIFIER_CONTACT_PHONE = {
    "poliisi",
    "terveydenhuolto",
    "neuvola",
    "koulu",
    "sosiaalitoimi",
    "varhaiskasvatus",
    "nuorisotoimi",
    "muu viranomainen",
}

# (age groups or None for any, text). The notification describes the concern in a sentence or two.
CONCERNS = {
    "poliisi": (
        (None, "Poliisi kävi kotona perheriidan vuoksi. Lapset olivat asunnossa riidan aikana."),
        (None, "Kotihälytys myöhään illalla: aikuiset riitelivät äänekkäästi, ja naapuri soitti hätänumeroon."),
        (None, "Vanhempi tavattiin päihtyneenä kotoa, jossa lapsi oli hoidettavana."),
        (("teen",), "Nuori tavattiin päihtyneenä keskustasta puolenyön jälkeen. Nuori vietiin kotiin."),
        (("teen",), "Nuorta epäillään näpistyksestä. Nuori kertoi, ettei halua mennä kotiin."),
        (("teen", "school"), "Lapsi oli kadoksissa illan, ja vanhemmat ilmoittivat katoamisesta poliisille."),
    ),
    "terveydenhuolto": (
        (None, "Päivystyksessä hoidettu vanhempi kertoi, ettei jaksa huolehtia lapsista."),
        (None, "Lapsen hoitokäyntejä on jäänyt toistuvasti väliin, eikä huoltajaa ole tavoitettu."),
        (None, "Vanhemman mielenterveys on heikentynyt, ja lapsen arki huolestuttaa hoitavaa tahoa."),
        (("teen",), "Nuori hakeutui päivystykseen päihtyneenä ja kertoi, että kotona on vaikeaa."),
        (("teen",), "Nuori kertoi vastaanotolla viiltelevänsä ja ettei ole kertonut asiasta kotona."),
        (("small",), "Lapsella on ollut toistuvia tapaturmia, joiden syntytapa jäi epäselväksi."),
    ),
    "neuvola": (
        (("small",), "Neuvolassa heräsi huoli vauvan painonnoususta ja vanhemman jaksamisesta."),
        (("small",), "Vanhempi kertoi neuvolassa, että kotona on riidelty paljon vauvan syntymän jälkeen."),
        (("small",), "Perhe on jättänyt neuvolakäyntejä väliin, ja lapsen rokotukset ovat myöhässä."),
    ),
    "koulu": (
        (("school", "teen"), "Lapsi on ollut toistuvasti poissa koulusta ilman selvitystä."),
        (("school", "teen"), "Oppilas kertoi opettajalle, ettei kotona ole iltaisin ruokaa."),
        (("school", "teen"), "Lapsella on ollut mustelmia käsivarsissa, eikä hän halua kertoa, miten ne syntyivät."),
        (("teen",), "Nuori on väsynyt ja vetäytynyt, ja koulunkäynti on viime viikkoina lähes pysähtynyt."),
        (("school",), "Lapsi on kertonut pelkäävänsä kotiin menoa, kun aikuiset riitelevät."),
        (None, "Koulu on huolissaan koko perheen tilanteesta: sisarus kertoi, että kotona riidellään paljon."),
    ),
    "sosiaalitoimi": (
        (None, "Aikuissosiaalityössä heräsi huoli perheen toimeentulosta ja lasten arjesta."),
        (None, "Perheen vuokrarästit ovat kasvaneet, ja asunnosta on tulossa häätö."),
        (None, "Päihdepalveluiden asiakkaana olevan vanhemman retkahdus huolestuttaa lasten hyvinvoinnin vuoksi."),
        (None, "Perhetyössä on noussut huoli vanhemman jaksamisesta ja lasten perushoidosta."),
    ),
    "varhaiskasvatus": (
        (("small",), "Lapsi on haettu päiväkodista useita kertoja myöhässä, ja hakija on vaikuttanut väsyneeltä."),
        (("small",), "Lapsen vaatetus ei ole ollut säänmukainen, ja hän on ollut aamuisin nälkäinen."),
        (("small",), "Vanhempi vaikutti päihtyneeltä hakiessaan lasta päiväkodista."),
        (None, "Varhaiskasvatus on huolissaan perheen tilanteesta: pienempi sisarus kertoo kotona olevan riitoja."),
    ),
    "vanhempi": (
        (("teen", "school"), "Vanhempi pyytää apua, koska lapsen käytös kotona on muuttunut hallitsemattomaksi."),
        (None, "Vanhempi kertoo uupuneensa ja pyytää tukea arkeen."),
        (None, "Vanhempi pyytää palvelutarpeen arviointia erotilanteen kuormittaman arjen vuoksi."),
    ),
    "lapsi itse": (
        (("teen", "school"), "Lapsi otti itse yhteyttä ja kertoi, ettei halua mennä kotiin riitojen vuoksi."),
        (("teen",), "Nuori kertoo, että kotona on jatkuvasti huutoa ja että hän nukkuu usein kavereilla."),
    ),
    "sukulainen": (
        (None, "Isovanhempi on huolissaan vanhemman jaksamisesta ja lasten hoidosta."),
        (None, "Sukulaisen mukaan vanhempi käyttää alkoholia lasten ollessa kotona."),
    ),
    "naapuri": (
        (None, "Naapuri on kuullut asunnosta toistuvasti huutoa ja itkua iltaisin."),
        (None, "Naapurin mukaan lapset ovat pitkiä aikoja ulkona ilman aikuista myöhäänkin illalla."),
    ),
    "nuorisotoimi": (
        (("teen",), "Nuoriso-ohjaaja on huolissaan nuoren uusista kaveripiireistä ja myöhäisistä illoista."),
        (("teen", "school"), "Nuorisotalolla on huomattu, ettei lapsi halua lähteä kotiin illalla."),
    ),
    "hätäkeskus": (
        (None, "Hätäkeskus välitti ilmoituksen sosiaalipäivystykseen: kotona oli yöllä riitaa, ja lapset olivat peloissaan."),
        (("teen",), "Nuori soitti hätänumeroon ja kertoi, ettei uskalla olla kotona."),
    ),
    "nimetön": (
        (None, "Nimetön ilmoittaja on huolissaan lasten hoidosta ja kodin päihteiden käytöstä."),
        (None, "Nimettömän ilmoituksen mukaan lapset ovat usein kotona ilman aikuista."),
    ),
    "muu viranomainen": (
        (None, "Viranomaisen mukaan perheen tilanne on muuttunut huolestuttavaksi vanhemman vapautumisen jälkeen."),
        (None, "Asiakastapaamisessa vanhempi kertoi, ettei pysty huolehtimaan lapsista nykyisessä tilanteessa."),
    ),
}

GENERIC_CONCERN = "Ilmoittaja on huolissaan lapsen hyvinvoinnista ja perheen tilanteesta."

INFORM_HOW = ("puhelimitse", "puhelimitse", "kirjeitse", "suojatulla sähköpostilla", "verkostopalaverissa")

PERSONAL_MEETING_NOTES = (
    "",
    "",
    "Tapaaminen sijaisperheessä, lapsi esitteli huoneensa.",
    "Tapaaminen laitoksessa, kahdenkeskinen keskustelu.",
    "Kävelylenkki ja keskustelu kuulumisista.",
    "Tapaaminen iltapäivällä, mukana omaohjaaja alussa.",
    "Lapsi halusi puhua kotilomista.",
    "Tapaaminen perhekodissa ennen asiakassuunnitelmaneuvottelua.",
)

# -- team meetings -------------------------------------------------------------------------------

ROOMS = (
    "Neuvotteluhuone Saimaa",
    "Neuvotteluhuone Päijänne",
    "Neuvotteluhuone Inari",
    "Tiimihuone",
    "Neuvotteluhuone Näsi",
    "Kokoushuone Oulujärvi",
)

# Nominative, genitive and adessive of the words for the family's adults.
ADULT_FORMS = {
    "äiti": ("äiti", "äidin", "äidillä"),
    "isä": ("isä", "isän", "isällä"),
    "isäpuoli": ("isäpuoli", "isäpuolen", "isäpuolella"),
    "äitipuoli": ("äitipuoli", "äitipuolen", "äitipuolella"),
    "isoäiti": ("isoäiti", "isoäidin", "isoäidillä"),
    "isoisä": ("isoisä", "isoisän", "isoisällä"),
    "huoltaja": ("huoltaja", "huoltajan", "huoltajalla"),
}

QUESTIONS = {
    "assessment": (
        "Mitä meidän pitäisi vielä ymmärtää ennen kuin arviointi valmistuu?",
        "Miten saamme lapsen oman äänen kuuluviin arvioinnissa?",
        "Riittääkö avohuollon tuki, vai pitäisikö harkita muuta?",
        "Kenet verkostosta kannattaisi kutsua yhteiseen tapaamiseen?",
    ),
    "open_care": (
        "Miten saisimme {adult_gen} mukaan työskentelyyn?",
        "Mikä tukisi arkea juuri nyt eniten?",
        "Olemmeko jumittuneet samaan kuvioon perheen kanssa?",
        (("school", "teen"), "Miten puhumme perheen kanssa koulun huolesta syyllistämättä?"),
        "Onko tavoitteista tullut liian isoja? Mikä olisi seuraava pieni askel?",
        "Miten tuemme sisaruksia, jotka jäävät helposti huomiotta?",
    ),
    "placement": (
        "Miten tapaamiset kotona saataisiin toimimaan?",
        "Onko sijoitus edelleen lapsen edun mukainen, ja mitä perheen jälleenyhdistäminen vaatisi?",
        "Miten tuemme lasta, joka kaipaa kotiin?",
        "Miten vahvistamme yhteistyötä sijaishuoltopaikan ja vanhempien välillä?",
    ),
    "after_care": (
        "Mitä nuori tarvitsee itsenäiseen asumiseen?",
        "Miten nuori saisi opiskelun taas käyntiin?",
        "Miten jälkihuollon päättymiseen valmistaudutaan yhdessä nuoren kanssa?",
    ),
}

WHAT_WE_KNOW = {
    "assessment": (
        "Ilmoitus tuli {received}. Perheen kanssa on tavattu kaksi kertaa, ja kotikäynti on tehty.",
        "Perhe on ollut aiemmin lapsiperheiden sosiaalityön asiakkaana.",
        (("school", "teen"), "Koululta on pyydetty lausunto; vastausta odotetaan."),
        "Vanhemmat ovat eronneet keväällä, ja lapset asuvat vuoroviikoin kummankin luona.",
        "{Adult} on sairauslomalla, ja arki on ollut viime viikkoina raskasta.",
        (("small",), "Neuvolasta saatiin tieto, että perhe on käynyt tarkastuksissa säännöllisesti."),
        "Perheellä on vuokrarästejä, ja toimeentulo on tiukalla.",
    ),
    "open_care": (
        "Perhetyö käy kotona kerran viikossa, ja aamut ovat sujuneet aiempaa paremmin.",
        (("school", "teen"), "{name} on käynyt koulua säännöllisemmin kuin syksyllä."),
        "{Adult} on aloittanut keskustelut aikuissosiaalityössä.",
        "Tukihenkilö tapaa lasta joka toinen viikko.",
        (("teen",), "Perhe on sopinut kotiintuloajoista, mutta niistä joustetaan usein."),
        (("school", "teen"), "Verkostopalaverissa sovittiin, että koulu ilmoittaa poissaoloista saman päivän aikana."),
        "Perheen talous on vakiintunut, kun velkaneuvonta alkoi.",
        "Kotona on edelleen riitoja iltaisin, mutta niistä puhutaan nyt avoimemmin.",
        "{Adult_ade} on ollut pidempi raitis jakso, ja arki on rauhoittunut.",
    ),
    "placement": (
        "{name} asuu sijaishuoltopaikassa, ja tapaamiset kotona ovat joka toinen viikonloppu.",
        (("school", "teen"), "Sijaishuoltopaikasta kerrotaan, että arki on asettunut ja koulu sujuu."),
        (("small",), "Sijaisperheestä kerrotaan, että {name} nukkuu jo yönsä hyvin ja päiväkoti on alkanut."),
        "{Adult} on käynyt tapaamisissa sovitusti, yksi tapaaminen peruuntui.",
        "{name} on ollut tapaamisten jälkeen levoton, ja iltaisin on ollut vaikea rauhoittua.",
        "Sisarukset tapaavat toisiaan kerran kuukaudessa.",
        "Asiakassuunnitelmaneuvottelu pidetään kuukauden päästä.",
        "{Adult} on hakenut päihdekuntoutukseen.",
    ),
    "after_care": (
        "Nuori asuu tukiasunnossa ja käy ammattiopistoa.",
        "Nuoren raha-asioissa on ollut sekavuutta; vuokra jäi viime kuussa maksamatta.",
        "Nuori on yhteydessä entiseen sijaisperheeseen viikoittain.",
        "Opinnot ovat keskeytyneet, ja nuori etsii työpaikkaa.",
        "Nuori on hakenut omaa vuokra-asuntoa.",
    ),
}

CHILD_VIEW = {
    "small": (
        "{name} leikki tapaamisessa rauhallisesti ja haki välillä aikuisen syliä.",
        "{name} kertoi piirustuksen avulla, että kotona on kivaa, kun kaikki ovat kotona.",
        "{name} sanoi, että päiväkodissa on kivoja kavereita.",
        "{name} vaikutti tapaamisessa väsyneeltä ja hiljaiselta.",
    ),
    "school": (
        "{name} kertoi, että koulussa on ollut ikävää välitunneilla.",
        "{name} sanoi toivovansa, että aikuiset eivät riitelisi.",
        "{name} kertoi jalkapallotreeneistä ja haluaisi käydä niissä useammin.",
        "{name} toivoo saavansa tavata isovanhempiaan useammin.",
        "{name} sanoi, että aamut ovat kiireisiä ja välillä jää aamupala syömättä.",
    ),
    "teen": (
        "{name} sanoi, ettei halua enää puhua samoista asioista uusille aikuisille.",
        "{name} kertoi, että kaverit ovat hänelle nyt tärkeintä.",
        "{name} toivoo, että kotiintuloajoista voitaisiin sopia yhdessä.",
        "{name} kertoi nukkuvansa huonosti ja pelaavansa öisin.",
        "{name} haluaisi vaihtaa koulua, koska luokassa on ollut kiusaamista.",
    ),
    "adult": (
        "Nuori kertoi pärjäävänsä arjessa, mutta raha-asiat stressaavat.",
        "Nuori toivoo apua opiskelupaikan hakemiseen.",
        "Nuori sanoi, että tapaamiset ovat tärkeitä, vaikka ne unohtuvat välillä.",
    ),
}

FAMILY_VIEW = (
    "{Adult} kokee, että tilanne on rauhoittunut, mutta väsymys on edelleen suuri.",
    "{Adult} toivoo, että kotiin tuleva tuki jatkuisi ennallaan.",
    (("school", "teen"), "{Adult} on eri mieltä koulun huolesta ja kokee tulleensa leimatuksi."),
    "{Adult} kertoi, että arjen rutiinit auttavat ja iltaisin on vähemmän riitoja.",
    "{Adult} haluaa osallistua tiimin tapaamiseen seuraavalla kerralla.",
    "{Adult} kokee, ettei ole tullut kuulluksi aiemmissa palavereissa.",
    "{Adult} toivoo apua lapsen harrastuksen kustannuksiin.",
    (("school", "teen"), "Vanhemmat ovat huolissaan lapsen kaveripiiristä."),
)

REFLECTIONS = (
    (("small", "school", "teen"), "Perheterapeutti nosti esiin, että perheessä kukaan ei ole kysynyt lapselta, mitä hän toivoo."),
    "Tiimissä pohdittiin, toistaako työskentely samaa kuviota kuin perheen arjessa: aikuiset päättävät ja lapsi vetäytyy.",
    "Huomattiin, että puhumme perheestä lähinnä ongelmien kautta; vahvuuksia on enemmän kuin kirjauksista näkyy.",
    "Pohdittiin, miltä tapaamiset tuntuvat {adult_gen} näkökulmasta, kun uusia työntekijöitä on ollut monta.",
    "Tiimi mietti, mitä tapahtuisi, jos tavoitteita pienennettäisiin yhteen asiaan kerrallaan.",
    "Konsultoiva sosiaalityöntekijä kysyi, mitä perhe itse pitää tärkeimpänä muutoksena.",
    "Keskustelussa tunnistettiin työntekijän huoli ja väsymys; sovittiin, että työparina jatketaan.",
    "Pohdittiin suvun merkitystä: kuka perheen läheisistä voisi olla arjessa tukena?",
    (("school", "teen"), "Reflektiossa nousi esiin, että koulu ja perhe kuvaavat lasta hyvin eri tavoin."),
)

INTERNAL_NOTES = (
    "Tarkistetaan, ovatko isän yhteystiedot ajan tasalla.",
    (("school", "teen"), "Lausunto koulusta puuttuu vielä asiakirjoista."),
    "Työntekijä on lomalla kaksi viikkoa; sijainen hoitaa kiireelliset asiat.",
    "Muistutus: asiakassuunnitelman tarkistus lähestyy.",
    "Tulkki varattava seuraavaan tapaamiseen.",
)

FAMILY_SUMMARY = (
    "Tiimi keskusteli tänään teidän perheenne tilanteesta. Huomasimme, että aamut ovat sujuneet paremmin.",
    "Puhuimme siitä, mikä auttaa arjessa. Sovimme pienistä askelista, jotka näette alla.",
    "Tiimi kuuli, että toivotte apua iltoihin. Mietimme yhdessä, miten kotiin tuleva tuki voisi auttaa.",
    (
        ("small", "school", "teen"),
        "Keskustelimme siitä, miten lapsen ääni kuuluisi paremmin. Kysymme lapselta seuraavalla tapaamisella, mitä hän toivoo.",
    ),
    (("placement",), "Tiimi mietti, miten tapaamiset kotona sujuisivat hyvin. Sovimme, että jatkamme yhteistyötä sijaisperheen kanssa."),
    (("attended",), "Kiitos, että tulitte mukaan tiimin tapaamiseen. Sovitut asiat ovat alla."),
)

# Hypotheses by perspective ("kenen näkökulmasta").
HYPOTHESES = {
    "lapsi": (
        "Lapsi reagoi aikuisten riitoihin vetäytymällä, koska ei halua lisätä kenenkään huolta.",
        (("school",), "Lapsen levottomuus koulussa voi olla tapa saada aikuisten huomio, kun kotona huomio menee muualle."),
        "Lapsi suojelee vanhempaansa eikä siksi kerro kotona tapahtuvista asioista.",
        "Lapsi kaipaa ennustettavuutta: muutokset arjessa lisäävät oireilua.",
    ),
    "nuori": (
        (("teen",), "Nuoren myöhäiset illat kertovat siitä, että kotona on vaikea olla, ei halusta rikkoa sääntöjä."),
        "Nuori kokee, että aikuiset päättävät hänen asioistaan kuulematta häntä, ja vastustaa siksi kaikkea tukea.",
        "Kaveripiiri antaa nuorelle kuulumisen tunteen, jota hän ei saa muualta.",
        "Nuori pelkää itsenäistymistä, ja vastuun välttely suojaa häntä epäonnistumiselta.",
    ),
    "äiti": (
        "Äidin väsymys ja yksinäisyys vaikeuttavat rajojen asettamista iltaisin.",
        "Äiti pelkää, että avun pyytäminen johtaa lasten sijoitukseen, ja siksi hän vähättelee huolia.",
        "Äidin oma lapsuuden kokemus lastensuojelusta tekee yhteistyöstä vaikeaa.",
    ),
    "isä": (
        "Isä kokee jääneensä sivuun lapsen asioissa erotilanteen jälkeen.",
        "Isän tiukat säännöt ovat yritys pitää perhe koossa, kun muu tuntuu hallitsemattomalta.",
        "Isä välttelee tapaamisia, koska kokee tulevansa syytetyksi.",
    ),
    "isäpuoli": ("Uusperheen roolit ovat epäselvät: kuka saa asettaa rajoja ja kenelle?",),
    "äitipuoli": ("Uusperheen roolit ovat epäselvät: kuka saa asettaa rajoja ja kenelle?",),
    "isoäiti": ("Isoäiti kantaa perheessä paljon vastuuta, ja hänen jaksamisensa on perheen arjen kannalta ratkaisevaa.",),
    "isoisä": ("Isoisän tuki on perheelle tärkeä, mutta hänen roolistaan ei ole sovittu yhdessä.",),
    "huoltaja": ("Huoltajan ja vanhemman välinen jännite näkyy lapsessa ristiriitaisena lojaalisuutena.",),
    "koulu": (
        "Koulun näkökulmasta poissaolot johtuvat aamujen kaaoksesta, ei koulun välttelystä.",
        "Koulu näkee lapsen kyvykkäänä, ja oppimisen pulmat liittyvät jaksamiseen.",
    ),
    "päiväkoti": ("Päiväkodin havainnot lapsen väsymyksestä kertovat epäsäännöllisestä unirytmistä kotona.",),
    "sijaisperhe": (
        "Sijaisperhe pelkää, että tapaamiset kotona horjuttavat lapsen turvallisuuden tunnetta.",
        "Sijaisperhe ja vanhemmat kilpailevat tahattomasti lapsen lojaalisuudesta.",
    ),
    "työntekijä": (
        "Työskentely on jumittunut, koska työntekijä ja vanhempi puhuvat eri asioista samoilla sanoilla.",
        "Työntekijöiden vaihtuminen on opettanut perheelle, ettei kehenkään kannata kiintyä.",
        "Olemme ottaneet liikaa vastuuta perheen puolesta, ja se vähentää perheen omaa toimijuutta.",
    ),
    "verkosto": (
        "Verkostossa jokainen odottaa toisen tekevän aloitteen, ja perhe jää väliin.",
        "Perheen ympärillä on paljon työntekijöitä mutta kukaan ei kokoa kokonaisuutta.",
    ),
    "perhe": (
        "Perheessä puhutaan vaikeista asioista vain kriisin keskellä, joten kriisit toistuvat.",
        "Perhe on tottunut selviytymään yksin, ja avun vastaanottaminen tuntuu epäonnistumiselta.",
    ),
}

# Small concrete plan steps ("babysteps": what, who, by when), by who usually owns them.
STEPS = {
    "worker": (
        (("small", "school", "teen"), "Tavataan lapsi kahden kesken ja kysytään, mitä hän toivoo"),
        (("adult",), "Käydään nuoren kanssa läpi jälkihuoltosuunnitelman tavoitteet"),
        (("school", "teen"), "Soitetaan koulukuraattorille ja sovitaan verkostopalaveri"),
        (("small",), "Pyydetään lausunto neuvolasta"),
        "Päivitetään asiakassuunnitelman tavoitteet yhdessä vanhempien kanssa",
        "Kutsutaan {adult} seuraavaan tiimin tapaamiseen",
        (("assessment", "open_care"), "Selvitetään mahdollisuus tukiperheeseen"),
        "Tehdään kotikäynti ja käydään läpi viikon rutiinit",
        (("placement",), "Sovitaan tapaaminen sijaishuoltopaikan kanssa kotilomista"),
    ),
    "instructor": (
        (("small", "school"), "Käydään perheen kanssa läpi aamurutiini kuvakortein"),
        (("school", "teen"), "Mennään lapsen kanssa tutustumaan harrastukseen"),
        "Tehdään yhdessä viikon ruokalista ja kauppalista",
        "Saatetaan vanhempi ensimmäiselle käynnille päihdepalveluihin",
        "Tehdään perheen kanssa verkostokartta",
    ),
    "therapist": (
        "Perhetapaaminen koko perheelle, teemana riitojen jälkeinen sopiminen",
        "Tavataan vanhemmat kahdestaan ja puhutaan vanhemmuudesta erotilanteessa",
        "Kokeillaan reflektiivistä tiimiä perheen läsnä ollessa",
    ),
    "coordinator": (
        "Varataan aika ja tila verkostopalaverille",
        "Lähetetään perheelle kutsu tiimin tapaamiseen",
        "Varataan tulkki seuraavaan tapaamiseen",
    ),
}
