"""Each mention rule alone, on sentences that should and should not trip it (RuleTestCase-style).

A row names a rule, a ledger, a sentence and the value whose mention is looked at. Run with only
that rule switched on, a should-fail row's mention is decided by the rule, and a should-pass
row's is not. With every rule on, a should-fail row is still decided by the same rule: no earlier
rule pre-empts it. `tests/test_mentions.py` keeps the combined role cases as integration tests.
"""

from __future__ import annotations

import json
import re

import pytest

from checker.application.cli import ExitStatus
from checker.findings.results import MentionRole
from checker.judgement.mention_rules import RULES, Phase, RuleSet, undeclared_fields
from tests.harness import REPO, Project, check_texts

PLACE = """
claims:
  - id: c
    question: Where did the ministers meet?
    values: {Almaty: [Almaty], Astana: [Astana]}
    about: [met, meeting]
"""
TWO_EVENTS = """
claims:
  - id: c
    question: Where did the ministers meet?
    values: {Almaty: [Almaty], Astana: [Astana]}
    about: [met]
  - id: summit
    question: Where was the summit?
    values: {Almaty: [Almaty], Astana: [Astana]}
    about: [summit]
"""
SUMMIT = """
claims:
  - id: c
    question: Where was the summit held?
    values: {Almaty: [Almaty], Astana: [Astana]}
    about: [summit]
"""
PERSON = """
claims:
  - id: c
    question: Who led the delegation?
    values: {Wang Yi: [Wang Yi], Xi: [Xi]}
"""
SOURCE = """
claims:
  - id: c
    question: Which official gave the account?
    values: {Wang Yi: [Wang Yi], Xi: [Xi]}
"""
DATE = """
claims:
  - id: c
    question: On what day did the fair open?
    values: {May 4: [May 4], May 5: [May 5]}
    about: [fair, opens, opened]
"""
EDITION = """
claims:
  - id: c
    question: Which edition was the forum?
    values: {first: [first], second: [second]}
    about: [forum]
"""
MAGNITUDE = """
claims:
  - id: c
    question: What was the quake's magnitude?
    values: {"5.8": ["5.8"], "6.1": ["6.1"]}
    about: [quake, magnitude]
"""
DEPTH = """
claims:
  - id: c
    question: How deep was the quake?
    values: {"5.8": ["5.8"], "6.1": ["6.1"]}
    about: [quake]
"""
CHAIR = """
claims:
  - id: c
    question: Who chaired the talks?
    values: {Okafor: [Okafor], Lindqvist: [Lindqvist]}
    about: [chaired]
"""
GUESTS = """
claims:
  - id: c
    question: Who took part in the talks?
    kind: any-of
    values: {Okafor: [Okafor], Lindqvist: [Lindqvist]}
    about: [chaired]
"""
TALLY = """
claims:
  - id: c
    question: How many votes did Ferreira get?
    values: {"8,214": ["8,214"], "8,102": ["8,102"]}
    about: [votes]
"""

