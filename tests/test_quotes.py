"""Quotes stage: direct and indirect quotes, cues and speakers (GUIDELINES.md §3).

Each table row is a French construction written for these tests: the text,
then what the stage must find in it.
"""
from __future__ import annotations

import importlib.util
import sys

import pytest

from depeche import quotes as Q

NBSP, NNBSP = "\u00a0", "\u202f"


def _quotes(analyze, text, kind=None):
    an = analyze(text, dct="2024-04-03")
    return [q for q in an.quotes if kind is None or q.kind == kind], an


def _one(quotes, needle):
    hits = [q for q in quotes if q.text == needle]
    assert hits, f"no quote {needle!r} in {[q.text for q in quotes]}"
    return hits[0]


def _speaker_ok(q, speaker):
    if speaker is None:
        return q.speaker is None
    return q.speaker is not None and speaker.lower() in q.speaker.lower()


# -------------------------------------------------------------- direct quotes

DIRECT = [
    # cue after the quote, subject after the verb
    ("« Nous ne céderons rien », a déclaré Emmanuel Macron.", "Nous ne céderons rien", "Macron"),
    ("« La situation reste grave », a affirmé la ministre Annalena Baerbock lundi.", "La situation reste grave", "Baerbock"),
    ("“Les discussions avancent”, a indiqué le porte-parole du Kremlin, Dmitri Peskov.",
     "Les discussions avancent", "Peskov"),
    ('"Il faut agir vite", a estimé Olaf Scholz devant la presse.', "Il faut agir vite", "Scholz"),
    ("„Nous resterons vigilants“, a prévenu Ursula von der Leyen.", "Nous resterons vigilants", "Leyen"),
    ("«" + NNBSP + "Le dialogue reste ouvert" + NNBSP + "», a précisé Antonio Guterres.",
     "Le dialogue reste ouvert", "Guterres"),
    ("«" + NBSP + "Nous avons besoin de munitions" + NBSP + "», a rappelé Volodymyr Zelensky.",
     "Nous avons besoin de munitions", "Zelensky"),
    ("« Le cessez-le-feu tient toujours », a déclaré dimanche Antony Blinken.", "Le cessez-le-feu tient toujours", "Blinken"),
    ('"C\'est l\'heure de vérité", a lancé Giorgia Meloni.', "C'est l'heure de vérité", "Meloni"),
    ("« Nous verrons bien », a répondu Donald Trump aux journalistes.", "Nous verrons bien", "Trump"),
    ("« L'Europe doit se réveiller », estime Emmanuel Macron.", "L'Europe doit se réveiller", "Macron"),
    ("« Rien n'est encore réglé », martèle Kaja Kallas.", "Rien n'est encore réglé", "Kallas"),
    # inverted pronoun: the previous speaker, with gender agreement
    ("Angela Merkel est arrivée à Paris. « Je suis optimiste », a-t-elle affirmé.", "Je suis optimiste", "Merkel"),
    ("Joe Biden a rencontré la presse. « Nous soutiendrons nos alliés », a-t-il ajouté.",
     "Nous soutiendrons nos alliés", "Biden"),
    ("« Le projet est solide », a déclaré Pedro Sánchez. « Il faut négocier », juge-t-il.", "Il faut négocier", "Sánchez"),
    # cue before a colon
    ("Jens Stoltenberg a pris la parole. Il a ajouté : « Nous devons renforcer notre défense. »",
     "Nous devons renforcer notre défense.", "Stoltenberg"),
    ("Emmanuel Macron a déclaré : « La France sera au rendez-vous. »", "La France sera au rendez-vous.", "Macron"),
    ("Emmanuel Macron : « Nous ne lâcherons rien »", "Nous ne lâcherons rien", "Macron"),
    ("« Les Alliés sont prêts », a déclaré Mark Rutte. Et d'ajouter : « Nous tiendrons nos promesses. »",
     "Nous tiendrons nos promesses.", "Rutte"),
    # several sentences in one pair of marks: one quote
    ("« Le sommet a été utile. Les alliés sont unis. Nous continuerons », a déclaré Mark Rutte.",
     "Le sommet a été utile. Les alliés sont unis. Nous continuerons", "Rutte"),
    # nested quotes stay inside their parent
    ("« Le président m'a dit “nous verrons” hier soir », a raconté Josep Borrell.",
     "Le président m'a dit “nous verrons” hier soir", "Borrell"),
    # a quote fragment inside the clause of its speaker
    ("Emmanuel Macron a qualifié la réunion de « moment historique ».", "moment historique", "Macron"),
    ("Olaf Scholz a évoqué « une étape décisive » pour l'Europe.", "une étape décisive", "Scholz"),
    # a quote right after another one keeps its speaker
    ("« C'est une bonne nouvelle », a commenté Charles Michel. « Nous attendions cet accord depuis longtemps. »",
     "Nous attendions cet accord depuis longtemps.", "Michel"),
    # an organisation or a document as source maps to the organisation
    ("« Les Alliés réaffirment leur soutien à l'Ukraine », indique un communiqué de l'OTAN.",
     "Les Alliés réaffirment leur soutien à l'Ukraine", "OTAN"),
    # titles resolved through appositions
    ("Le secrétaire général de l'ONU, Antonio Guterres, est arrivé à Genève. "
     "« La paix est encore possible », a déclaré le secrétaire général.", "La paix est encore possible", "Guterres"),
    ("Dmytro Kuleba, ministre ukrainien des Affaires étrangères, était à Bruxelles mardi. "
     "« Nous avons besoin de défense aérienne », a souligné le ministre.", "Nous avons besoin de défense aérienne", "Kuleba"),
    ("Le chancelier Olaf Scholz a reçu Emmanuel Macron mardi. "
     "« Nous devons aider Kiev plus longtemps », a déclaré le chancelier devant la presse.",
     "Nous devons aider Kiev plus longtemps", "Scholz"),
    ("La présidente de la Commission européenne, Ursula von der Leyen, et le président du Conseil européen, "
     "Charles Michel, sont arrivés à Kiev. « L'Europe est à vos côtés », a déclaré la présidente de la Commission.",
     "L'Europe est à vos côtés", "Leyen"),
    ("« Il faut sortir de l'impasse », a fait valoir la cheffe de la diplomatie allemande, Annalena Baerbock.",
     "Il faut sortir de l'impasse", "Baerbock"),
    ("« C'est un grand jour pour notre pays », s'est félicité le président Volodymyr Zelensky sur son compte.",
     "C'est un grand jour pour notre pays", "Zelensky"),
    ("Le ministre de l'Intérieur Gérald Darmanin a expliqué :\n« Nous allons renforcer les contrôles. »",
     "Nous allons renforcer les contrôles.", "Darmanin"),
    ("Le Premier ministre indien Narendra Modi a déclaré « nous voulons la paix » devant le Parlement.",
     "nous voulons la paix", "Modi"),
    ("Sergueï Lavrov a proposé une trêve. Antony Blinken a jugé ces propos « peu crédibles ».",
     "peu crédibles", "Blinken"),
    ("L'avocate de Julian Assange, Jennifer Robinson, a pris la parole. « Il ne doit pas être extradé », a-t-elle dit.",
     "Il ne doit pas être extradé", "Robinson"),
    ("Dans un communiqué, le ministère ukrainien de la Défense a affirmé que ses troupes tenaient leurs positions. "
     "« La situation reste difficile », précise le texte.", "La situation reste difficile", "Défense"),
    ("L'OTAN a publié un communiqué mardi. « Les Alliés sont unis », indique le texte.", "Les Alliés sont unis", "OTAN"),
    ("Angela Merkel et Emmanuel Macron ont parlé longuement. « Il faut avancer », a-t-il dit.", "Il faut avancer", "Macron"),
    ("Le porte-parole du Kremlin, Dmitri Peskov, a été interrogé. « Aucune décision n'a été prise », "
     "a répondu le porte-parole du Kremlin.", "Aucune décision n'a été prise", "Peskov"),
    ("« Les ventes reculent depuis trois ans », analyse le propriétaire, Marc Dubois.",
     "Les ventes reculent depuis trois ans", "Dubois"),
    ("Anne Girard a tout vu depuis son balcon : « Le feu a pris très vite. » Elle a alerté les pompiers. "
     "« J'ai eu très peur », raconte cette retraitée.", "J'ai eu très peur", "Girard"),
    ("Kristalina Georgieva a parlé à Washington. « Nous respecterons nos engagements », a affirmé à Berlin "
     "un porte-parole du gouvernement, qui a refusé de commenter les propos de Mme Georgieva.",
     "Nous respecterons nos engagements", None),
    ("« La Russie doit retirer ses troupes », a twitté le ministre lituanien des Affaires étrangères, "
     "Gabrielius Landsbergis.", "La Russie doit retirer ses troupes", "Landsbergis"),
    ("« Nous ne céderons pas au chantage », affirme-t-on à l'Élysée.", "Nous ne céderons pas au chantage", "Élysée"),
    ("Le chef de la diplomatie européenne, Josep Borrell, a annoncé une réunion d'urgence. « Nous devons agir "
     "ensemble et vite », a-t-il insisté, ajoutant que « chaque jour compte ».", "Nous devons agir ensemble et vite",
     "Borrell"),
    ("« Un tournant pour l'Europe » : Emmanuel Macron salue l'accord sur la défense",
     "Un tournant pour l'Europe", "Macron"),
    ("Marie Lefort, la gérante du kiosque, confirme. « Les journaux étrangers se vendent surtout en été. »",
     "Les journaux étrangers se vendent surtout en été.", "Lefort"),
    # a speaker the text does not identify stays null
    ("« Les frontières resteront fermées », a indiqué le ministre.", "Les frontières resteront fermées", None),
    ("« Nous sommes très inquiets », confie une source diplomatique.", "Nous sommes très inquiets", None),
    ("« Pas question de reculer », a-t-il lancé.", "Pas question de reculer", None),
]


