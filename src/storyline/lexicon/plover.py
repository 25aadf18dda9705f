"""The PLOVER event-type lexicon: trigger lemmas and the modality rules that turn them into types.

PLOVER (the CAMEO successor, https://github.com/openeventdata/PLOVER) codes *what one actor does
to another* in 16 types. The lexicon below is written from the CAMEO/PLOVER category definitions
(CAMEO2PLOVER-2021 and the CAMEO manual's verb descriptions) and ordinary English verb classes,
not from any annotated sentence. Three tables:

* ``VERBS``: a verb lemma that by itself names the event ("shelled" -> ASSAULT);
* ``PHRASALS``: verb + particle ("blow up", "step down", "call off");
* ``NOUNS``: an event noun, used when the verb is light ("held talks", "imposed a curfew",
  "began a hunger strike") or when no verb triggers.

``CONTROL`` verbs take another action as their complement ("agreed to cooperate", "refused to
withdraw", "threatened to cut off", "demanded that X leave"): their own type wins, whatever the
complement is, because PLOVER codes the speech act. ``TRANSPARENT`` verbs ("continued to send",
"began shelling", "tried to hack") pass through to their complement. ``INTENT`` markers ("will",
"is ready to", "plans to") make a cooperative act an AGREE (PLOVER's "express intent to …")
and a hostile act a THREATEN; negating a cooperative act makes it a REJECT.
"""

from __future__ import annotations

TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

# PLOVER 0.5 names (used by the gold records) -> today's names.
RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}