EPICENTRE = """
claims:
  - id: c
    question: Near which town was the epicentre?
    values: {Dunmore: [Dunmore], Kelso: [Kelso]}
"""
CHIEF = """
claims:
  - id: c
    question: Who is the company's chief executive?
    values: {Ines Varga: [Ines Varga], Tom Reyes: [Tom Reyes]}
    about: [chief executive]
"""
HOME_COACH = """
claims:
  - id: c
    question: Who coaches the home side?
    values: {Lund: [Lund], Berg: [Berg]}
    about: [coach]
    subject: [Atletico Sur, home]
"""
CITY = """
claims:
  - id: c
    question: In which city was the parade held?
    values: {Toronto: [Toronto], Milwaukee: [Milwaukee]}
"""
TERM = """
claims:
  - id: c
    question: How long a prison term did she receive?
    type: number
    unit: years
    values: {"20 years": {}, "5 years": {}}
    about: [sentenced, term, prison]
"""
CUP = """
claims:
  - id: c
    question: Which team won the 2031 Rimland Cup?
    values: {Norland: [Norland], Soria: [Soria]}
    about: [title, won]
"""
JUDGE = """
claims:
  - id: c
    question: Which judge passed the sentence?
    values: {Dalca: [Dalca], Morand: [Morand]}
    about: [handed down, gave, sentence]
"""
INFERRED = """
claims:
  - id: winner
    question: Which side won the final?
    values: {Norland: [Norland], Soria: [Soria]}
    about: [won]
  - id: c
    question: Who coached the winning side, Norland?
    values: {Lund: [Lund], Berg: [Berg]}
    about: [coach]
"""
TITLES = """
claims:
  - id: c
    question: Which title was it for Norland?
    type: ordinal
    values: {"16th": {}, "2nd": {}}
    about: [title]
"""
SHARE = """
claims:
  - id: winner
    question: Who won?
    values: {Ana Ruiz: [Ana Ruiz, Ruiz], Ben Ortiz: [Ben Ortiz, Ortiz]}
  - id: c
    question: What share did the winner, Ana Ruiz, receive?
    type: percent
    values: {"58%": {}, "10%": {}}
    about: [won, share]
"""
HOST = """
claims:
  - id: c
    question: As whose guest did the president visit?
    values: {Dalca: [Dalca], Morand: [Morand]}
    about: [invited, hosted]
"""
DAMAGES = """
claims:
  - id: c
    question: How much was awarded?
    values: {"$10 million": [$10 million], "$15m": [$15m]}
    about: [awarded]
"""
RUNOFF = """
claims:
  - id: c
    question: Who won the runoff?
    values: {Rivera: [Rivera], Osei: [Osei]}
    about: [won, beat, victory, winner, elected]
"""
BEATEN = """
claims:
  - id: c
    question: Who was beaten in the runoff?
    values: {Rivera: [Rivera], Osei: [Osei]}
    about: [beat, beaten, lost]
"""