@pytest.mark.parametrize("text,quote,speaker", DIRECT)
def test_direct_quote_and_speaker(analyze, text, quote, speaker):
    quotes, _ = _quotes(analyze, text, "direct")
    q = _one(quotes, quote)
    assert _speaker_ok(q, speaker), f"speaker {q.speaker!r}, expected {speaker!r}"
    assert q.cue is not None or speaker is None or q.speaker is not None
    assert text.find(quote) == q.start if text.count(quote) == 1 else True


CUES = [
    ("« Nous ne céderons rien », a déclaré Emmanuel Macron.", "a déclaré"),
    ("Angela Merkel est arrivée. « Je suis optimiste », a-t-elle affirmé.", "a-t-elle affirmé"),
    ("Jens Stoltenberg a pris la parole. Il a ajouté : « Nous devons agir. »", "a ajouté"),
    ("« L'Europe doit se réveiller », estime Emmanuel Macron.", "estime"),
]


@pytest.mark.parametrize("text,cue", CUES)
def test_direct_cue_span(analyze, text, cue):
    quotes, _ = _quotes(analyze, text, "direct")
    assert quotes and quotes[0].cue is not None
    assert quotes[0].cue.text == cue
    assert text[quotes[0].cue.start:quotes[0].cue.end] == cue


def test_interrupted_quote_gives_two_quotes(analyze):
    text = "Joe Biden a parlé aux journalistes. « Nous sommes prêts », a-t-il dit, « mais pas à n'importe quel prix. »"
    quotes, _ = _quotes(analyze, text, "direct")
    texts = [q.text for q in quotes]
    assert texts == ["Nous sommes prêts", "mais pas à n'importe quel prix."]
    assert all(_speaker_ok(q, "Biden") for q in quotes)


def test_attribution_inside_the_marks_splits_the_quote(analyze):
    text = "« Nous allons, a-t-il dit, continuer le combat », a lancé Volodymyr Zelensky."
    quotes, _ = _quotes(analyze, text, "direct")
    assert [q.text for q in quotes] == ["Nous allons", "continuer le combat"]
    assert all(_speaker_ok(q, "Zelensky") for q in quotes)


def test_quote_over_paragraphs_is_one(analyze):
    text = ("Mark Rutte a déclaré : « Le premier point est la défense.\n"
            "« Le second point est l'aide à l'Ukraine. »")
    quotes, an = _quotes(analyze, text, "direct")
    assert len(quotes) == 1
    assert quotes[0].text.startswith("Le premier point") and quotes[0].text.endswith("l'aide à l'Ukraine.")
    assert not [w for w in an.warnings if w.code == "unclosed_quote"]


NOT_QUOTES = [
    "L'Union européenne a présenté mardi le plan « ReArm Europe » à Bruxelles.",
    "Le film « La Grande Illusion » a été restauré par la cinémathèque.",
    "Le ministre a parlé d'une « trêve » avec les syndicats.",
    "Le gouvernement défend le « bouclier tarifaire » depuis des mois.",
    "Les diplomates se sont retrouvés au siège de l'« Institut de la paix » à Genève.",
    "Le navire « Liberté » est arrivé au port de Marseille.",
    "L'Irak a accepté le renouvellement du programme humanitaire « pétrole contre nourriture ».",
    "Le maire a formé une équipe « de mission » pour la rentrée.",
    # a term after a contracted article
    "Le pays a adhéré au « pacte vert » européen en mai.",
    "Les syndicats ont renoncé aux « accords de branche » signés en 2019.",
]


@pytest.mark.parametrize("text", NOT_QUOTES)
def test_titles_and_scare_quotes_are_not_quotes(analyze, text):
    quotes, _ = _quotes(analyze, text, "direct")
    assert quotes == []


def test_unclosed_quote_at_truncated_end(analyze):
    text = "Emmanuel Macron a déclaré mardi : « Nous allons continuer à soutenir nos partenaires"
    quotes, an = _quotes(analyze, text, "direct")
    assert [q.text for q in quotes] == ["Nous allons continuer à soutenir nos partenaires"]
    # The cut text is reported once, as truncated; no second warning for the same cut.
    assert [w.code for w in an.warnings] == ["truncated"]


def test_unclosed_quote_stops_at_paragraph_end(analyze):
    text = "Olaf Scholz a dit : « Nous verrons bien demain\nLe lendemain, la réunion a été annulée."
    quotes, an = _quotes(analyze, text, "direct")
    assert [q.text for q in quotes] == ["Nous verrons bien demain"]
    assert any(w.code == "unclosed_quote" for w in an.warnings)


def test_no_indirect_quote_inside_a_direct_quote(analyze):
    text = "« Les ministres ont dit que la guerre durerait longtemps », a déclaré Mark Rutte."
    quotes, _ = _quotes(analyze, text)
    assert [q.kind for q in quotes] == ["direct"]


# -------------------------------------------------------------- indirect quotes

