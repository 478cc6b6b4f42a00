"""Word lists and patterns every layer shares: calendar words, years, and the word tokenisers."""

from __future__ import annotations

import re

MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTH_ABBREVIATIONS = "jan feb mar apr jun jul aug sep sept oct nov dec".split()
# Lower-case day and month names: a capitalised one starts no longer name ("Astana Tuesday").
CALENDAR_WORDS = frozenset(word.lower() for word in (*WEEKDAYS, *MONTHS))
# Words that make a mention a date: a day or month name, or a month's abbreviation.
DATE_WORDS = CALENDAR_WORDS | frozenset(MONTH_ABBREVIATIONS)
# A month as written in datelines and bylines, abbreviated or not: "Jan.", "Sept", "June".
MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
MONTH_NAME_PATTERN = "(?:" + "|".join(MONTHS) + ")"
YEAR_PATTERN = r"(?:19|20)\d{2}"
YEAR_RE = re.compile(rf"\b{YEAR_PATTERN}\b")
# A word as mention rules read it: letters, digits, apostrophes and hyphens ("Xi's", "Kazakh-").
WORD_RE = re.compile(r"[\w'’-]+")
# A plain run of word characters: what negation and hedge cues are looked up by.
PLAIN_WORD_RE = re.compile(r"\w+")
# A search term of `suggest`, on folded lower-case text: "belt-and-road", "2025".
TERM_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A word as name finding reads it: hyphenated parts join, apostrophes split ("Xi" of "Xi's").
NAME_WORD_RE = re.compile(r"\w+(?:-\w+)*")

# Clause marks (see `judgement.view`): punctuation, contrast words, relative words, and the
# subordinators that also end a negation's scope.
CLAUSE_PUNCTUATION = ",;:()[]"
CONTRAST_WORDS = ("but", "while", "whereas", "although", "though")
RELATIVE_WORDS = ("which", "who", "whom", "whose", "where", "when")
SUBORDINATORS = ("however", "that", "because", "since", "after", "before", "unless", "yet")
