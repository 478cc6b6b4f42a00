"""Recognise page chrome (tags, close buttons, visit counters, bylines) that is never a sentence."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

# Whole-line patterns over normalised, lower-cased text. They are short and anchored, so they
# cannot eat a real paragraph.
BUILTIN_PATTERNS: tuple[str, ...] = (
    r"tags?:?",
    r"tags?: .{0,80}",
    r"close( search window| menu| window)?",
    r"(open )?search( window)?",
    r"menu|home|print|email|share|share this( article| story| page)?|copy link",
    r"(facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest)",
    r"visited \d[\d,]* times?, \d[\d,]* visits?(\(s\))? today",
    r"written by\b.{0,80}",
    r"(posted|published|updated|last updated)( on| at)?:? [^.]{0,60}\d[^.]{0,40}",
    r"\d{1,2}:\d{2} ?(am|pm)?( \w+)?",
    r"advertisement|sponsored( content)?|skip to (main )?content|loading\.*|read more\.*",
    r"related( articles| posts| stories| news)?:?|you (may|might) also like:?",
    r"(leave a |post a )?(comment|reply)s?|\d+ comments?|no comments( yet)?",
    r"(subscribe|sign up|log ?in|sign in|register)( now| today| for .{0,40})?\.?",
    r"(photo|image|picture|video)( credit)?s?: .{0,80}",
    r"(©|\(c\) ?\d{4}|copyright (©|\(c\))? ?\d{4}).{0,100}|all rights reserved\.?",
    r"\d+ min(ute)?s? read",
    r"(previous|next) (article|post|story)",
    r"back to top|top of page|scroll to top",
    # Breadcrumbs: "Home / World / Asia", "News > Region".
    r"[\w .'&-]{1,25}(?: ?[/>»›|] ?[\w .'&-]{1,25}){2,6}",
    r"(?:home|news) ?[/>»›|] ?[\w .'&-]{1,25}",
    # Share widgets and contact prompts.
    r"[\w ]{0,20}(?:sharing|share) button|(?:tweet|pin it|inquire|enquire|contact us|feedback)",
    r"recommended( for you| stories)?:?|most (read|popular|viewed):?|trending( now)?:?",
    # Promotions and account prompts: "Get 40% Off", "Unlock full list", "Begin trading today!".
    r"get \d{1,2}% off\b.{0,40}|unlock (the )?full (list|article|story|access)\.?",
    r"(begin|start) (trading|investing)( today| now)?!?|create an? (free )?account\b.{0,60}",
    r"\W{0,2}(earnings|price|stock|deal|market) alert!.{0,80}",
    # Comment and reaction widgets: "You must be logged in to react.", "Load comments".
    r"you must be (logged|signed) in to (react|comment|reply|vote)\.?",
    r"click (any|a) reaction to (log ?in|sign in)\.?",
    r"(load|show|view|hide) (more |all )?comments?( \(\d+\))?",
    # Reaction widgets and agency notes: "What's your reaction?", "(With agency inputs)".
    r"what['’]?s your reaction\??|(like|love|haha|wow|sad|angry)( \d+)?",
    r"\(?(with|with inputs from|inputs from) (agency|agencies|pti|ani|ians|reuters|afp|ap)"
    r"( inputs| reports)?\)?\.?",
    r"(also read|also see|also watch|read next|read also|see also|must read|watch|read more)"
    r"(:|\s+[-–|])( .{0,100})?|also read|read next|must read",
    # Legal footers.
    r"(please )?(see|read|review|view) our privacy (policy|notice)\b.{0,100}",
    r".{0,60}committed to (safeguarding|protecting) your privacy\.?",
    r"privacy (policy|notice)|terms (of use|of service|and conditions)|cookie (policy|settings)",
)
MAX_BOILERPLATE_CHARS = 120
# Case matters for a byline: "By Jane Doe" is chrome, "By Saturday, talks had ended." is not.
_BYLINE = re.compile(
    r"(?:By|BY|Posted by|Reported by) (?:[A-Z][\w.'-]*|and|&)(?: (?:[A-Z][\w.'-]*|and|&)){0,5}"
)


# What a chrome line may start with before its free text: a label ("Tags:", "Photo:"), a
# copyright notice ("(c) 2025", "Copyright © 2025"), or a breadcrumb ("Home / World /").
_LABEL = re.compile(
    r"^(?:[^:.!?]{1,30}:\s+|(?:©|\(c\)|copyright)\s*(?:©|\(c\))?\s*\d{4}\s*"
    r"|(?:[\w .'&-]{1,25}\s?[/>»›|]\s?){2,6})",
    re.IGNORECASE,
)
_PIECES = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"[^\W\d_]+|\d+")
# The fewest letters a user's glob must spell out: "*" or "*a*" would match any line.
MIN_GLOB_LETTERS = 3


def sentence_like(text: str) -> bool:
    """Tell whether text reads as a statement: capitalised, four words or more, lower-case words
    among them, and a full stop at the end (a teaser's question or a promotion's exclamation
    after chrome is still chrome: "Price Alert! Which shares will climb next?")."""
    stripped = text.strip().rstrip("\"'”’)]")
    words = _WORDS.findall(stripped)
    return (
        len(words) >= 4
        and stripped[:1].isupper()
        and stripped.endswith(".")
        and not stripped.endswith("..")
        and sum(word.islower() and len(word) > 1 for word in words) >= 2
    )


def broad_glob(glob: str) -> bool:
    """Tell whether a user's glob spells out too little to be a chrome line's own words."""
    return sum(char.isalnum() for char in glob) < MIN_GLOB_LETTERS


class Boilerplate:
    """Built-in patterns plus the user's case-insensitive glob patterns."""

    def __init__(self, user_globs: Iterable[str] = ()) -> None:
        self.user_globs = tuple(user_globs)
        self._user = [re.compile(fnmatch.translate(g.lower())) for g in self.user_globs]
        sources = [*BUILTIN_PATTERNS, *(fnmatch.translate(g.lower()) for g in user_globs)]
        # fnmatch.translate output is anchored with \Z and uses atomic groups: linear time.
        self._pattern = re.compile("|".join(f"(?:{p})" for p in sources))
        self.signature = "\x1f".join(sources)  # what a cached parse depends on

    def matches(self, normalised_line: str) -> bool:
        """Tell whether a whole (normalised) line is page chrome."""
        line = normalised_line.strip().lower()
        if not line or len(line) > MAX_BOILERPLATE_CHARS:
            return False
        if self._pattern.fullmatch(line) is not None:
            return not self.carries_prose(normalised_line)
        return _BYLINE.fullmatch(normalised_line.strip()) is not None

    def user_glob(self, normalised_line: str) -> str | None:
        """Return the user's glob that makes a chrome line chrome, if one does."""
        line = normalised_line.strip().lower()
        for glob, pattern in zip(self.user_globs, self._user, strict=True):
            if pattern.fullmatch(line):
                return glob
        return None

    def carries_prose(self, normalised_line: str) -> bool:
        """Tell whether a line that looks like chrome goes on with a sentence of its own.

        Chrome is a whole line's role: "Tags: They met in Almaty." and "Written by staff. They
        met in Almaty." are prose after a chrome prefix, and stay prose. A piece that is itself
        chrome ("All rights reserved.") or a label's short tail ("Photo: Xinhua") is not prose.
        """
        for piece in _PIECES.split(normalised_line.strip()):
            if not self._pattern.fullmatch(piece.lower()):
                if sentence_like(piece):
                    return True
                continue
            label = _LABEL.match(piece)
            tail = piece[label.end() :] if label else ""
            if tail and sentence_like(tail) and not self._pattern.fullmatch(tail.lower()):
                return True
        return False