INDIRECT = [
    # an indirect question is a reported complement clause too
    ("Emmanuel Macron a demandé si la réunion aurait lieu.", "la réunion aurait lieu", "Macron"),
    ("La sénatrice Lucie Brémond a voulu savoir si les troupes partiraient avant l'hiver.",
     "les troupes partiraient avant l'hiver", "Brémond"),
    # a light verb with a speech noun
    ("Le ministre Paul Tardieu a exprimé l'espoir que les pourparlers reprennent bientôt.",
     "les pourparlers reprennent bientôt", "Tardieu"),
    # a second report closes the first claim
    ("Paul Tardieu a précisé que le traité serait signé en mai et a ajouté que les troupes partiraient.",
     "le traité serait signé en mai", "Tardieu"),
    ("Paul Tardieu a réaffirmé que la frontière resterait fermée.", "la frontière resterait fermée", "Tardieu"),
    # the claim ends before the reporter's next act, and an infinitive claim before the narrator's additions
    ("Paul Tardieu a estimé que rien n'était réglé et a appelé les deux camps au calme.", "rien n'était réglé",
     "Tardieu"),
    ("La rectrice Anne Vidal a annoncé avoir fermé le campus, dont les bâtiments seront rénovés cet été.",
     "avoir fermé le campus", "Vidal"),
    ("La rectrice Anne Vidal a annoncé avoir fermé le campus, à l'issue d'une longue réunion.",
     "avoir fermé le campus", "Vidal"),
    ("Emmanuel Macron a déclaré que la France enverrait des avions.", "la France enverrait des avions", "Macron"),
    ("Olaf Scholz a assuré que l'Allemagne tiendrait ses engagements et que l'aide continuerait.",
     "l'Allemagne tiendrait ses engagements et que l'aide continuerait", "Scholz"),
    ("Joe Biden a annoncé mardi que les sanctions seraient levées.", "les sanctions seraient levées", "Biden"),
    ("Antony Blinken a indiqué à la presse que les négociations reprendraient.", "les négociations reprendraient", "Blinken"),
    ("Mark Rutte a rencontré les ministres. Il a estimé que l'Alliance devait rester unie.",
     "l'Alliance devait rester unie", "Rutte"),
    ("Kaja Kallas a précisé qu'aucune décision n'avait été prise.", "aucune décision n'avait été prise", "Kallas"),
    ("La Commission européenne estime que le budget doit être révisé.", "le budget doit être révisé", "Commission"),
    ("Emmanuel Macron a dit vouloir renforcer l'armée.", "vouloir renforcer l'armée", "Macron"),
    ("Gazprom a annoncé avoir suspendu ses livraisons vers la Pologne.", "avoir suspendu ses livraisons vers la Pologne", "Gazprom"),
    ("Selon Josep Borrell, l'Union européenne doit accélérer ses livraisons.",
     "l'Union européenne doit accélérer ses livraisons", "Borrell"),
    ("D'après Antony Blinken, les discussions progressent lentement.", "les discussions progressent lentement", "Blinken"),
    ("Les discussions progressent lentement, selon Antony Blinken.", "Les discussions progressent lentement", "Blinken"),
    ("Pour Emmanuel Macron, l'Europe doit investir davantage dans sa défense.",
     "l'Europe doit investir davantage dans sa défense", "Macron"),
    ("Pour l'analyste Tatiana Stanovaya, le Kremlin cherche à épuiser l'Ukraine.",
     "le Kremlin cherche à épuiser l'Ukraine", "Stanovaya"),
    ("Mais les combats continuent dans le Donbass, selon Volodymyr Zelensky.",
     "les combats continuent dans le Donbass", "Zelensky"),
    ("L'inflation a reculé en mars, indique un rapport de la Banque centrale européenne.",
     "L'inflation a reculé en mars", "Banque centrale européenne"),
    ("Les troupes ont quitté la ville, a annoncé le Pentagone.", "Les troupes ont quitté la ville", "Pentagone"),
    ("Les experts jugent que la croissance ralentira.", "la croissance ralentira", None),
    ("De son côté, la directrice du FMI, Kristalina Georgieva, a jugé dans un entretien au journal Le Figaro "
     "que la dette restait trop élevée.", "la dette restait trop élevée", "Georgieva"),
    ("Le président de l'Eurogroupe, Paschal Donohoe, a estimé à l'issue de la réunion que des progrès "
     "avaient été accomplis.", "des progrès avaient été accomplis", "Donohoe"),
    ("« Nous sommes prêts », a déclaré Emmanuel Macron. Vladimir Poutine a rejeté l'offre. "
     "Il a ajouté que la Russie ne céderait pas.", "la Russie ne céderait pas", "Poutine"),
    ("Le gouvernement prépare une réforme, a indiqué le ministre Bruno Retailleau, qui a précisé que le texte "
     "serait présenté en mai.", "le texte serait présenté en mai", "Retailleau"),
    ("Le gouvernement prépare une réforme, a indiqué le ministre Bruno Retailleau, qui a précisé que le texte "
     "serait présenté en mai.", "Le gouvernement prépare une réforme", "Retailleau"),
    ("Selon un sondage publié dimanche, 60 % des Français soutiennent la réforme.",
     "60 % des Français soutiennent la réforme", None),
    ("Les forces russes ont bombardé Odessa dans la nuit, a-t-on appris de source militaire.",
     "Les forces russes ont bombardé Odessa dans la nuit", None),
    ("Pour Josep Borrell, chef de la diplomatie européenne, la décision de Moscou est une grave erreur.",
     "la décision de Moscou est une grave erreur", "Borrell"),
    ("Cependant, le Kremlin a démenti que Vladimir Poutine soit malade, indiquant que la rencontre n'était pas prévue.",
     "la rencontre n'était pas prévue", "Kremlin"),
    ("Cependant, le Kremlin a démenti que Vladimir Poutine soit malade, indiquant que la rencontre n'était pas prévue.",
     "Vladimir Poutine soit malade", "Kremlin"),
    ("Le président a affirmé que le pays ne reculerait pas.", "le pays ne reculerait pas", None),
    # "selon X, <relative clause>, <claim>": the claim is after the relative
    ("Selon Tomás Vidal, qui s'exprimait à la radio, le barrage sera achevé en mai.",
     "le barrage sera achevé en mai", "Vidal"),
    # "d'après <title of a body>, <title> Y, <claim>": Y speaks
    ("D'après le porte-parole de la police, le commissaire Hugo Lenz, deux suspects ont été arrêtés.",
     "deux suspects ont été arrêtés", "Lenz"),
    # a "que" the parser hangs as a relative on an adjunct of the speech verb opens its claim
    ("La ministre Inès Colin a affirmé mardi devant les sénateurs que la réforme serait retirée.",
     "la réforme serait retirée", "Colin"),
    ("Le maire Hugo Lenz a indiqué jeudi soir dans un communiqué que le pont resterait fermé.",
     "le pont resterait fermé", "Lenz"),
    ("Le préfet Marc Olier a assuré lors d'une conférence de presse que les routes seraient dégagées.",
     "les routes seraient dégagées", "Olier"),
    # the claim ends before the narrator's addition
    ("Le maire Hugo Lenz a affirmé que le pont resterait fermé, avant de quitter la salle.",
     "le pont resterait fermé", "Lenz"),
    ("La ministre Inès Colin a déclaré que le vote aurait lieu en mai, ce que l'opposition conteste.",
     "le vote aurait lieu en mai", "Colin"),
    # an infinitive claim after further report verbs
    ("Le maire Hugo Lenz a indiqué avoir fermé le pont.", "avoir fermé le pont", "Lenz"),
    ("La ministre Inès Colin a précisé avoir reçu la lettre.", "avoir reçu la lettre", "Colin"),
    # a medium named in quotation marks after its media noun
    ("L'agence de presse « Vox Andina » a rapporté que le pont était fermé.", "le pont était fermé", "Vox Andina"),
    ("Selon le quotidien « El Diario », le pont est fermé.", "le pont est fermé", "El Diario"),
    # the addressee of a verb of telling, between the verb and its claim
    ("La générale Rita Moor a averti les insurgés que l'armée ne reculerait pas.",
     "l'armée ne reculerait pas", "Moor"),
    ("Le maire Hugo Lenz a prévenu les riverains que les travaux dureraient un an.",
     "les travaux dureraient un an", "Lenz"),
    # an infinitive that reports only under a causative, and ruling a possibility in or out
    ("La ministre Inès Colin a laissé entendre que le budget pourrait être revu.",
     "le budget pourrait être revu", "Colin"),
    ("Le syndicaliste Marc Olier a fait comprendre que la grève continuerait.",
     "la grève continuerait", "Olier"),
    ("La ministre Inès Colin n'a pas exclu que les impôts augmentent.", "les impôts augmentent", "Colin"),
    # "savoir" reports under a causative, not alone
    ("Le ministre Paul Henri a fait savoir que la réforme serait retirée.", "la réforme serait retirée", "Paul Henri"),
    # a speech verb said again, with a prefix of repetition
    ("Le maire Hugo Lenz a reprécisé que le pont resterait fermé.", "le pont resterait fermé", "Lenz"),
    ("La ministre Inès Colin a réexpliqué que la réforme était nécessaire.", "la réforme était nécessaire", "Colin"),
    # "a-t-on appris auprès de X", past a date: X is the source
    ("Le barrage sera fermé, a-t-on appris jeudi auprès de l'Unesco.", "Le barrage sera fermé", "Unesco"),
    ("Le barrage sera fermé, apprend-on auprès du ministère de l'Intérieur.", "Le barrage sera fermé",
     "ministère de l'Intérieur"),
]


