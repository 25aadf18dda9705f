"""Office, title and organisation words: general English vocabulary, not names.

One home for the role vocabularies that name parsing, mention roles, entity merging and quote
speakers all read; each table says what it is for.
"""

from __future__ import annotations

# Title and office vocabulary (general English, not names): used to strip titles from names
# and to recognise roles in premodifiers and appositions.
ROLE_WORDS = frozenset(
    ["president", "vice", "prime", "minister", "ministers", "secretary", "spokesman", "spokeswoman", "spokesperson", "spokespeople", "chief", "deputy", "principal", "assistant", "under", "foreign", "defence", "defense", "interior", "finance", "state", "general", "chancellor", "premier", "king", "queen", "prince", "princess", "emperor", "sheikh", "emir", "sultan", "ayatollah", "leader", "head", "chairman", "chairwoman", "chair", "director", "envoy", "ambassador", "representative", "commissioner", "governor", "mayor", "senator", "congressman", "congresswoman", "lawmaker", "mp", "judge", "justice", "attorney", "prosecutor", "commander", "colonel", "lieutenant", "major", "captain", "admiral", "marshal", "sergeant", "officer", "official", "adviser", "advisor", "aide", "counsellor", "counselor", "speaker", "ceo", "founder", "executive", "pope", "patriarch", "archbishop", "bishop", "cardinal", "rabbi", "imam", "correspondent", "reporter", "editor", "analyst", "professor", "dr", "mr", "mrs", "ms", "sir", "dame", "lord", "lady", "secretary-general", "high", "special", "senior", "acting", "former", "first", "incumbent", "interim", "foreign-affairs", "affairs", "security", "national", "economy", "economic", "trade", "energy", "health"]
)
HONORIFICS = frozenset(
    ["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "sheikh", "president", "premier", "king", "queen", "prince", "princess", "gen", "general", "col", "colonel", "lt", "capt", "captain", "adm", "admiral", "sen", "senator", "rep", "gov", "governor", "mayor", "minister", "secretary", "chancellor", "ayatollah", "emir", "sultan", "pope", "judge", "justice"]
)
ORG_WORDS = frozenset(
    ["ministry", "department", "office", "council", "committee", "commission", "assembly", "parliament", "congress", "senate", "government", "administration", "agency", "authority", "bank", "fund", "union", "organization", "organisation", "association", "federation", "alliance", "party", "front", "movement", "army", "navy", "force", "forces", "guard", "corps", "police", "service", "services", "company", "corporation", "corp", "inc", "ltd", "group", "holdings", "institute", "university", "college", "school", "court", "tribunal", "board", "bureau", "centre", "center", "foundation", "network", "news", "times", "post", "press", "agency", "media", "television", "radio", "channel", "club", "league", "kremlin", "pentagon", "nato", "un", "eu", "who"]
)
# Nouns that head a role phrase ("State Department spokesman", "Foreign Minister").
ROLE_HEADS = frozenset(
    ["president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "chief", "chancellor", "premier", "king", "queen", "prince", "princess", "leader", "head", "chairman", "chairwoman", "chair", "director", "envoy", "ambassador", "representative", "commissioner", "governor", "mayor", "senator", "lawmaker", "judge", "prosecutor", "commander", "general", "officer", "official", "adviser", "advisor", "aide", "speaker", "ceo", "founder", "pope", "patriarch", "correspondent", "reporter", "editor", "analyst", "professor", "emir", "sultan", "ayatollah", "sheikh", "counterpart", "secretary-general", "diplomat"]
)

# Stems of offices whose holders are different people ("foreign minister" vs "president").
OFFICE_STEMS = ("president", "minister", "secretary", "spokes", "king", "chancellor", "governor",
               "mayor", "leader", "chief", "ambassador", "envoy", "general", "speaker")

# Words that stand for a speaker without naming one: a quote whose speaker stays one of these
# (or "the" + a noun: "the spokesman", "the agency") after resolution has no known speaker.
STAND_IN_SPEAKERS = frozenset(
    ["i", "me", "we", "us", "you", "he", "him", "she", "her", "they", "them", "it", "one",
     "someone", "somebody", "who", "this", "that"]
)

# Nouns for people that a report uses to refer back to someone it has named ("the
# 26-year-old student told …", "the lawyer added"), besides the titles of ROLE_HEADS.
PERSON_NOUNS = frozenset(
    ["man", "woman", "boy", "girl", "student", "lawyer", "attorney", "father", "mother", "son",
     "daughter", "brother", "sister", "wife", "husband", "widow", "widower", "friend", "neighbour",
     "neighbor", "resident", "witness", "victim", "survivor", "pilot", "captain", "doctor",
     "nurse", "teacher", "owner", "worker", "activist", "journalist", "author", "writer", "actor",
     "actress", "singer", "player", "coach", "researcher", "scientist", "economist", "expert",
     "candidate", "politician", "customer", "employee", "executive", "manager", "businessman",
     "businesswoman", "veteran", "soldier", "priest", "cleric", "suspect", "defendant",
     "plaintiff", "mayor", "host", "star", "rapper", "comedian", "farmer", "shopkeeper",
     "retiree", "mom", "dad", "grandmother", "grandfather", "uncle", "aunt", "cousin", "partner"]
)