# (rule, ledger, article text, value looked at, True when the rule decides that mention)
RULE_CASES = [
    ("MR001", PLACE, "The ministers met outside the Astana Times building.", "Astana", True),
    ("MR001", PLACE, "The ministers met in Astana on Friday.", "Astana", False),
    ("MR001", PLACE, "Ministers Met In Astana Hotel Lobby\n\nIt went well.", "Astana", False),
    (
        "MR001",
        CITY,
        "Toronto Raptors Hold Parade\n\nThe Toronto Raptors won, and Toronto Raptors fans sang.",
        "Toronto",
        True,
    ),
    (
        "MR001",
        CITY,
        "Toronto Raptors Hold Parade\n\nThe parade was held in Toronto.",
        "Toronto",
        False,
    ),
    ("MR002", PERSON, "The delegation was well prepared, Wang Yi said.", "Wang Yi", True),
    ("MR002", PERSON, "According to Wang Yi, the delegation was well prepared.", "Wang Yi", True),
    ("MR002", PERSON, "Wang Yi led a well prepared delegation.", "Wang Yi", False),
    ("MR002", SOURCE, "The delegation was well prepared, Wang Yi said.", "Wang Yi", False),
    ("MR002", CHIEF, "Sales rose, Ines Varga, the chief executive, said.", "Ines Varga", False),
    ("MR002", CHIEF, "Sales rose, Ines Varga, the head of sales, said.", "Ines Varga", True),
    ("MR002", CHIEF, "Sales rose, chief executive Ines Varga said.", "Ines Varga", False),
    ("MR003", DATE, "The fair opens from May 4 to 9 in the old port.", "May 4", True),
    ("MR003", DATE, "The fair opened on May 4 in the old port.", "May 4", False),
    ("MR004", EDITION, "The forum was the first of its kind in the region.", "first", True),
    ("MR004", EDITION, "The forum was the first in the region.", "first", False),
    ("MR005", MAGNITUDE, "The quake struck at a depth of 5.8 miles.", "5.8", True),
    ("MR005", MAGNITUDE, "The quake had a magnitude of 5.8.", "5.8", False),
    ("MR005", DEPTH, "The quake struck at a depth of 5.8 miles.", "5.8", False),
    ("MR006", PLACE, "The ministers met in a village 30 km south of Almaty.", "Almaty", True),
    ("MR006", PLACE, "The ministers met in Almaty's old town.", "Almaty", False),
    ("MR006", EPICENTRE, "The quake struck 16 km northwest of Dunmore.", "Dunmore", False),
    ("MR007", PLACE, "Astana is windy in March.", "Astana", True),
    ("MR007", PLACE, "The ministers met in Astana in March.", "Astana", False),
    ("MR008", TWO_EVENTS, "They met in Almaty to plan the summit in Astana.", "Astana", True),
    ("MR008", TWO_EVENTS, "They met in Almaty to plan the summit in Astana.", "Almaty", False),
    ("MR009", SUMMIT, "The first summit was held in Almaty in 2019.", "Almaty", True),
    ("MR009", SUMMIT, "The summit was held in Astana this week.", "Astana", False),
    ("MR010", MAGNITUDE, "The quake was revised down from an initial 6.1 to 5.8.", "6.1", True),
    ("MR010", MAGNITUDE, "The quake was revised down from an initial 6.1 to 5.8.", "5.8", False),
    (
        "MR011",
        CHAIR,
        "The talks were chaired late on Monday by Okafor, which Lindqvist opened.",
        "Lindqvist",
        True,
    ),
    (
        "MR011",
        CHAIR,
        "The talks were chaired late on Monday by Okafor, which Lindqvist opened.",
        "Okafor",
        False,
    ),
    (
        "MR011",
        GUESTS,
        "The talks were chaired late on Monday by Okafor, which Lindqvist opened.",
        "Lindqvist",
        False,
    ),
    (
        "MR012",
        TALLY,
        "A partial count gave Ferreira 8,102 votes.\n\nThe final count gave Ferreira 8,214 votes.",
        "8,102",
        True,
    ),
    ("MR012", TALLY, "A partial count gave Ferreira 8,102 votes.", "8,102", False),
    ("MR015", HOME_COACH, "The visitors' coach, Berg, blamed the referee.", "Berg", True),
    ("MR015", HOME_COACH, "Rovers coach Berg blamed the referee.", "Berg", True),
    ("MR015", HOME_COACH, "Atletico Sur coach Lund praised the crowd.", "Lund", False),
    ("MR015", HOME_COACH, "The home coach, Lund, praised the crowd.", "Lund", False),
    ("MR015", HOME_COACH, "The coach, Lund, praised the crowd.", "Lund", False),
    ("MR015", INFERRED, "Soria coach Berg blamed the referee.", "Berg", True),
    ("MR015", INFERRED, "Norland coach Lund praised the crowd.", "Lund", False),
    ("MR015", SHARE, "Ruiz won 58%, while Ben Ortiz, of the Greens, won 10%.", "10%", True),
    ("MR015", SHARE, "Ruiz won 58% to Ortiz's 10%.", "10%", True),
    ("MR015", SHARE, "Ruiz won 58% to Ortiz's 10%.", "58%", False),
    ("MR015", SHARE, "In the capital, the share for Ruiz was 58%.", "58%", False),
    ("MR016", HOST, "The president invited Morand to dinner.", "Morand", True),
    ("MR016", HOST, "Dalca invited the president to the capital.", "Dalca", False),
    ("MR016", HOST, "The president was hosted by Dalca.", "Dalca", False),
    ("MR016", RUNOFF, "Rivera beat Osei in the runoff.", "Osei", True),
    ("MR016", RUNOFF, "Voters elected Osei in the runoff.", "Osei", False),
    ("MR016", JUDGE, "Judge Dalca handed down the sentence to Morand.", "Dalca", False),
    ("MR016", JUDGE, "The court said Dalca gave Morand a sentence of ten years.", "Dalca", False),
    ("MR017", DAMAGES, "They awarded him $10 million ($15m) in damages.", "$15m", True),
    ("MR017", DAMAGES, "They awarded him $15m in damages.", "$15m", False),
    ("MR018", TERM, "Her lawyers had wanted a five-year term.", "5 years", True),
    ("MR018", TERM, "She was sentenced to a five-year prison term.", "5 years", False),
    (
        "MR009",
        CUP,
        "For Soria, whose only title came in the 2019 Rimland Cup, it hurt.",
        "Soria",
        True,
    ),
    ("MR009", CUP, "Soria won the title in the 2031 Rimland Cup.", "Soria", False),
    ("MR019", TITLES, "Norland won a second straight title.", "2nd", True),
    ("MR019", TITLES, "Norland won a second title in 2031.", "2nd", False),
    ("MR019", TITLES, "Norland scored in the second half.", "2nd", True),
    ("MR019", TITLES, "Norland won it for the second time.", "2nd", False),
    ("MR013", RUNOFF, "Rivera, the winner, shook hands with Osei.", "Osei", True),
    ("MR013", RUNOFF, "Rivera, the winner, shook hands with Osei.", "Rivera", False),
    ("MR013", BEATEN, "Osei, who lost, shook hands with Rivera.", "Rivera", True),
    ("MR013", BEATEN, "Osei, who lost, shook hands with Rivera.", "Osei", False),
    ("MR014", RUNOFF, "Rivera met Osei in the hall where the victory was told.", "Osei", True),
    ("MR014", RUNOFF, "Rivera and Osei both claimed victory.", "Osei", True),
    ("MR014", RUNOFF, "Rivera and Osei beat the incumbents.", "Osei", False),
    ("MR014", RUNOFF, "Rivera claimed victory in the runoff.", "Rivera", False),
]