@pytest.mark.parametrize("text,quote,speaker", INDIRECT)
def test_indirect_quote_and_speaker(analyze, text, quote, speaker):
    quotes, _ = _quotes(analyze, text, "indirect")
    q = _one(quotes, quote)
    assert _speaker_ok(q, speaker), f"speaker {q.speaker!r}, expected {speaker!r}"
    assert q.cue is not None


NOT_INDIRECT = [
    "Pour la première fois, les ministres se sont réunis à Kiev.",
    "Le ministre a rappelé les promesses qu'il avait faites aux agriculteurs.",
    "Joe Biden a défendu une aide jugée selon lui indispensable.",
    "Olaf Scholz a promis de livrer des chars à l'Ukraine.",
    "Le gouvernement s'est réuni lundi et a présenté un plan d'aide.",
    "On ne savait pas si la délégation passerait la nuit à Genève.",
    # a demand is an event (REQUEST), not a reported claim (GUIDELINES §6)
    "Paul Tardieu a demandé que les troupes se retirent avant l'hiver.",
    "La ministre exige que la frontière soit rouverte.",
    # impersonal uses of speech verbs, and "que" ending a conjunctional locution
    "Il est annoncé que les élections auront lieu en mai.",
    "À noter que la frontière restera ouverte.",
    "Il faut dire que la situation reste tendue.",
    "Paul Tardieu soutiendra le projet aussi longtemps que le budget le permettra.",
    "Selon la tradition, le doyen des ambassadeurs prend la parole en premier.",
    # "selon" + a norm, a manner or a measure says how, not who
    "Selon toute vraisemblance, le sommet sera reporté.",
    "Selon les règles du Parlement, le texte sera lu deux fois.",
    "Selon les besoins, les stocks seront distribués par région.",
    "Pour l'Italie, Mario Draghi et Paolo Gentiloni.",
    # a real relative on the adjunct: the verb has its object, or is no report
    "Le ministre a présenté aux députés le rapport que la commission avait rédigé.",
    "Le maire a parlé devant les habitants que la crue avait chassés de chez eux.",
    "Le ministre a averti les rebelles que le pays avait armés.",
    # "ne … que" restricts: it opens no claim
    "Le ministre n'a dit que des banalités.",
    "Le porte-parole n'a répété que des généralités sur le budget.",
    "Le guide a laissé entendre sa voix dans la vallée.",
]


@pytest.mark.parametrize("text", NOT_INDIRECT)
def test_not_indirect_quotes(analyze, text):
    quotes, _ = _quotes(analyze, text, "indirect")
    assert quotes == []


def test_a_quotation_then_the_narrators_remark_is_direct_only(analyze):
    quotes, _ = _quotes(analyze, "Paul Tardieu a répondu que « rien n'est décidé à ce stade », en référence aux "
                        "négociations.")
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", "Paul Tardieu")]


@pytest.mark.parametrize("text, speaker", [
    # the sentence after the quotation names its author: a statement noun, "être de X"
    ("« Nous ne céderons jamais. » La phrase est de Tomas Ruiz, le ministre chilien.", "Tomas Ruiz"),
    ("« Le pont restera fermé. » Ces propos sont du maire Hugo Lenz.", "Hugo Lenz"),
    ("« Qui paiera la facture de ce budget ? » La formule, cinglante, est de Marc Olier.", "Marc Olier"),
    # a noun that is no statement says nothing of the author
    ("« Nous ne céderons jamais. » La réunion est de nouveau reportée.", None),
])
def test_the_sentence_after_a_quotation_names_its_author(analyze, text, speaker):
    quotes, _ = _quotes(analyze, text, "direct")
    assert len(quotes) == 1 and _speaker_ok(quotes[0], speaker)


def test_a_fragment_in_a_claim_takes_the_claims_speaker_past_a_restriction(analyze):
    text = ("La maire Inès Colin a fermé le pont. Elle a indiqué que le rapport ne mentionnait qu'« une "
            "erreur de calcul » dans les plans.")
    quotes, _ = _quotes(analyze, text, "direct")
    assert [(q.text, q.speaker) for q in quotes] == [("une erreur de calcul", "Inès Colin")]


def test_a_report_inside_the_same_speakers_claim_is_part_of_it(analyze):
    quotes, _ = _quotes(analyze, "Paul Tardieu a assuré qu'il pense que la paix est proche.", "indirect")
    assert [q.text for q in quotes] == ["il pense que la paix est proche"]


def test_comma_before_a_speech_verb_with_que_is_no_incise(analyze):
    text = "Le président Robert Kotcharian, élu en mars, avait estimé que le gouvernement devait démissionner."
    quotes, _ = _quotes(analyze, text, "indirect")
    assert [q.text for q in quotes] == ["le gouvernement devait démissionner"]
    assert _speaker_ok(quotes[0], "Kotcharian")


def test_quote_fragment_inside_indirect_quote(analyze):
    text = "Emmanuel Macron a affirmé que la France resterait « aux côtés de l'Ukraine »."
    quotes, _ = _quotes(analyze, text)
    kinds = {q.kind: q for q in quotes}
    assert set(kinds) == {"direct", "indirect"}
    assert kinds["direct"].text == "aux côtés de l'Ukraine"
    assert kinds["indirect"].text == "la France resterait « aux côtés de l'Ukraine »"
    assert _speaker_ok(kinds["direct"], "Macron") and _speaker_ok(kinds["indirect"], "Macron")


def test_quote_said_entirely_after_que_is_direct_only(analyze):
    text = "Sur ce point, Josep Borrell a indiqué que « les sanctions seront maintenues »."
    quotes, _ = _quotes(analyze, text)
    assert [(q.kind, q.text) for q in quotes] == [("direct", "les sanctions seront maintenues")]
    assert _speaker_ok(quotes[0], "Borrell")


@pytest.mark.parametrize("text,quote,speaker", [
    ("Selon le ministre Paulo Neves, « les prix vont baisser ».", "les prix vont baisser", "Neves"),
    ("D'après la juge Claire Dubois, « la procédure a été respectée ».", "la procédure a été respectée", "Dubois"),
    ("Selon la présidente de l'Autorité des marchés, Lina Sow, « la bourse restera ouverte ».",
     "la bourse restera ouverte", "Sow"),
])
def test_according_to_x_then_one_quotation_is_direct_only(analyze, text, quote, speaker):
    # the whole claim is in the marks: only the direct quote is kept, with X (GUIDELINES §6)
    quotes, _ = _quotes(analyze, text)
    assert [(q.kind, q.text) for q in quotes] == [("direct", quote)]
    assert _speaker_ok(quotes[0], speaker)


def test_source_relative_gives_second_indirect_quote(analyze):
    text = ("Les pourparlers sont bloqués, selon Antony Blinken, pour qui des progrès restent possibles "
            "sur les sujets techniques.")
    quotes, _ = _quotes(analyze, text, "indirect")
    texts = {q.text for q in quotes}
    assert "Les pourparlers sont bloqués" in texts
    assert "des progrès restent possibles sur les sujets techniques" in texts
    assert all(_speaker_ok(q, "Blinken") for q in quotes)


def test_demonym_source_maps_to_the_country(analyze):
    text = "La France prépare un plan. « Nous sommes prêts », a affirmé une source officielle française."
    quotes, _ = _quotes(analyze, text, "direct")
    assert _speaker_ok(_one(quotes, "Nous sommes prêts"), "France")


# -------------------------------------------------------------- robustness

ODD = ["«»", "« « « »", '"', '" "', "»« », « ", "« a »", "Il a dit que", "selon", "Selon ,", ", a-t-il dit",
       "« Oui », a-t-il", "“ ” „ “ ‹ ›", "que que que", "\n\n« \n »\n"]


@pytest.mark.parametrize("text", ODD)
def test_odd_input_never_raises(analyze, text):
    an = analyze(text + " Le ministre a parlé aux journalistes à Paris ce matin.")
    for q in an.quotes:
        assert 0 <= q.start < q.end <= len(an.text) and an.text[q.start:q.end] == q.text


