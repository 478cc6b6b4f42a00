"""Claim authoring: the JSON Schema, claim self-tests and the ledger linter."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from checker.application.cli import ExitStatus
from checker.base.errors import ClaimFileError
from checker.base.ledger import parse_claim_file
from checker.schema import claim_schema, schema_text, shipped_schema_text
from tests.harness import REPO, Project, location, run_cli


def validator() -> jsonschema.protocols.Validator:
    schema = claim_schema()
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_is_valid_against_its_metaschema() -> None:
    jsonschema.Draft202012Validator.check_schema(claim_schema())


def test_schema_and_shipped_file_and_command_agree() -> None:
    assert shipped_schema_text() == schema_text()
    assert run_cli("schema").stdout == schema_text()


def test_schema_carries_ids_at_the_root_only_and_documents_every_field() -> None:
    schema = claim_schema()
    text = json.dumps(schema["$defs"]) + json.dumps(schema["properties"])
    assert '"$schema"' not in text
    assert '"$id"' not in text
    for definition in [schema, *schema["$defs"].values()]:
        for name, prop in definition.get("properties", {}).items():
            assert prop.get("description"), name
            assert prop.get("examples"), name


@pytest.mark.parametrize("path", sorted((REPO / "claims").glob("*.yaml")), ids=lambda p: p.name)
def test_every_claim_file_validates_against_the_schema(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../checker/schema/claims.schema.json\n")
    validator().validate(yaml.safe_load(text))


AGREEMENT = [
    # (document, accepted by both)
    ("claims: [{id: a, question: q, values: {A: [a]}}]", True),
    ("claims: [{id: a, question: q, values: {A: a}}]", True),
    ("claims: [{id: a, kind: any-of, question: q, values: {A: [a]}, expected: A}]", True),
    ("claims: [{id: a, question: q, values: {A: [a]}, examples: {silent: [x]}}]", True),
    ("claims: [{id: a, question: q, values: {A: [a]}, severity: warning, scope: [x*]}]", True),
    ("claims: [{id: a, question: q}]", False),
    ("claims: [{id: a, question: q, values: {}}]", False),
    ("claims: [{id: a, question: q, values: {A: [a]}, valeus: {}}]", False),
    ("claims: [{id: A b, question: q, values: {A: [a]}}]", False),
    ("claims: [{id: a, kind: oneof, question: q, values: {A: [a]}}]", False),
    ("claims: [{id: a, question: ' ', values: {A: [a]}}]", False),
    ("claims: [{id: a, question: q, values: {A: [a]}, severity: fatal}]", False),
    ("claims: [{id: a, question: q, values: {A: []}}]", False),
    ("topic: t", False),
    ("claims: [{id: a, kind: any-of, question: q, values: {A: [a]}, expected: [A, [B]]}]", False),
]


@pytest.mark.parametrize(("document", "accepted"), AGREEMENT)
def test_schema_and_loader_agree(document: str, accepted: bool) -> None:
    schema_accepts = validator().is_valid(yaml.safe_load(document))
    try:
        parse_claim_file(document.encode(), "c.yaml")
        loader_accepts = True
    except ClaimFileError:
        loader_accepts = False
    assert (schema_accepts, loader_accepts) == (accepted, accepted)


SELF_TEST = """
claims:
  - id: loc
    question: Where?
    values:
      Almaty: [Almaty]
      Astana: [Astana]
    about: [met, meeting]
    examples:
      Almaty: ["The ministers met in Almaty on Saturday."]
      denies Astana: ["The meeting was not held in Astana."]
      silent: ["Trade ties were discussed."]