def decisions(ledger: str, text: str, value: str, *, only: str | None = None) -> set[str]:
    """Return who decided each mention of a value: a rule's code, or "answer"."""
    disabled = [rule.code for rule in RULES if rule.code != only] if only else []
    report = check_texts(ledger, {"a": text}, disable_rules=disabled)
    [claim] = [c for c in report.claims if c.id == "c"]
    found = {e.rule or e.role for cell in claim.cells for e in cell.evidence if e.value == value}
    assert found, f"{value!r} was not matched at all"
    return found


@pytest.mark.parametrize(("code", "ledger", "text", "value", "fires"), RULE_CASES)
def test_the_rule_alone_decides_only_its_own_cases(
    code: str, ledger: str, text: str, value: str, fires: bool
) -> None:
    assert (decisions(ledger, text, value, only=code) == {code}) is fires


@pytest.mark.parametrize(
    ("code", "ledger", "text", "value"),
    [(code, ledger, text, value) for code, ledger, text, value, fires in RULE_CASES if fires],
)
def test_with_every_rule_on_the_same_rule_decides(
    code: str, ledger: str, text: str, value: str
) -> None:
    assert decisions(ledger, text, value) == {code}


def test_every_rule_has_a_should_fail_and_a_should_pass_row() -> None:
    for rule in RULES:
        rows = [fires for code, *_, fires in RULE_CASES if code == rule.code]
        assert True in rows, rule.code
        assert False in rows, rule.code


def test_a_switched_off_rule_lets_its_mention_count() -> None:
    text = "The delegation was well prepared, Wang Yi said."
    assert decisions(PERSON, text, "Wang Yi") == {"MR002"}
    report = check_texts(PERSON, {"a": text}, disable_rules=["speaker"])  # by name
    assert report.claims[0].cells[0].asserted == ("Wang Yi",)
    assert "MR002" not in report.mention_rules
    assert report.disabled_rules == ["MR002"]