SCAN = [
    ("« a » et « b »", ["a", "b"]),
    ("« a “b” c »", ["a “b” c", "b"]),
    ('"a" puis "b"', ["a", "b"]),
    ("„a“ et “b”", ["a", "b"]),
    ("« a\n« b »", ["a\n« b"]),
    ("« a\nb", ["a"]),
    ("x » y « z", ["z"]),
]


@pytest.mark.parametrize("text,inner", SCAN)
def test_scan_pairs_marks(text, inner):
    regions = Q._scan(text, Q._lexicon("fr"))
    assert [text[r.start:r.end] for r in regions if r.end > r.start] == inner


def test_component_in_a_plain_spacy_pipeline():
    import spacy

    try:
        nlp = spacy.load("fr_core_news_md")
    except OSError:
        pytest.skip("fr_core_news_md not installed")
    nlp.add_pipe("depeche_quotes")
    doc = nlp("« Nous verrons bien », a déclaré le ministre. Il a ajouté que rien n'était décidé.")
    kinds = sorted(q["kind"] for q in doc._.quotes)  # plain dicts, so that the Doc serialises
    assert kinds == ["direct", "indirect"]
    assert all(q["speaker"] is None for q in doc._.quotes)  # no entities stage: nobody is guessed


# -------------------------------------------------------------- reference and attribution

_CAST = "Anne Ferrand est arrivée à Genève. Paul Tardieu l'attendait. "

