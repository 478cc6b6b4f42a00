"""The registry of finding kinds: code, default severity, summary, help, message and fingerprint.

Every finding the tool reports, from the engine, the ledger linter, the waivers or a load error,
is made through its kind's entry here, and every format and template reads these entries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from checker.base.claims import Severity


class FindingKind(StrEnum):
    """What a finding says."""

    CONFLICT = "conflict"
    CONTRADICTION = "contradiction"
    MIXED = "mixed"
    DIVERGENT = "divergent"
    STRAY = "stray"
    UNSUPPORTED = "unsupported"
    STALE_WAIVER = "stale-waiver"
    HIDDEN_CHARACTER = "hidden-character"
    SKIPPED_FILE = "skipped-file"
    STALE_FIGURE = "stale-figure"
    UPDATED_FIGURE = "updated-figure"
    AMBIGUOUS_EVIDENCE = "ambiguous-evidence"
    DEAD_ALIAS = "dead-alias"
    UNMATCHED_CLAIM = "unmatched-claim"
    SHADOWED_ALIAS = "shadowed-alias"
    GENERIC_ALIAS = "generic-alias"
    IDLE_CUE = "idle-cue"
    OVERLAPPING_CLAIMS = "overlapping-claims"
    MIXED_EVIDENCE = "mixed-evidence"
    TYPE_HINT = "type-hint"
    BOILERPLATE_PATTERN = "boilerplate-pattern"
    FAILING_EXAMPLE = "failing-example"
    CLAIM_FILE = "claim-file"
    SETTINGS = "settings"
    CORPUS = "corpus"


class Family(StrEnum):
    """Which part of the tool reports a kind."""

    CHECK = "check"  # claims against articles
    LEDGER = "ledger"  # crossfact validate: the ledger linted against the corpus
    WAIVER = "waiver"
    LOAD = "load"  # input that cannot be read; the run stops with exit code 2


@dataclass(frozen=True)
class Rule:
    """One finding kind's metadata."""

    kind: FindingKind
    code: str
    family: Family
    severity: Severity
    summary: str
    description: str
    help: str
    message: str  # a str.format template over the finding's message fields
    fingerprint: tuple[str, ...]  # the message fields that identify the finding's content
    claim_severity: bool = False  # a claim's own `severity` applies to this kind
    example: str = ""  # one finding as the terminal prints it (`crossfact rules CODE`)

    @property
    def name(self) -> str:
        """Return the kind in CamelCase, as SARIF rule names are written."""
        return "".join(part.title() for part in self.kind.value.split("-"))

    def format(self, fields: Mapping[str, str]) -> str:
        """Return the finding's message."""
        return self.message.format_map(fields)

    def fingerprint_of(self, fields: Mapping[str, str]) -> str:
        """Return the finding's content fingerprint: no line numbers, so it survives edits."""
        return fingerprint(self.kind.value, *(fields[part] for part in self.fingerprint))