def test_rules_are_unique_and_ordered_within_their_phase() -> None:
    assert len({rule.code for rule in RULES}) == len({rule.name for rule in RULES}) == len(RULES)
    enabled = RuleSet().enabled
    keys = [(rule.phase, rule.order) for rule in enabled]
    assert len(set(keys)) == len(keys)
    # Codes are public (disable-rules) and never renumbered: a new rule takes the next code and
    # runs where its phase and order put it.
    assert [rule.phase for rule in enabled] == sorted(
        (rule.phase for rule in enabled), key=list(Phase).index
    )


def test_each_rule_says_what_it_makes_of_a_mention() -> None:
    assert {rule.outcome for rule in RULES} <= {
        MentionRole.SOURCE,
        MentionRole.DROPPED,
        MentionRole.OTHER_EVENT,
        MentionRole.AMBIGUOUS,
    }


def test_every_claim_field_is_read_by_a_rule_or_marked_as_not_analysed() -> None:
    assert undeclared_fields() == frozenset()
    # A new field that no rule declares is caught.
    assert undeclared_fields({"id", "question", "deadline"}) == {"deadline"}


def test_the_readme_names_every_mention_rule_and_no_other() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### Mention roles", 1)[1].split("\n#### ", 1)[0]
    for rule in RULES:
        assert f"{rule.code} `{rule.name}`" in section, rule.code
    named = set(re.findall(r"\bMR\d{3}\b", section))
    assert named <= {rule.code for rule in RULES}


def test_an_unknown_rule_on_the_command_line_is_a_usage_error(project: Project) -> None:
    project.claims(PLACE)
    project.article("a.txt", "The ministers met in Astana.")
    result = project.run("--disable-rules", "MR002,MR999", "--no-reports")
    assert result.status is ExitStatus.ERROR
    assert "unknown mention rule 'MR999'; known: MR001 (name-part)" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_rule_in_the_settings_is_a_located_error(project: Project) -> None:
    (project.root / "crossfact.toml").write_text('fail-on = "error"\ndisable-rules = ["nope"]\n')
    project.claims(PLACE)
    project.article("a.txt", "The ministers met in Astana.")
    result = project.run("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.startswith("crossfact.toml:2:1: unknown mention rule 'nope'; known:")


def test_rules_from_the_settings_and_the_command_line_add_up(project: Project) -> None:
    (project.root / "crossfact.toml").write_text('disable-rules = ["speaker"]\n')
    project.claims(PLACE)
    project.article("a.txt", "The ministers met in Astana.")
    result = project.run("--disable-rules", "bearing", "--format", "json", "--no-reports")
    report = json.loads(result.stdout)
    assert report["disabled_rules"] == ["MR002", "MR006"]
    assert "MR002" not in report["mention_rules"]
    assert "MR001" in report["mention_rules"]


SUBJECT_CASES = [
    # (question, the file's other claims' values, the subject inferred)
    ("Who coached the winning side, Norland?", {"Norland": ["Norland"]}, ("Norland",)),
    (
        "What share did the winner, Ana Ruiz, get?",
        {"Ana Ruiz": ["Ana Ruiz", "Ruiz"]},
        ("Ana Ruiz", "Ruiz"),
    ),
    ("Who coached the winners?", {"Norland": ["Norland"]}, None),
    ("Who coached Norlanders?", {"Norland": ["Norland"]}, None),  # a word, not the name
]


@pytest.mark.parametrize(("question", "values", "subject"), SUBJECT_CASES)
def test_a_question_naming_another_claims_value_has_that_subject(
    question: str, values: dict[str, list[str]], subject: tuple[str, ...] | None
) -> None:
    from checker.base.claims import LocatedClaim, OneOfClaim
    from checker.judgement.index import claim_subjects

    def located(claim_id: str, q: str, vals: dict[str, list[str]]) -> LocatedClaim:
        claim = OneOfClaim.model_validate({"id": claim_id, "question": q, "values": vals})
        return LocatedClaim(claim=claim, path="claims/c.yaml", line=1, column=1)

    claims = [located("other", "Who won?", values), located("c", question, {"X": ["X"]})]
    assert claim_subjects(claims).get("c") == subject