REFERENCE = [
    # a title without a country: the office of the country the text is about, held by a person it names
    ("L'Espagne a rappelé son ambassadeur. Pedro Sánchez était à Bilbao lundi. « La décision est grave », "
     "a déclaré le chef du gouvernement.", "La décision est grave", "Pedro Sánchez"),
    ("L'Espagne a rappelé son ambassadeur. « La décision est grave », a déclaré le chef du gouvernement.",
     "La décision est grave", None),
    # a participle the tagger left untagged after its auxiliary
    ("La France a rappelé son ambassadeur. Emmanuel Macron était à Lille. « La décision est grave », "
     "a tweeté le chef de l'État.", "La décision est grave", "Emmanuel Macron"),
    # a definite description takes up the noun the text gave a person in apposition or before the name
    ("Tomas Ruiz, 61 ans, ancien banquier, a été nommé. « Je suis honoré », a déclaré l'ancien banquier.",
     "Je suis honoré", "Tomas Ruiz"),
    ("Hugo Lenz a été arrêté. Son avocate, Nadia Brun, a protesté. « C'est un scandale », a dit l'avocate.",
     "C'est un scandale", "Nadia Brun"),
    ("La chanteuse Inès Colin a reçu le militant Marc Olier. « Nous sommes unis », a dit le militant.",
     "Nous sommes unis", "Marc Olier"),
    # a pronoun or an epicene title agrees with the gender of a given name the KB does not know
    ("Tomas Ruiz a reçu Ingrid Halvorsen à Bergen. « Le port rouvrira », a-t-elle affirmé.",
     "Le port rouvrira", "Ingrid Halvorsen"),
    ("Ingrid Halvorsen a reçu Tomas Ruiz à Bergen. « Le port rouvrira », a-t-il affirmé.",
     "Le port rouvrira", "Tomas Ruiz"),
    # a minister the text ties to nobody: her country (GUIDELINES §6), an entity of the article by its adjective
    ("Tomas Ruiz a reçu Ingrid Halvorsen à Bergen. « Le port rouvrira », a déclaré la ministre norvégienne.",
     "Le port rouvrira", "Norvège"),
    # a participle or narrative infinitive continues the incise's speaker
    (_CAST + "« La situation est grave », a-t-elle averti, rappelant que deux villages étaient évacués.",
     "deux villages étaient évacués", "Anne Ferrand"),
    (_CAST + "Anne Ferrand a présidé la séance. Et de préciser que le vote aurait lieu jeudi.",
     "le vote aurait lieu jeudi", "Anne Ferrand"),
    (_CAST + "« Tout est prêt », a dit Paul Tardieu, soulignant que le consensus était large.",
     "le consensus était large", "Paul Tardieu"),
    # the participle goes on with the speaker the incise resolved, not with a name inside its title
    ("Le président français Paul Roche est arrivé. « Rien n'est fait », a indiqué le chef de l'Élysée, ajoutant "
     "que les discussions reprendraient.", "les discussions reprendraient", "Paul Roche"),
    # a parenthetical between the verb and the inverted subject, or after the closing mark
    (_CAST + "« Rien n'est réglé », a lancé, visiblement fatigué, Paul Tardieu.", "Rien n'est réglé", "Paul Tardieu"),
    (_CAST + "« Rien n'est réglé » (Genève), a précisé Paul Tardieu.", "Rien n'est réglé", "Paul Tardieu"),
    # a demonym used as a noun for a person whose role names the country
    ("Le ministre italien des Affaires étrangères, Marco Bellini, est arrivé à Vienne. « Nous ne céderons pas "
     "sur ce point », a dit l'Italien.", "Nous ne céderons pas sur ce point", "Marco Bellini"),
    # a document's words to its issuer, a spokesperson's to the body
    ("La Commission européenne a publié lundi un rapport sur les aides d'État. Trois pays ont répondu. "
     "« Les règles doivent être respectées », indique le texte.", "Les règles doivent être respectées",
     "Commission européenne"),
    ("« Les négociations reprendront en mai », a déclaré une porte-parole de l'OTAN.",
     "Les négociations reprendront en mai", "OTAN"),
    ("« Aucune décision n'est prise », précise le communiqué publié par le ministère des Affaires étrangères.",
     "Aucune décision n'est prise", "ministère des Affaires étrangères"),
    # a title bound by the article, not by the KB
    ("Le Premier ministre du Groenland, Aputsiaq Egede, a reçu les délégués. « Nous sommes prêts », "
     "a ensuite déclaré le Premier ministre.", "Nous sommes prêts", "Aputsiaq Egede"),
    ("Le vice-amiral Tanguy Keraudren a pris le commandement de l'escadre mardi. « L'escadre sera prête », "
     "a assuré le vice-amiral.", "L'escadre sera prête", "Tanguy Keraudren"),
    # a periphrasis names an office by its seat
    ("Le président russe Ivan Petrov a reçu Paul Roche. Le maître du Kremlin a ensuite salué « un partenariat "
     "solide et durable ».", "un partenariat solide et durable", "Ivan Petrov"),
    ("Le président français Paul Roche est arrivé à Rome. « Rien n'est décidé », a dit le chef de l'Élysée.",
     "Rien n'est décidé", "Paul Roche"),
    # a title and a country adjective: the holder the text names, whatever else
    ("La ministre chilienne des Affaires étrangères, Lucia Rojas, et son homologue péruvien Diego Salas ont signé "
     "le texte. Les ministres des Affaires étrangères du Chili et du Pérou ont déclaré que « la frontière "
     "maritime est désormais fixée ».", "la frontière maritime est désormais fixée", "Lucia Rojas"),
    # an unnamed official of a country named in the article speaks for it
    ("Le Chili a fermé sa frontière. Le ministre chilien de l'Intérieur a assuré que « la mesure est provisoire ».",
     "la mesure est provisoire", "Chili"),
    # a title whose gender picks the one person it fits
    ("Ulrike Brandt a reçu Marc Lenoir à Berlin. « Un compromis reste possible », a assuré la chancelière.",
     "Un compromis reste possible", "Ulrike Brandt"),
    # "son homologue polonais": the other person's office, for that country
    ("Le président Jean Dubreuil a reçu son homologue polonais Marek Zielak. « Nous sommes d'accord », a déclaré "
     "le président polonais.", "Nous sommes d'accord", "Marek Zielak"),
    # a medium named right after its description
    ("La chaîne publique japonaise NHK a salué « une avancée historique pour la région ».",
     "une avancée historique pour la région", "NHK"),
    # a parenthesised acronym and a participial apposition between the body and its verb
    ("L'Union des ports baltes (UPB), réunie jeudi à Riga, a estimé que les nouveaux tarifs étaient excessifs.",
     "les nouveaux tarifs étaient excessifs", "Union des ports baltes"),
    # "selon" + title + acronym + the name in apposition
    ("Selon la présidente de l'Autorité nationale électorale (ANE), Clara Diop, le taux de participation "
     "dépasse 60 %.", "le taux de participation dépasse 60 %", "Clara Diop"),
    # a person noun for the person the article is about
    ("Le général Amadou Sanou a inspecté les casernes du nord. Devant la presse, le militaire a promis « des "
     "élections libres dans un an ».", "des élections libres dans un an", "Amadou Sanou"),
    # a plural pronoun: the plural subject before, its first party speaking for all
    ("La Bolivie et le Paraguay ont rouvert leur frontière. Elles ont précisé que les camions passeraient "
     "dès lundi.", "les camions passeraient dès lundi", "Bolivie"),
    ("Les ministres de l'Agriculture du Mercosur se sont retrouvés à Asuncion. Ils ont estimé que la récolte de "
     "soja serait abondante.", "la récolte de soja serait abondante", "Mercosur"),
    # a noun for the parties of an act, or "les deux pays": the names the text coordinated
    ("Le Ghana et le Togo ont conclu un accord douanier. Les signataires ont indiqué que les taxes "
     "baisseraient en juin.", "les taxes baisseraient en juin", "Ghana"),
    ("Le Laos et le Cambodge ont repris leurs pourparlers. Les deux pays ont affirmé que le tracé serait "
     "fixé avant l'été.", "le tracé serait fixé avant l'été", "Laos"),
    # a possessive spokesperson speaks for its owner
    ("Le Quai d'Orsay a convoqué l'ambassadeur. « Les faits sont graves », a indiqué son porte-parole.",
     "Les faits sont graves", "Quai d'Orsay"),
    ("Marta Lindqvist est arrivée à Oslo. Sa porte-parole a précisé que la visite durerait trois jours.",
     "la visite durerait trois jours", "Marta Lindqvist"),
    # "se dire + attribute + que"
    ("La ministre Ilse Vogt s'est dite certaine que le budget serait adopté.", "le budget serait adopté",
     "Ilse Vogt"),
    # a space after the apostrophe does not hide "d'après"
    ("D' après la ministre Ilse Vogt, le budget sera adopté en juin.", "le budget sera adopté en juin", "Ilse Vogt"),
    # the inverted subject after a date the parser hangs it on
    ("« Le budget est prêt », a assuré le 4 avril la ministre Ilse Vogt.", "Le budget est prêt", "Ilse Vogt"),
    # a person noun and a demonym: the person the text gives a role of that country
    ("Le président chilien Tomás Vidal a reçu le Premier ministre danois Lars Holm. Le dirigeant danois a "
     "estimé que les échanges progressaient.", "les échanges progressaient", "Lars Holm"),
    # an unnamed official of a country is that country, not a name in a complement
    ("La Chine a reçu une délégation du Brésil. « Rien n'est décidé », a dit un responsable chinois à bord de "
     "l'avion de Lula.", "Rien n'est décidé", "Chine"),
    # a joint statement: its first-named signatory
    ("La ministre Ilse Vogt et son homologue Tomás Vidal se sont parlé lundi. Selon un communiqué conjoint, "
     "les deux pays renforceront leur coopération.", "les deux pays renforceront leur coopération", "Ilse Vogt"),
    # a general title covers the specific office the text gave ("la ministre" → the foreign minister)
    ("« Le dialogue reprendra », a déclaré la ministre norvégienne. Ingrid Dahl, ministre des Affaires "
     "étrangères de Norvège, s'exprimait à Oslo.", "Le dialogue reprendra", "Ingrid Dahl"),
    # a media noun: the last medium named (known to the KB, or introduced with such a noun)
    ("Le Figaro a publié l'enquête lundi. « Les comptes ont été falsifiés », écrit ce quotidien.",
     "Les comptes ont été falsifiés", "Le Figaro"),
    ("Le quotidien La Voix du Delta a révélé l'affaire. Selon le journal, « trois élus sont visés ».",
     "trois élus sont visés", "La Voix du Delta"),
    # "peut-on lire dans X": the document X, to its issuer
    ("« Deux cas ont été confirmés », peut-on lire dans le communiqué du ministère de la Santé.",
     "Deux cas ont été confirmés", "ministère de la Santé"),
    # a poll's findings go to who published it, named with its first mention
    ("Les électeurs hésitent, selon un sondage paru lundi dans le quotidien régional La Gazette du Nord. "
     "Ce même sondage révèle que 40 % des votants restent indécis.", "40 % des votants restent indécis",
     "La Gazette du Nord"),
    # the names in a complement of a noun that takes up a person do not speak
    ("Alertée par ses voisins, Claire Vidal a couru vers l'entrepôt. « Il n'y avait plus rien à sauver », "
     "explique cette habitante du quartier, bénévole au « Foyer Saint-Roch » depuis dix ans.",
     "Il n'y avait plus rien à sauver", "Claire Vidal"),
    # adjuncts of time, place and occasion between the verb and the inverted subject
    ("« Le processus est irréversible », a déclaré mardi à Bamako, lors d'une conférence de presse, "
     "le ministre malien Oumar Kané.", "Le processus est irréversible", "Oumar Kané"),
    ("« Nous irons jusqu'au bout », a lancé mercredi devant la presse, à l'issue de la réunion, Jean Moreau.",
     "Nous irons jusqu'au bout", "Jean Moreau"),
    # a caption header "Name, title :" on its own line
    ("Le débat a repris.\nMarie Dupont, présidente de l'association des riverains du port de Brest :\n"
     "« Nous ne voulons pas de ce terminal. »", "Nous ne voulons pas de ce terminal.", "Marie Dupont"),
    # verbs of the manner of speaking in an incise
    ("Anne Roux a vu l'usine brûler. « Il faudra tout reconstruire », soupirait-elle devant les pompiers.",
     "Il faudra tout reconstruire", "Anne Roux"),
    ("« On ne lâchera rien », sourit le syndicaliste Marc Olier.", "On ne lâchera rien", "Marc Olier"),
    ("« Le dossier est clos », tranche la ministre Inès Colin.", "Le dossier est clos", "Inès Colin"),
    # "ils" after a noun of quantity: the group it measures, and the body in its phrase
    ("Une vingtaine d'élus du Parti radical ont quitté la salle. « Ce vote est une farce », ont-ils lancé.",
     "Ce vote est une farce", "Parti radical"),
    # a ministry printed in lower case is a body, and issues the note that takes up its statement
    ("Le ministère letton de la défense a diffusé un bilan jeudi. « Deux drones ont été abattus », précise la note.",
     "Deux drones ont été abattus", "ministère letton de la défense"),
    ("« La délégation est attendue lundi », indique le communiqué du ministère tchèque des affaires étrangères.",
     "La délégation est attendue lundi", "ministère tchèque des affaires étrangères"),
    # a document's issuer can be the agent of a passive before it
    ("La mesure a été annoncée par le ministère de l'Intérieur. « Les contrôles seront renforcés », précise "
     "le communiqué.", "Les contrôles seront renforcés", "ministère de l'Intérieur"),
    # an impersonal clause before a colon: the author of the statement it names
    ("Il y a eu ensuite une déclaration de Tomás Vidal : « Nous voterons contre ».", "Nous voterons contre",
     "Tomás Vidal"),
    # an according phrase that runs to the colon speaks the quotation after it
    ("Le vote envoie un signal aux éleveurs, selon la ministre Ilse Vogt : « Nous tiendrons parole. »",
     "Nous tiendrons parole.", "Ilse Vogt"),
    ("Le vote envoie un signal aux éleveurs, selon la ministre Ilse Vogt : « Nous tiendrons parole. »",
     "Le vote envoie un signal aux éleveurs", "Ilse Vogt"),
    # a sentence naming a statement ("dans un tweet") introduces the quotation after it
    ("Tomás Vidal a rejeté le plan dans un message. « Ce projet est une erreur. »", "Ce projet est une erreur.",
     "Tomás Vidal"),
    # "ce dernier": the last person named
    ("Ilse Vogt a reçu Tomás Vidal. Ce dernier a réagi dans un communiqué. « Le projet est mort. »",
     "Le projet est mort.", "Tomás Vidal"),
    # a title whose holder the text introduces only afterwards
    ("Le ministre de la Santé a affirmé que les stocks suffiraient. Interrogé sur les prix, Omar Sy Diallo a "
     "indiqué que les tarifs seraient gelés.", "les stocks suffiraient", "Omar Sy Diallo"),
    # "par la voix de X": X speaks for the subject
    ("La Norvège, par la voix de son ambassadeur à l'ONU, Lars Holm, a fait part de ses doutes : « Nous "
     "voulons plus de garanties. »", "Nous voulons plus de garanties.", "Lars Holm"),
    ("Le Chili a réagi par la voix de sa ministre Ana Salas : « C'est inacceptable. »", "C'est inacceptable.",
     "Ana Salas"),
    # a definite document noun takes up the document named before, to its issuer
    ("Ilse Vogt et Tomás Vidal ont assuré dans un communiqué commun que le dialogue reprendrait. Le Chili a "
     "salué l'annonce. « Les deux parties poursuivront leur travail », selon le communiqué.",
     "Les deux parties poursuivront leur travail", "Ilse Vogt"),
    # a group word stands for the body the article names (groups.toml), tagged a noun or a pronoun
    ("L'Union européenne se réunit. « Nous devons aider la Moldavie », ont souligné les Vingt-Sept.",
     "Nous devons aider la Moldavie", "Union européenne"),
    ("L'Union européenne se réunit. Les Vingt-Sept ont estimé que la Moldavie devait être aidée.",
     "la Moldavie devait être aidée", "Union européenne"),
    ("L'OTAN tient conseil à Oslo. Les Alliés ont assuré que la Norvège serait protégée.",
     "la Norvège serait protégée", "OTAN"),
    ("« Nous devons aider la Moldavie », ont souligné les Vingt-Sept.", "Nous devons aider la Moldavie", None),
    # a participle after a speech verb with a subject of its own continues that subject, not the last speaker
    ("Le Chili dément. Le porte-parole du gouvernement chilien a démenti toute ingérence, assurant que "
     "Santiago respectait ses voisins.", "Santiago respectait ses voisins", "Chili"),
    ("Ana Salas a reçu Tomás Vidal. « Nous avançons », a dit Tomás Vidal. Ana Salas a démenti toute "
     "rupture, assurant que le dialogue continuait.", "le dialogue continuait", "Ana Salas"),
    # "selon" + any other source noun opens a claim, even when its source is no entity
    ("Selon le décompte de la police, quatre mille personnes ont défilé.", "quatre mille personnes ont défilé",
     None),
    ("D'après l'agenda publié par l'Élysée, le président se rendra à Dakar.", "le président se rendra à Dakar",
     "Élysée"),
    # a noun of an age: the person the text gave that age, else the last person named
    ("Le juge a entendu Paul Tardieu, 72 ans, et Omar Diallo, 45 ans. « Je n'ai rien caché », a déclaré le "
     "septuagénaire.", "Je n'ai rien caché", "Paul Tardieu"),
    ("Le juge a entendu Paul Tardieu, 72 ans, et Omar Diallo, 45 ans. « Je n'ai rien caché », a déclaré le "
     "quadragénaire.", "Je n'ai rien caché", "Omar Diallo"),
    # a subject that takes up a person carries the topic to the pronoun after it
    ("Paul Tardieu a reçu son homologue belge Marc Olier. Ce dernier a plaidé pour une position commune. "
     "« Il faut parler d'une seule voix », a-t-il dit.", "Il faut parler d'une seule voix", "Marc Olier"),
    ("Le président chilien Tomás Vidal est arrivé à Lima. Marc Olier l'attendait à l'aéroport. Le chef de "
     "l'État a salué la coopération. « Nous avançons », a-t-il dit.", "Nous avançons", "Tomás Vidal"),
    # a seat after an elided article: the holder of the office it names
    ("La présidente française, Inès Marchal, a reçu le chancelier. « Rien n'est joué », a glissé la "
     "locataire de l'Élysée.", "Rien n'est joué", "Inès Marchal"),
    # a demonym noun: the person the text gives that nationality in a title beside the name
    ("La ministre de la Santé, la juriste sénégalaise Awa Ndiaye, a reçu Paul Girard. La Sénégalaise a "
     "estimé que le plan était prêt.", "le plan était prêt", "Awa Ndiaye"),
    ("Le chef de l'opposition, le député flamand Wim Peeters, a pris la parole après Ana Salas. « Nous "
     "voterons contre », a martelé le Gantois.", "Nous voterons contre", "Wim Peeters"),
    # "Celui-ci", "Celle-ci" opening a sentence: the last person named of that gender
    ("M. Lenoir a renvoyé la question à M. Varga. Celui-ci a assuré que le texte serait amendé.",
     "le texte serait amendé", "Varga"),
    ("Ana Salas a reçu Marta Ruiz et Paul Girard. Celle-ci a affirmé que le dialogue continuait.",
     "le dialogue continuait", "Marta Ruiz"),
    # after a country spoke (an unnamed official), "il" is the man named since
    ("Un haut responsable allemand a indiqué que Berlin hésitait. La ministre Ana Salas a ensuite reçu le "
     "Premier ministre Paul Girard. Il lui a assuré que Paris tiendrait parole.", "Paris tiendrait parole",
     "Paul Girard"),
    # a report inside a report: the one who reports it stays the last speaker
    ("Le ministre Paul Girard reçoit dans son bureau. Il affirme que son homologue Marc Olier lui a assuré "
     "que les otages seraient libérés. « J'attends qu'il tienne parole », a-t-il confié.",
     "J'attends qu'il tienne parole", "Paul Girard"),
    # a demonym noun's own form gives its gender ("l'Autrichien"), past a woman who spoke last
    ("« Nous signerons », a dit la ministre Ana Salas. Le commissaire européen, Karl Huber, a salué "
     "l'accord. L'Autrichien a précisé que la Commission n'était pas partie au texte.",
     "la Commission n'était pas partie au texte", "Karl Huber"),
    # a definite person noun with a nationality: the person of that nationality, not the country
    ("La représentante de la France a interpellé son homologue russe, Piotr Orlov. Le diplomate russe a "
     "répondu que Moscou présenterait son propre texte.", "Moscou présenterait son propre texte", "Piotr Orlov"),
    # the sentence before has a subject of the other gender and names one man: "il" is him
    ("« Nous restons unis », a dit le secrétaire général Paul Girard. La présidente Ana Salas s'est "
     "entretenue avec le Premier ministre Marc Olier. Il lui a assuré que son pays était prêt.",
     "son pays était prêt", "Marc Olier"),
    # a title of a body named in its complement: the person the text introduced, whose rank is no office
    ("Le général Paul Girard s'est adressé à la nation. « Nous rendrons le pouvoir », a déclaré le "
     "président du Comité national de transition (CNT).", "Nous rendrons le pouvoir", "Paul Girard"),
    # an unnamed spokesperson of a country the text names only by its adjective: that country
    ("Selon un porte-parole du gouvernement bolivien, La Paz rejette la décision. Son avocat, Me Paul "
     "Girard, dénonce une procédure politique.", "La Paz rejette la décision", "Bolivie"),
    # a title behind a prefix is a title of its own: the person introduced, not the ministry's name
    ("Face à lui, le négociateur en chef iranien, Reza Tavakoli, reste prudent. Le vice-ministre des Affaires "
     "étrangères a estimé que rien n'était acquis.", "rien n'était acquis", "Reza Tavakoli"),
    # a capitalised demonym the tagger read as a pronoun
    ("« Rien n'est réglé », a écrit sur X la commissaire Liis Tamm. Dans un second message, l'Estonienne a "
     "ajouté que les sanctions suivraient.", "les sanctions suivraient", "Liis Tamm"),
    # "selon lequel": the phrase the relative takes up speaks
    ("Le rapport cite longuement le président tunisien, Kaïs Ben Ali, selon lequel la Tunisie « ne sera le "
     "gendarme de personne ».", "la Tunisie « ne sera le gendarme de personne »", "Kaïs Ben Ali"),
    ("Le rapport cite la ministre Ana Salas, selon laquelle le texte sera voté jeudi.",
     "le texte sera voté jeudi", "Ana Salas"),
    # an unnamed member of a body speaks for it
    ("Selon un négociateur de l'Union européenne, l'Arabie saoudite bloque le texte.",
     "l'Arabie saoudite bloque le texte", "Union européenne"),
    # the authorities, the government with no complement: the country the article is about
    ("Le Chili est secoué par des manifestations. Les autorités, elles, assurent que la police n'a fait que "
     "répondre.", "la police n'a fait que répondre", "Chili"),
    ("Le Chili est secoué par des manifestations. Selon le gouvernement, le calme est revenu.",
     "le calme est revenu", "Chili"),
    # "le même quotidien", its head tagged an adjective: the medium named before
    ("Selon le quotidien Yedioth, le cabinet est divisé. « Le gouvernement joue la montre », a écrit lundi le "
     "même quotidien dans son éditorial.", "Le gouvernement joue la montre", "Yedioth"),
    # a definite "le diplomate russe" after the text named him: the person, not the country
    ("À l'ONU, la Française Claire Roux s'est tournée vers son homologue russe, Ilia Orlov. La Russie a voté "
     "contre. Le diplomate russe a précisé que Moscou déposerait son propre texte.",
     "Moscou déposerait son propre texte", "Ilia Orlov"),
    # "la ministre française" after the text gave her the office with no country
    ("« Nous avons trouvé un terrain d'entente », a assuré Claire Dumas, la ministre de l'Économie. Le "
     "secrétaire américain au Trésor est resté ferme. La ministre française a reconnu que des divergences "
     "demeuraient.", "des divergences demeuraient", "Claire Dumas"),
    # an age noun as the subject carries the topic to the pronoun after it, past a body that spoke
    ("Selim Kaya, 72 ans, brigue un nouveau mandat. Selon l'agence officielle Anadolu, il recueille 47 % des "
     "voix. Le septuagénaire est apparu au balcon. « Nous avons gagné », a-t-il lancé.", "Nous avons gagné",
     "Selim Kaya"),
    # a seat of a government named by its street address
    ("Le Premier ministre belge, Jeroen Claes, a réagi. « Le budget était sur la table », a insisté jeudi le "
     "locataire du 16 rue de la Loi.", "Le budget était sur la table", "Jeroen Claes"),
    # words in marks nothing attributes, repeated in an attributed quote (a headline, an intertitle)
    ("« Une porte ouverte »\n\nLa ministre Ana Salas a reçu les syndicats. « Nous laissons une porte ouverte "
     "au dialogue », a-t-elle déclaré.", "Une porte ouverte", "Ana Salas"),
    ("Tomás Vidal a quitté la salle. « Pas de compromis sur les retraites », a lancé le sénateur Marc Olier.\n\n"
     "« Pas de compromis »", "Pas de compromis", "Marc Olier"),
    # a country said it, a person said the same words: the person
    ("« Le scrutin s'est bien déroulé », estiment les autorités\n\nLe Chili a voté dimanche. Le ministre de "
     "l'Intérieur Paul Girard a affirmé que « le scrutin s'est bien déroulé ».", "Le scrutin s'est bien déroulé",
     "Paul Girard"),
    ("« Une porte ouverte »\n\nLa ministre Ana Salas a reçu les syndicats. « Nous restons fermes », "
     "a-t-elle déclaré.", "Une porte ouverte", None),
]