"""


@pytest.mark.parametrize(
    ("label", "sentence", "failure"),
    [
        ("Almaty", "They met in Almaty.", None),
        (
            "Almaty",
            "They met in Astana.",
            "loc: example for 'Almaty' asserts Astana: 'They met in Astana.'",
        ),
        ("Almaty", "Almaty is cold.", "loc: example for 'Almaty' is silent: 'Almaty is cold.'"),
        ("denies Astana", "They did not meet in Astana.", None),
        (
            "denies Astana",
            "They met in Astana.",
            "loc: example for 'denies Astana' asserts Astana: 'They met in Astana.'",
        ),
        ("silent", "Nothing here.", None),
        (
            "silent",
            "They met in Almaty.",
            "loc: example for 'silent' asserts Almaty: 'They met in Almaty.'",
        ),
    ],
)
def test_claim_examples_run_through_the_matcher(
    project: Project, label: str, sentence: str, failure: str | None
) -> None:
    project.claims(
        textwrap.dedent(f"""
        claims:
          - id: loc
            question: Where?
            values: {{Almaty: [Almaty], Astana: [Astana]}}
            about: [met, meet, meeting]
            examples:
              {label}: [{json.dumps(sentence)}]
    """)
    )
    project.article("a.txt", "They met in Almaty.")
    result = run_cli("validate", "--corpus", "corpus")
    if failure is None:
        assert result.status is ExitStatus.OK
        assert "CF110" not in result.stdout
    else:
        assert result.status is ExitStatus.FINDINGS
        [line] = [line for line in result.stdout.splitlines() if "CF110" in line]
        assert re.fullmatch(
            rf"claims/claims\.yaml:7:\d+: error CF110 failing-example: {re.escape(failure)}", line
        )


def test_the_seed_ledger_examples_all_pass_and_every_claim_has_one() -> None:
    for path in sorted((REPO / "claims").glob("*.yaml")):
        for located in parse_claim_file(path.read_bytes(), path.name):
            assert located.claim.examples, located.claim.id
    result = run_cli(
        "validate",
        "--root",
        str(REPO),
        "--claims",
        str(REPO / "claims"),
        "--corpus",
        str(REPO / "seeds"),
    )
    assert "CF110" not in result.stdout
    assert result.status is ExitStatus.OK


LINT_LEDGER = """
claims:
  - id: loc
    question: Where?
    values:
      Almaty: [Almaty, Alma-Ata]
      Astana: [Astana, Nur-Sultan]
      Kazakh capital: [capital]
      Bishkek: [Bishkek]
    about: [met, lunch]
  - id: city
    question: Which city?
    values:
      Almaty: [Almaty]
      Shymkent: [Shymkent]
  - id: article
    question: Articles?
    values:
      the: [the]
      a: [South Capital]