def fingerprint(*parts: str) -> str:
    """Return a content-based id of some parts."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


_ENTRIES = (
    Rule(
        FindingKind.CONFLICT,
        "CF001",
        Family.CHECK,
        Severity.ERROR,
        "Articles disagree on a claim",
        "Two articles assert different values of a one-of claim, or one asserts what another "
        "denies.",
        "Check which article is right; if they describe different events, scope the claim or "
        "waive the finding with a reason.",
        "{claim}: articles disagree on {question}: {sides}",
        ("claim", "asserted_values", "denied_values"),
        claim_severity=True,
        example=(
            "seeds/000.txt:1:60: error CF001 conflict: meeting-location: articles disagree on"
            " 'Where did they meet?': 'Almaty' in 000; 'Astana' in 001"
        ),
    ),
    Rule(
        FindingKind.CONTRADICTION,
        "CF002",
        Family.CHECK,
        Severity.ERROR,
        "An article contradicts the verified answer",
        "The article asserts a value other than the claim's `expected` value, or denies it.",
        "Correct the article, or fix `expected` in the claim ledger if the verification was wrong.",
        "{claim}: {article} says {said} but the verified answer is {expected}",
        ("claim", "article", "content"),
        claim_severity=True,
        example=(
            "seeds/001.txt:13:203: error CF002 contradiction: trump-office: 001 says 'former "
            "President' but the verified answer is 'President'"
        ),
    ),
    Rule(
        FindingKind.MIXED,
        "CF003",
        Family.CHECK,
        Severity.WARNING,
        "An article is internally inconsistent",
        "The article asserts two values of a one-of claim, or asserts and denies one value.",
        "Make the article say one thing, or split the claim if both values can be true.",
        "{claim}: {article} is internally inconsistent ({said})",
        ("claim", "article", "content"),
        example=(
            "seeds/002.txt:4:12: warning CF003 mixed: meeting-location: 002 is internally "
            "inconsistent (asserts 'Almaty' and 'Astana')"
        ),
    ),
    Rule(
        FindingKind.DIVERGENT,
        "CF004",
        Family.CHECK,
        Severity.INFO,
        "Articles name different sets",
        "For an any-of claim, the articles name different sets of values.",
        "Usually informational; check that no article leaves out a value it should name.",
        "{claim}: articles name different sets ({sets})",
        ("claim", "all_sets"),
        example=(
            "seeds/000.txt:3:1: info CF004 divergent: members: articles name different sets "
            "('Kazakhstan', 'Uzbekistan' in 000; 'Kazakhstan' in 001)"
        ),
    ),
    Rule(
        FindingKind.STRAY,
        "CF005",
        Family.CHECK,
        Severity.WARNING,
        "An off-topic sentence no claim supports",
        "No claim supports the sentence, and its salient words (those English uses rarely) are"
        " used by no other sentence of the article, no claim covering it and no article that"
        " speaks to the same claims. Headlines, captions and credits are never stray.",
        "Check that the sentence belongs in the article (cut it if not); if it does, add a claim"
        " that covers it.",
        "no claim supports this sentence, and no other sentence or claim uses its salient"
        " words {terms}: {sentence}",
        ("claim", "article", "sentence_key"),
        example=(
            "seeds/000.txt:9:108: warning CF005 stray: no claim supports this sentence, and no"
            " other sentence or claim uses its salient words critically, sought, rebuild, Egypt,"
            " Arab: 'Most critically, it sought to rebuild Egypt’s relations with its Arab "
            "neighbors.'"
        ),
    ),
    Rule(
        FindingKind.UNSUPPORTED,
        "CF006",
        Family.CHECK,
        Severity.INFO,
        "A sentence no claim supports",
        "No claim in the ledger counted a mention in this sentence.",
        "Add a claim for the fact the sentence states, or accept it as context.",
        "no claim supports this sentence: {sentence}",
        ("claim", "article", "sentence_key"),
        example=(
            "seeds/000.txt:12:1: info CF006 unsupported: no claim supports this sentence: "
            "'Trade was discussed.'"
        ),
    ),
    Rule(
        FindingKind.STALE_WAIVER,
        "CF007",
        Family.WAIVER,
        Severity.INFO,
        "A waiver matches no finding",
        "The waiver's fingerprint matches no current finding: the finding was fixed or changed.",
        "Delete the waiver, or re-review the changed finding and waive its new fingerprint.",
        "waiver {waived} matches no current finding: {finding}",
        ("waived",),
        example=(
            "claims/waivers.yaml:3:5: info CF007 stale-waiver: waiver 3f2a91c0 matches no "
            "current finding: conflict on meeting-location"
        ),
    ),
    Rule(
        FindingKind.HIDDEN_CHARACTER,
        "CF008",
        Family.CHECK,
        Severity.WARNING,
        "An invisible or lookalike character hides inside a word",
        "A bidi control, zero-width or other invisible character sits inside a word, or a word "
        "mixes Latin letters with lookalikes from another script (Cyrillic а in Almaty) or "
        "small capitals, where it can make text read differently from how it displays.",
        "Delete or retype the character: crossfact matches the word as it reads (invisible "
        "characters dropped, lookalikes read as the letters they imitate, Unicode TR39), but "
        "other tools may not.",
        "{what} {character} inside {word}",
        ("article", "word", "character"),
        example=(
            "seeds/000.txt:5:14: warning CF008 hidden-character: zero-width space U+200B "
            "inside 'Ast\\u200bana'"
        ),
    ),
    Rule(
        FindingKind.SKIPPED_FILE,
        "CF009",
        Family.CHECK,
        Severity.WARNING,
        "A corpus file no reader takes",
        "The file is in the corpus folder, but no reader takes its format: it was not checked. "
        "Its format needs an extra (`crossfact[html]`), or crossfact has no reader for it.",
        "Install the extra named, convert the file to .txt, .md or .html, or move it out of "
        "the corpus.",
        "not read: {reason}",
        ("path", "reason"),
        example=(
            "corpus/scan.pdf:1:1: warning CF009 skipped-file: not read: .pdf: no reader for "
            "PDF files"
        ),
    ),
    Rule(
        FindingKind.STALE_FIGURE,
        "CF010",
        Family.CHECK,
        Severity.WARNING,
        "An article gives a figure that an update replaced before its date",
        "The claim dates its figures (`as_of`): the article, dated after a newer figure was "
        "published, still gives an older one. Right on its own day, old by the article's date.",
        "Update the figure in the article, or correct the article's date or the figure's as_of.",
        "{claim}: {article} (dated {date}) gives {said}, the figure of {said_as_of}; from "
        "{valid_as_of} it was {valid}",
        ("claim", "article", "said", "valid"),
        claim_severity=True,
        example=(
            "seeds/004.txt:7:21: warning CF010 stale-figure: death-toll: 004 (dated 2025-03-30) "
            "gives '1,644', the figure of 2025-03-29; from 2025-03-30 it was '2,056'"
        ),
    ),
    Rule(
        FindingKind.UPDATED_FIGURE,
        "CF011",
        Family.CHECK,
        Severity.INFO,
        "A figure rose from one dated article to the next",
        "The articles give different figures, and each later article gives a higher one, "
        'worded as an update ("rose to", "has climbed to") or on a claim marked '
        "`changes: true`: a count that grew, not a conflict.",
        "Nothing to fix if each figure was right on its day; date the figures with `as_of` so "
        "that an article that keeps an old figure is caught.",
        "{claim}: the figure rose across dated articles: {sides}",
        ("claim", "asserted_values"),
        example=(
            "seeds/002.txt:5:33: info CF011 updated-figure: death-toll: the figure rose across "
            "dated articles: '144' in 001 (2025-03-28); '1,644' in 002 (2025-03-29)"
        ),
    ),
    Rule(
        FindingKind.AMBIGUOUS_EVIDENCE,
        "CF012",
        Family.CHECK,
        Severity.INFO,
        "A sentence names several values and nothing decides which one answers",
        "One sentence names two or more values of a one-of claim, and no structural pattern "
        "(the subject of the cue verb, a passive 'by', a possessive, an apposition) puts one "
        "in the slot the claim asks about (MR014). The mentions are shown and never counted: "
        "the sentence cannot make a conflict, a contradiction or a mixed verdict.",
        "Read the sentence: if it does answer the claim, add a cue word that sits against the "
        "answer, or name the claim's `subject`; if it answers another question, nothing to do.",
        "{claim}: {article} names {candidates} in one sentence and nothing decides which "
        "answers it",
        ("claim", "article", "candidates"),
        example=(
            "seeds/000.txt:4:1: info CF012 ambiguous-evidence: winner: 000 names 'Osei', "
            "'Rivera' in one sentence and nothing decides which answers it"
        ),
    ),
    Rule(
        FindingKind.DEAD_ALIAS,
        "CF101",
        Family.LEDGER,
        Severity.WARNING,
        "An alias matches nothing in the corpus",
        "No article contains the alias (or no alias of the value): it may be misspelled.",
        "Check the spelling against the articles, or delete the alias.",
        "{claim}: {what} matches nothing in the corpus",
        ("claim", "value", "alias"),
        example=(
            "claims/ledger.yaml:9:18: warning CF101 dead-alias: meeting-location: alias "
            "'Nur-Sultan' matches nothing in the corpus"
        ),
    ),
    Rule(
        FindingKind.UNMATCHED_CLAIM,
        "CF102",
        Family.LEDGER,
        Severity.WARNING,
        "A claim matches no article",
        "No article in the claim's scope mentions any of its values.",
        "Check the aliases and the scope, or retire the claim.",
        "{claim}: the claim matches no article",
        ("claim",),
        example=(
            "claims/ledger.yaml:3:5: warning CF102 unmatched-claim: railway-gauge: the claim "
            "matches no article"
        ),
    ),
    Rule(
        FindingKind.SHADOWED_ALIAS,
        "CF103",
        Family.LEDGER,
        Severity.WARNING,
        "An alias only occurs inside a longer alias of another value",
        "Every match of the alias lies inside a longer alias of another value, which wins.",
        "Delete the alias, or check that the longer alias belongs to the value you mean.",
        "{claim}: alias {alias} of {value} only ever occurs inside a longer alias of another value",
        ("claim", "value", "alias"),
        example=(
            "claims/ledger.yaml:9:18: warning CF103 shadowed-alias: office: alias 'President "
            "Trump' of 'President' only ever occurs inside a longer alias of another value"
        ),
    ),
    Rule(
        FindingKind.GENERIC_ALIAS,
        "CF104",
        Family.LEDGER,
        Severity.WARNING,
        "An alias is too generic",
        "The alias is a stop word, or occurs in at least half of all sentences.",
        "Use a longer, more specific phrase, or add `about` cues to the claim.",
        "{claim}: alias {alias} {why}",
        ("claim", "value", "alias"),
        example=(
            "claims/ledger.yaml:9:18: warning CF104 generic-alias: office: alias 'the' is a "
            "stop word"
        ),
    ),
    Rule(
        FindingKind.IDLE_CUE,
        "CF105",
        Family.LEDGER,
        Severity.WARNING,
        "An about cue never occurs with a value",
        "The cue occurs in the corpus, but never in a sentence with one of the claim's values.",
        "Delete the cue or add the alias its sentences use.",
        "{claim}: about cue {cue} never occurs with a value",
        ("claim", "cue"),
        example=(
            "claims/ledger.yaml:11:12: warning CF105 idle-cue: meeting-location: about cue "
            "'talks' never occurs with a value"
        ),
    ),
    Rule(
        FindingKind.OVERLAPPING_CLAIMS,
        "CF106",
        Family.LEDGER,
        Severity.WARNING,
        "Two claims match the same spans",
        "Both claims count the same words of the same sentences.",
        "Merge the claims, or give them `about` cues that tell them apart.",
        "{claim}: matches the same {count} span(s) as claim {other}",
        ("claim", "other"),
        example=(
            "claims/ledger.yaml:3:5: warning CF106 overlapping-claims: host-city: matches the"
            " same 4 span(s) as claim meeting-location"
        ),
    ),
    Rule(
        FindingKind.MIXED_EVIDENCE,
        "CF107",
        Family.LEDGER,
        Severity.WARNING,
        "A claim's evidence is mixed within articles",
        "Some articles assert two values of the claim, often because they mention another "
        "occasion of the event (an earlier meeting, the first summit).",
        "If they do, list the words that mark those occasions under the claim's "
        "`other_occasions`; otherwise check the articles.",
        "{claim}: mixed in {count} article(s) ({articles}); if they mention another occasion, "
        "list its marker words under other_occasions",
        ("claim",),
        example=(
            "claims/ledger.yaml:3:5: warning CF107 mixed-evidence: meeting-location: mixed in"
            " 2 article(s) (000, 004); if they mention another occasion, list its marker "
            "words under other_occasions"
        ),
    ),
    Rule(
        FindingKind.TYPE_HINT,
        "CF111",
        Family.LEDGER,
        Severity.INFO,
        "A claim would be read better as a typed or dated claim",
        "The claim's values all read as figures or dates, yet it is a text claim (every form "
        "must be listed, and a figure can match inside a larger one); or every mention of it "
        "was put on another occasion by its year.",
        "Declare the `type` named (values written canonically), or name the claim's occasion "
        "with `when:` (README, Typed values and time).",
        "{claim}: {hint}",
        ("claim", "hint"),
        example=(
            "claims/ledger.yaml:3:5: info CF111 type-hint: death-toll: the values all read as "
            "counts: declare type: count"
        ),
    ),
    Rule(
        FindingKind.BOILERPLATE_PATTERN,
        "CF108",
        Family.LEDGER,
        Severity.INFO,
        "How many lines a boilerplate pattern of claims/boilerplate.txt drops",
        "Each of your patterns, with the lines of the corpus it drops as page chrome. A pattern "
        "that drops a large share of the lines (a warning) is likely to hide prose, and with it "
        "the claims the prose would contradict.",
        "Narrow the pattern to the chrome's own words.",
        "{file}: pattern {pattern} drops {count} of {lines} lines{why}",
        ("file", "pattern"),
        example=(
            "claims/boilerplate.txt:2:1: warning CF108 boilerplate-pattern: "
            "claims/boilerplate.txt: pattern '*said*' drops 812 of 2000 lines"
        ),
    ),
    Rule(
        FindingKind.FAILING_EXAMPLE,
        "CF110",
        Family.LEDGER,
        Severity.ERROR,
        "A claim's example gets a different verdict than its label",
        "The matcher reads the example sentence differently from what its label promises.",
        "Fix the aliases, cues or negation of the claim, or the example's label.",
        "{claim}: example for {label} {verdict}: {sentence}",
        ("claim", "label", "sentence"),
        example=(
            "claims/ledger.yaml:14:17: error CF110 failing-example: meeting-location: example"
            " for Almaty is silent: 'The summit was held in Almaty.'"
        ),
    ),
    Rule(
        FindingKind.CLAIM_FILE,
        "CF201",
        Family.LOAD,
        Severity.ERROR,
        "A claim or waiver file is invalid",
        "The file is not valid YAML, breaks the schema, or repeats a key or a claim id.",
        "Fix the file at the line and column given.",
        "{problem}",
        ("problem",),
        example=(
            "claims/ledger.yaml:5:5: error CF201 claim-file: unknown key 'expeted'; did you "
            "mean 'expected'?"
        ),
    ),
    Rule(
        FindingKind.SETTINGS,
        "CF202",
        Family.LOAD,
        Severity.ERROR,
        "The settings are invalid",
        "crossfact.toml or [tool.crossfact] in pyproject.toml holds an unknown key or a bad value.",
        "Fix the setting at the line given.",
        "{problem}",
        ("problem",),
        example=(
            "crossfact.toml:3:1: error CF202 settings: unknown key 'corpuss' in crossfact "
            "settings; known: corpus, claims, …"
        ),
    ),
    Rule(
        FindingKind.CORPUS,
        "CF203",
        Family.LOAD,
        Severity.ERROR,
        "An article cannot be read",
        "The article is not UTF-8 text, is too large, or cannot be read.",
        "Fix or remove the article.",
        "{problem}",
        ("problem",),
        example="seeds/a.txt:1:1: error CF203 corpus: not valid UTF-8 at byte offset 7",
    ),
)
RULES: dict[FindingKind, Rule] = {rule.kind: rule for rule in _ENTRIES}


def rule_for(code_or_kind: str) -> Rule | None:
    """Return the rule with a code (CF001) or kind name (conflict), if there is one."""
    wanted = code_or_kind.strip()
    return next(
        (r for r in _ENTRIES if wanted.upper() == r.code or wanted.lower() == r.kind.value),
        None,
    )


def severity(
    kind: FindingKind,
    overrides: Mapping[FindingKind, Severity],
    claim_severity: Severity | None = None,
) -> Severity:
    """Decide a finding's severity: the claim's own, else the configured one, else the default."""
    rule = RULES[kind]
    if rule.claim_severity and claim_severity is not None:
        return claim_severity
    return overrides.get(kind, rule.severity)