@pytest.mark.parametrize("text,quote,speaker", REFERENCE)
def test_speaker_reference_and_attribution(analyze, text, quote, speaker):
    an = analyze(text, dct="2024-05-02")
    q = next((q for q in an.quotes if quote in q.text or q.text in quote and len(q.text) > 10), None)
    assert q is not None, [x.text for x in an.quotes]
    assert q.speaker == speaker, (q.speaker, q.cue)


# -------------------------------------------------------------- gold

def test_dev_gold_quote_speakers(dev_gold, pipeline):
    from conftest import SCORER
    if not SCORER.is_file():
        pytest.skip("scorer not available")
    spec = importlib.util.spec_from_file_location("depeche_scorer", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    sys.modules["depeche_scorer"] = scorer
    spec.loader.exec_module(scorer)
    golds = scorer.load_gold_dir(SCORER.parent.parent / "data" / "dev")
    systems = {}
    for g in golds.values():
        systems[g["id"]] = pipeline.analyze(g["text"], dct=g["dct"], id=g["id"]).to_dict()
    rows, _, _ = scorer.score(golds, systems, False)
    f1 = {r["layer"]: r["f1"] for r in rows}
    assert f1["quote_direct"] >= 0.9
    assert f1["quote_indirect"] >= 0.8
    # regression floors a little under the last measurement on the 33 dev
    # articles (0.69 / 0.71); the targets are issue 13's and `make eval`'s
    assert f1["quote_direct_speaker"] >= 0.65
    assert f1["quote_indirect_speaker"] >= 0.65


def test_a_quotation_in_the_next_sentence_continues_the_speaker(analyze):
    text = ("« La réforme sera votée », a assuré la ministre Hélène Carrel. « Nous avons la majorité "
            "et le calendrier est tenu. »")
    quotes, _ = _quotes(analyze, text, "direct")
    assert [q.speaker for q in quotes] == ["Hélène Carrel", "Hélène Carrel"]


def test_a_quotation_after_another_name_does_not_continue(analyze):
    text = ("« La réforme sera votée », a assuré la ministre Hélène Carrel. Son rival Marc Brun a quitté la salle. "
            "« Rien n'est joué. »")
    quotes, _ = _quotes(analyze, text, "direct")
    assert quotes[-1].speaker != "Hélène Carrel"


@pytest.mark.parametrize("lead", ["En tout, ", "Et surtout : ", "Une décision motivée par "])
def test_a_quotation_after_a_verbless_lead_in_continues_the_speaker(analyze, lead):
    text = f"« La réforme sera votée », a assuré la ministre Hélène Carrel. {lead}« douze députés ont changé d'avis »."
    quotes, _ = _quotes(analyze, text, "direct")
    assert [q.speaker for q in quotes] == ["Hélène Carrel", "Hélène Carrel"]


@pytest.mark.parametrize("text", [
    # a finite verb of the narrator's, or another name, before the quotation: no continuation
    "« La réforme sera votée », a assuré la ministre Hélène Carrel. Le texte évoque « une avancée pour tous ».",
    "« La réforme sera votée », a assuré la ministre Hélène Carrel. Selon Marc Brun, « rien n'est joué ».",
])
def test_a_quotation_with_a_lead_of_its_own_does_not_continue(analyze, text):
    quotes, _ = _quotes(analyze, text, "direct")
    assert quotes[-1].speaker != "Hélène Carrel"


def test_a_prefix_that_is_no_repetition_makes_no_speech_verb(analyze):
    # "ré" + a consonant is no repetition: "réclamer" is not "clamer" again
    quotes, _ = _quotes(analyze, "Le syndicat a réclamé que les salaires augmentent.", "indirect")
    assert quotes == []


def test_knowing_is_no_report(analyze):
    quotes, _ = _quotes(analyze, "La voisine Anne Roux est sortie lorsqu'elle a su que l'usine brûlait.", "indirect")
    assert quotes == []


@pytest.mark.parametrize("text, first, second", [
    ("Le porte-parole a rejeté les accusations, rappelant que Paris respectait le traité et soulignant que "
     "la campagne était injustifiée.", "Paris respectait le traité", "la campagne était injustifiée"),
    ("Elle a regretté que les promesses ne soient pas tenues, tandis qu'il a assuré que Berlin tiendrait "
     "parole.", "les promesses ne soient pas tenues", "Berlin tiendrait parole"),
    ("Elle s'est dite convaincue que le texte passerait, quand il a reconnu que le vote serait serré.",
     "le texte passerait", "le vote serait serré"),
])
def test_a_second_report_closes_the_first(analyze, text, first, second):
    spans = [q.text for q in analyze(text, dct="2024-05-02").quotes if q.kind == "indirect"]
    assert first in spans and second in spans, spans


def test_a_contrast_clause_without_speech_stays_in_the_claim(analyze):
    an = analyze("Il a affirmé que la ville était calme alors que les manifestants occupaient la place.",
                 dct="2024-05-02")
    assert [q.text for q in an.quotes] == ["la ville était calme alors que les manifestants occupaient la place"]