"""
LINT_CORPUS = {
    "a.txt": "They met in Almaty. The capital was busy. Lunch was served.",
    "b.txt": "They met in Astana, the capital. The South Capital hosted guests.",
}
EXPECTED_LINTS = [
    "claims/claims.yaml:2:5: warning CF107 mixed-evidence: loc: mixed in 1 article(s) (b); if they mention another occasion, list its marker words under other_occasions",
    "claims/claims.yaml:2:5: warning CF106 overlapping-claims: loc: matches the same 1 span(s) as claim 'city'",
    "claims/claims.yaml:5:24: warning CF101 dead-alias: loc: alias 'Alma-Ata' of 'Almaty' matches nothing in the corpus",
    "claims/claims.yaml:6:24: warning CF101 dead-alias: loc: alias 'Nur-Sultan' of 'Astana' matches nothing in the corpus",
    "claims/claims.yaml:8:16: warning CF101 dead-alias: loc: value 'Bishkek' ('Bishkek') matches nothing in the corpus",
    "claims/claims.yaml:9:18: warning CF105 idle-cue: loc: about cue 'lunch' never occurs with a value",
    "claims/claims.yaml:14:17: warning CF101 dead-alias: city: value 'Shymkent' ('Shymkent') matches nothing in the corpus",
    "claims/claims.yaml:15:5: warning CF107 mixed-evidence: article: mixed in 1 article(s) (b); if they mention another occasion, list its marker words under other_occasions",
    "claims/claims.yaml:18:13: warning CF104 generic-alias: article: alias 'the' is a stop word",
]


def test_the_linter_reports_each_kind_of_ledger_smell(project: Project) -> None:
    project.claims(LINT_LEDGER)
    for name, text in LINT_CORPUS.items():
        project.article(name, text)
    result = run_cli("validate", "--corpus", "corpus")
    lines = result.stdout.splitlines()
    assert lines[:-2] == EXPECTED_LINTS
    assert lines[-2:] == [
        "3 claims in 1 files: 0 example failure(s), 9 lint finding(s)",
        "result: OK, no finding at or above error",
    ]
    assert result.status is ExitStatus.OK
    assert run_cli("validate", "--corpus", "corpus", "--strict").status is ExitStatus.FINDINGS


def test_a_shadowed_alias_is_reported(project: Project) -> None:
    project.claims("""
    claims:
      - id: office
        question: Which office?
        values:
          former: [former President Donald Trump]
          sitting: [President Donald Trump]
    """)
    project.article(
        "a.txt", "Then former President Donald Trump spoke. Again former President Donald Trump."
    )
    lines = run_cli("validate", "--corpus", "corpus").stdout.splitlines()
    assert lines[0] == (
        "claims/claims.yaml:6:17: warning CF103 shadowed-alias: office: alias 'President Donald Trump' of 'sitting' "
        "only ever occurs inside a longer alias of another value"
    )


# -- suggest ------------------------------------------------------------------------------

EGYPT = "Most critically, it sought to rebuild Egypt’s relations with its Arab neighbors."


def test_suggest_output_is_claim_yaml_that_loads_back(seeds_project: Path) -> None:
    result = run_cli("suggest")
    assert result.status is ExitStatus.OK
    drafts = parse_claim_file(result.stdout.encode(), "suggested.yaml")
    # The Egypt sentence is stray: suggest offers to cut it and drafts no claim from it.
    assert not [
        d for d in drafts if d.claim.examples and EGYPT in next(iter(d.claim.examples.values()))
    ]
    assert f"stray: {EGYPT}\n#   off-topic (no other sentence or claim uses" in result.stdout
    assert all(d.claim.question.startswith("TODO: ") for d in drafts)
    # The drafts load next to the real ledger: ids do not clash, examples pass.
    (seeds_project / "claims" / "suggested.yaml").write_text(result.stdout, "utf-8")
    validated = run_cli("validate")
    assert validated.status is ExitStatus.OK, validated.stdout
    assert "CF110" not in validated.stdout


def test_suggest_points_a_sentence_at_the_claim_it_resembles(project: Project) -> None:
    project.claims("""
    claims:
      - id: venue
        question: Where did the foreign ministers meet?
        values: {Almaty: [Almaty], Astana: [Astana]}
        about: [met]
    """)
    project.article(
        "a.txt", "The ministers met in Almaty. The foreign ministers met in Shymkent later."
    )
    result = run_cli("suggest", "--corpus", "corpus")
    assert "#   claim 'venue' (claims/claims.yaml:2) (BM25" in result.stdout
    assert "add value 'Shymkent'" in result.stdout
    assert parse_claim_file(result.stdout.encode(), "s.yaml") == []


def test_suggest_for_one_article_only(seeds_project: Path) -> None:
    text = run_cli("suggest", "001_8ca5992aafb509e6").stdout
    assert text.startswith("# crossfact suggest: 0 suggestion(s), most useful first\n")
    assert parse_claim_file(text.encode(), "s.yaml") == []
    other = run_cli("suggest", "000_e909acf5820e5662").stdout
    assert (
        "off-topic (no other sentence or claim uses critically, sought, rebuild, Egypt, Arab): "
        "cut it, or add a claim if it belongs" in other
    )
    assert parse_claim_file(other.encode(), "s.yaml") == []


def test_suggest_for_an_unknown_article_is_a_usage_error(seeds_project: Path) -> None:
    result = run_cli("suggest", "nope")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.startswith("crossfact: error: no article 'nope'; known articles: 000_")


SUGGESTIONS = [
    # (sentence added to an article about the meeting, what suggest must say, or None)
    ("The ministers met again on April 27.", "add value 'April 27'"),
    ("The ministers met in Shymkent later.", "add value 'Shymkent'"),
    ("- Pursue closer cooperation", None),  # a verb-first list item: nothing to check
    ("Photo: Ministry of Trade", None),  # chrome
    ("The talks were cordial and long.", None),  # no name, number or date
    (
        "A railway of 800 km will link Kashgar and Osh by 2030.",
        "values 'Kashgar and Osh', '2030', '800'",
    ),
    # Off the article's topic (stray): never a draft, an offer to cut it.
    ("Floods closed roads in Peru for a week.", "Floods, roads, Peru): cut it"),
    # A clock time is when something happened that day, not a figure to draft.
    ("The train from Kashgar left at 10:33 a.m. with 240 people.", "values 'Kashgar', '240'\n"),
]


@pytest.mark.parametrize(("sentence", "expected"), SUGGESTIONS)
def test_suggestions_name_something_to_check_or_nothing(
    project: Project, sentence: str, expected: str | None
) -> None:
    project.claims("""
    claims:
      - id: venue
        question: Where did the ministers meet?
        values: {Almaty: [Almaty], Astana: [Astana]}
        about: [met]
      - id: day
        question: On what day did the ministers meet?
        values: {April 26: [April 26]}
        about: [met]
    """)
    project.article(
        "a.txt",
        f"The ministers met in Almaty on April 26 to discuss a railway to Kashgar.\n{sentence}\n",
    )
    result = run_cli("suggest", "--corpus", "corpus")
    assert result.status is ExitStatus.OK
    if expected is None:
        assert result.stdout.startswith("# crossfact suggest: 0 suggestion(s)")
    else:
        assert expected in result.stdout


# -- explain and show ---------------------------------------------------------------------


def test_explain_shows_verdicts_evidence_waivers_and_examples_in_80_columns(
    seeds_project: Path,
) -> None:
    run_cli("baseline")
    text = run_cli("explain", "trump-office").stdout
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "001_8ca5992aafb509e6: contradicts: former President" in text
    assert "»former President Donald Trump«" in text
    assert "[waived: baseline (reviewed by crossfact baseline on" in text.replace("\n   ", "")
    assert "  - ok President: This was because of the U.S. tariffs President Donald" in text


def test_show_annotates_every_sentence_in_80_columns(seeds_project: Path) -> None:
    text = run_cli("show", "seeds/000_e909acf5820e5662.txt").stdout
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "? 9:108 Most critically, it sought to rebuild Egypt’s relations with its Arab" in text
    assert "[off-topic: critically, sought, rebuild, Egypt, Arab]" in text


@pytest.mark.parametrize(
    ("command", "name", "error"),
    [
        ("explain", "nope", "crossfact: error: no claim 'nope'; known claims: agenda,"),
        (
            "show",
            "nope",
            "crossfact: error: no article 'nope'; known articles: 000_e909acf5820e5662,",
        ),
    ],
)
def test_unknown_names_are_usage_errors(
    seeds_project: Path, command: str, name: str, error: str
) -> None:
    result = run_cli(command, name)
    assert result.status is ExitStatus.ERROR
    assert result.stderr.startswith(error)


# -- ClaimReview --------------------------------------------------------------------------


def test_claimreview_export(seeds_project: Path) -> None:
    document = json.loads(run_cli("--format", "claimreview", "--no-reports").stdout)
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    report = json.loads(run_cli("--format", "json", "--no-reports").stdout)
    speaking = [
        (c["id"], v["article"])
        for c in report["claims"]
        for v in c["cells"]
        if v["verdict"] != "silent"
    ]
    assert [r["identifier"] for r in reviews] == [f"{c}@{a}" for c, a in speaking]
    trump = next(r for r in reviews if r["identifier"] == "trump-office@001_8ca5992aafb509e6")
    assert trump["@type"] == "ClaimReview"
    assert trump["reviewRating"]["alternateName"] == "contradicts"
    assert trump["reviewRating"]["ratingValue"] == 1
    assert trump["itemReviewed"]["appearance"]["url"] == "seeds/001_8ca5992aafb509e6.txt"
    assert trump["claimReviewed"] == "What office did Donald Trump hold in 2025? former President"


def test_claimreview_uses_the_front_matter_url(project: Project) -> None:
    project.claims("claims:\n  - id: loc\n    question: Where?\n    values: {Almaty: [Almaty]}\n")
    project.article(
        "a.md", "---\ntitle: T\nurl: https://news.example/a\n---\nThey met in Almaty.\n"
    )
    document = json.loads(project.run("--format", "claimreview", "--no-reports").stdout)
    [review] = document["@graph"]
    assert review["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork",
        "url": "https://news.example/a",
        "headline": "T",
    }


def test_validate_counts_the_lines_each_boilerplate_pattern_drops(project: Project) -> None:
    project.claims(location())
    lines = ["Share on Facebook", *(f"The ministers met in Almaty, day {n}." for n in range(12))]
    project.article("a.txt", "\n".join(lines) + "\n")
    (project.root / "claims" / "boilerplate.txt").write_text(
        "# ours\nshare on *\nthe ministers*\nnever in the corpus\n"
    )
    result = project.run("validate", "--corpus", "corpus", "--format", "json")
    found = {
        f["details"]["pattern"]: (f["severity"], int(f["details"]["dropped"]), f["line"])
        for f in json.loads(result.stdout)["findings"]
        if f["kind"] == "boilerplate-pattern"
    }
    assert found == {
        "share on *": ("info", 1, 2),
        "the ministers*": ("warning", 12, 3),  # 12 of 13 lines: it hides prose
        "never in the corpus": ("info", 0, 4),
    }