# Acts a party can promise: coded AGREE when only intended, REJECT when refused.
COOPERATIVE = {"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "AGREE"}
# Acts a party can threaten: coded THREATEN when only intended.
HOSTILE = {"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "PROTEST"}


def _expand(table: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for type_, words in table.items():
        for w in words.split():
            out[w.replace("_", " ")] = type_
    return out


# Speech acts and verbs that carry their type whatever they govern.
CONTROL = _expand({
    "AGREE": "agree accept consent assure",
    "REJECT": "refuse decline reject deny oppose veto renege dismiss rebuff spurn "
              "defy resist",
    "THREATEN": "threaten warn",
    "REQUEST": "demand urge ask request appeal insist press pressure call_for "
               "call_on plead implore seek push",
    "ACCUSE": "accuse blame charge condemn denounce criticize criticise complain",
})

# Verbs of commitment: the act they promise, coded as intended ("vowed to fight" is a
# THREATEN, "pledged to send aid" an AGREE); AGREE when the act is not recognised.
PROMISE = {"promise", "pledge", "vow", "swear", "offer", "commit", "volunteer", "guarantee"}

# Verbs that pass the event through to their complement ("continued to send arms").
TRANSPARENT = set(
    "continue begin start resume try attempt manage go help move decide vote keep "
    "proceed step_up plan intend prepare expect hope aim want wish mean set be_set work "
    "schedule arrange "
    "speed speed_up finish complete".replace("_", " ").split()
)
# Of those, the ones that only announce an intention.
INTENT_VERBS = {"plan", "intend", "prepare", "expect", "hope", "aim", "want", "wish", "mean",
                "decide", "vote", "schedule", "arrange"}

# Reporting verbs: the event is in what they report, the actor is often their subject.
REPORTING = {"say", "tell", "report", "announce", "state", "add", "quote", "claim", "confirm", "declare", "reiterate", "note", "write", "disclose", "reveal", "insist", "conclude", "indicate", "explain", "stress", "assert", "allege", "according"}

VERBS = _expand({
    "CONSULT": "meet visit host telephone phone call_on discuss negotiate talk consult "
               "welcome receive mediate confer arrive travel tour convene",
    "AGREE": "agree promise pledge offer accept commit vow",
    "SUPPORT": "praise welcome endorse support back commend applaud hail defend "
               "apologize apologise forgive recognize recognise sign thank congratulate "
               "normalize normalise reaffirm",
    "COOPERATE": "cooperate collaborate share extradite coordinate exchange partner",
    "AID": "donate provide supply deliver send grant give fund finance airlift evacuate "
           "shelter feed contribute",
    "CONCEDE": "concede yield ease relax lift cancel allow permit pardon "
               "legalize legalise accede",
    "RETREAT": "withdraw retreat surrender resign demobilize demobilise disarm release "
               "free return pull_out step_down compensate repatriate",
    "REQUEST": "demand urge request appeal ask plead insist",
    "ACCUSE": "accuse blame criticize criticise condemn denounce complain sue charge "
              "indict investigate probe allege deplore protest_against rebuke slam "
              "castigate reproach censure summon convict",
    "REJECT": "reject refuse decline deny oppose veto renege dismiss rebuff violate",
    "THREATEN": "threaten warn",
    "PROTEST": "protest demonstrate rally march riot picket strike boycott block",
    "SANCTION": "sanction expel suspend halt embargo sever freeze recall cut "
                "downgrade postpone",
    "MOBILIZE": "mobilize mobilise deploy mass reinforce alert patrol",
    "COERCE": "arrest detain jail imprison seize confiscate ban outlaw deport raid "
              "censor blockade besiege occupy demolish raze hack "
              "prevent restrict prohibit crack_down round_up disperse bulldoze "
              "execute sentence expropriate nationalize",
    "ASSAULT": "attack shell bomb kill shoot strike fire wound assassinate massacre "
               "torture bombard invade storm ambush behead murder beat rape abuse "
               "abduct kidnap snatch shoot_down clash fight capture retake overrun explode "
               "blast rocket raid slaughter lynch injure",
})

PHRASALS = {
    ("blow", "up"): "ASSAULT",
    ("set", "fire"): "COERCE",
    ("step", "down"): "RETREAT",
    ("pull", "out"): "RETREAT",
    ("pull", "back"): "RETREAT",
    ("call", "off"): "CONCEDE",
    ("hand", "over"): "RETREAT",
    ("crack", "down"): "COERCE",
    ("round", "up"): "COERCE",
    ("shoot", "down"): "ASSAULT",
    ("beat", "up"): "ASSAULT",
    ("open", "fire"): "ASSAULT",
    ("cut", "off"): "SANCTION",
    ("break", "off"): "SANCTION",
    ("lay", "down"): "RETREAT",
    ("turn", "over"): "RETREAT",
    ("call", "for"): "REQUEST",
    ("call", "on"): "REQUEST",
    ("speak", "with"): "CONSULT",
    ("meet", "with"): "CONSULT",
    ("claim", "lives"): "ASSAULT",
    ("stop", "work"): "PROTEST",
    ("walk", "out"): "PROTEST",
    ("throw", "stones"): "PROTEST",
    ("throw", "rocks"): "PROTEST",
}

# Event nouns, for light verbs ("held talks") and verbless mentions ("a bomb attack").
NOUNS = _expand({
    "CONSULT": "talk talks meeting negotiation negotiations summit visit consultation "
               "consultations dialogue mediation conference discussion discussions trip "
               "welcome call",
    "AGREE": "agreement_in_principle consensus deal accord pledge commitment promise offer",
    "SUPPORT": "treaty agreement recognition apology support endorsement praise",
    "COOPERATE": "exercise exercises games war_games cooperation",
    "AID": "aid assistance donation asylum relief loan grant credit",
    "CONCEDE": "amnesty concession concessions",
    "RETREAT": "ceasefire cease-fire truce withdrawal pullout pullback resignation "
               "compensation",
    "REQUEST": "demand demands request appeal",
    "ACCUSE": "investigation probe inquiry hearing lawsuit suit complaint criticism "
              "accusation accusations allegation charges",
    "REJECT": "veto refusal rejection",
    "THREATEN": "threat threats warning ultimatum",
    "PROTEST": "protest protests demonstration demonstrations rally rallies march "
               "strike riot riots sit-in boycott hunger_strike",
    "SANCTION": "sanction sanctions embargo suspension expulsion",
    "MOBILIZE": "alert patrols patrol reinforcements mobilization deployment",
    "COERCE": "curfew blockade blockades arrest arrests raid crackdown siege "
              "state_of_emergency martial_law ban occupation state_of_siege restrictions",
    "ASSAULT": "attack attacks offensive invasion bombing bombings shelling airstrike "
               "airstrikes air_strike shootout clash clashes fighting fire gunfire "
               "assassination massacre war battle gunbattle explosion ambush "
               "skirmish skirmishes hostilities cleansing ethnic_cleansing",
})

# Verbs whose meaning is carried by their object noun ("held talks", "imposed a curfew").
LIGHT = {"hold", "stage", "launch", "impose", "begin", "start", "issue", "lodge", "make", "carry", "conduct", "take", "open", "mount", "declare", "announce", "organize", "organise", "give", "reach", "sign", "establish", "file", "put", "lift", "end", "set", "institute", "reimpose", "extend", "tighten", "enter", "conclude", "renew", "undertake", "have", "engage", "resort", "call"}

# Light verbs that end the act named by their object ("lifted the curfew", "ended mediation").
UNDOING = {"lift": "CONCEDE", "end": "SANCTION", "cancel": "SANCTION", "suspend": "SANCTION",
           "halt": "SANCTION", "break": "SANCTION", "reduce": "SANCTION", "cut": "SANCTION",
           "ease": "CONCEDE", "relax": "CONCEDE", "shorten": "CONCEDE"}
# Undoing a coercive measure is a concession; undoing cooperation is a sanction.
UNDO_COERCIVE = {"curfew", "blockade", "blockades", "ban", "siege", "sanctions", "sanction",
                 "embargo", "state of emergency", "martial law", "restrictions",
                 "restriction", "emergency", "state of siege", "measures"}

# Objects that change what a generic verb means ("send troops" vs "send aid").
MILITARY_OBJECTS = {"troops", "forces", "soldiers", "army", "reservists", "tanks",
                    "warships", "police", "units", "battalion", "battalions", "reinforcements"}
AID_OBJECTS = {"aid", "food", "medicine", "supplies", "assistance", "money", "arms",
               "weapons", "grant", "loan", "dollars", "tons", "equipment", "material",
               "intelligence", "relief", "asylum", "shelter", "medicines", "goods"}


def present_day(label: str) -> str:
    """A gold label in today's PLOVER names."""
    label = (label or "").strip().upper()
    return RENAMED.get(label, label)


def with_modality(base: str, intent: bool, negated: bool) -> str:
    """How PLOVER codes an act that is only intended or refused."""
    if negated:
        if base in COOPERATIVE or base in ("REQUEST",):
            return "REJECT"
        return base
    if intent:
        if base in COOPERATIVE:
            return "AGREE"
        if base in HOSTILE:
            return "THREATEN"
    return base


# Objects that make an act something else (CAMEO distinctions the verb alone does not make).
WITHDRAWN_PRESENCE = {"peacekeepers", "peacekeeping", "inspectors", "observers", "monitors",
                      "ambassador", "envoy", "diplomats", "workers", "mission", "staff"}
RECEIVED_PRESENCE = {"observers", "inspectors", "monitors", "mission", "peacekeepers",
                     "delegation"}
ROAD_OBJECTS = {"road", "roads", "street", "streets", "bridge", "highway", "highways",
                "traffic", "transport", "railway", "entrance", "roadway", "port", "access"}
SETTLEMENT_NOUNS = {"agreement", "deal", "accord", "consensus", "understanding",
                    "compromise", "settlement"}
TRUCE_NOUNS = {"ceasefire", "cease-fire", "truce", "armistice"}
# Subjects that make a gathering a rally (CAMEO 141: demonstrate or rally): "hundreds are
# gathering at the Capitol", not "leaders gathered for a summit".
CROWDS = {"hundreds", "thousands", "tens", "dozens", "scores", "crowd", "crowds", "throngs",
          "protesters", "protestors", "demonstrators", "marchers", "masses", "supporters"}
GATHER_VERBS = {"gather", "assemble", "converge", "throng", "flock"}
FORMAL_COMPLAINT_VERBS = {"lodge", "file", "register", "issue", "make", "deliver", "send"}
