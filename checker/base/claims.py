"""The claim ledger's models: a discriminated union of claim kinds, validated strictly."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from checker.base.quantities import (
    Target,
    ValueError_,
    ValueType,
    parse_target,
    parse_tolerance,
)
from checker.base.text import fold_key

CLAIM_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
MAX_ALIAS_CHARS = 200


class Severity(StrEnum):
    """How much a finding matters; a CI gate fails on findings at or above a threshold."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return a number that orders severities, error highest."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"\S")]
TextList = Annotated[
    list[NonEmptyText],
    BeforeValidator(_as_list, json_schema_input_type=NonEmptyText | list[NonEmptyText]),
]
AliasList = Annotated[
    list[NonEmptyText],
    Field(min_length=1),
    BeforeValidator(
        _as_list,
        json_schema_input_type=NonEmptyText | Annotated[list[NonEmptyText], Field(min_length=1)],
    ),
]
ISO_DAY = r"^(?:1[89]|20)\d{2}-[01]\d-[0-3]\d$"
OCCASION_PATTERN = r"^(?:1[89]|20)\d{2}(?:-[01]\d(?:-[0-3]\d)?)?$"
SILENT_EXAMPLE = "silent"
DENIES_PREFIX = "denies "
ClaimId = Annotated[str, StringConstraints(pattern=CLAIM_ID_PATTERN)]


class StrictModel(BaseModel):
    """A frozen model that rejects unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _value_spec(value: Any) -> Any:
    """Read a value's aliases given as a list (or one phrase) into its mapping form."""
    if value is None:
        return {"aliases": []}
    if value == []:  # written as a list, a value lists its phrases; a typed one may say {}
        raise PydanticCustomError("empty_aliases", "a value written as a list needs an alias")
    if isinstance(value, str | list):
        return {"aliases": _as_list(value)}
    return value


class ValueSpec(StrictModel):
    """One candidate answer: its aliases, and for figures that change, when it became true."""

    aliases: list[NonEmptyText] = Field(
        default_factory=list,
        description=(
            "Phrases that express the value. Required for text claims; a typed claim reads its "
            "value by meaning and lists here only wordings that are not the figure itself."
        ),
        examples=[["Almaty", "Kazakhstan's largest city"]],
    )
    as_of: Annotated[str, StringConstraints(pattern=ISO_DAY)] | None = Field(
        default=None,
        description=(
            "The date (YYYY-MM-DD) from which this figure was the right one: an article is "
            "judged against the figure valid on its own date."
        ),
        examples=["2025-03-10"],
    )
    known_wrong: bool = Field(
        default=False,
        description=("A wrong answer listed so that it is caught: never reported as a dead alias."),
        examples=[True],
    )

    @field_validator("aliases", mode="before")
    @classmethod
    def _one_alias_is_a_list(cls, aliases: Any) -> Any:
        return _as_list(aliases)


ValueEntry = Annotated[
    ValueSpec,
    BeforeValidator(
        _value_spec,
        json_schema_input_type=NonEmptyText
        | Annotated[list[NonEmptyText], Field(min_length=1)]
        | ValueSpec
        | None,
    ),
]


class ClaimBase(StrictModel):
    """Fields shared by every claim kind."""

    id: ClaimId = Field(
        description="Unique id across all claim files: [a-z0-9][a-z0-9._-]*.",
        examples=["meeting-location"],
    )
    question: NonEmptyText = Field(
        description="The question the claim answers.",
        examples=["Where did China and the five Central Asian states meet?"],
    )
    values: dict[NonEmptyText, ValueEntry] = Field(
        description=(
            "Candidate answers, each with the phrases (aliases) that express it in text, or a "
            "mapping {aliases, as_of, known_wrong}. Typed values are named canonically."
        ),
        min_length=1,
        examples=[{"Almaty": ["Almaty"], "Astana": ["Astana", "the Kazakh capital"]}],
    )
    type: ValueType = Field(
        default=ValueType.TEXT,
        description=(
            "What the values are: text (aliases, the default), or number, count, money, "
            "percent, date or ordinal, read by meaning in every written form."
        ),
        examples=["count"],
    )
    unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = Field(
        default=None,
        description="The unit of a number claim's values (km, years, minutes, tonnes …).",
        examples=["km"],
    )
    tolerance: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = (
        Field(
            default=None,
            description="How far a figure may be from a value and still state it: 0.5 or 2%.",
            examples=["2%"],
        )
    )
    when: Annotated[str, StringConstraints(pattern=OCCASION_PATTERN)] | None = Field(
        default=None,
        description=(
            "The occasion the claim is about (YYYY, YYYY-MM or YYYY-MM-DD), for a claim about "
            "a past event: mentions tied to it count, mentions tied to another year do not."
        ),
        examples=["2016"],
    )
    changes: bool = Field(
        default=False,
        description=(
            "The figure changes over time (a toll, a count): a later article with a higher "
            "figure is an update, not a conflict."
        ),
        examples=[True],
    )
    about: TextList = Field(
        default_factory=list,
        description="Cue words; a value mention counts only in a sentence containing one of them.",
        examples=[["met", "meeting", "summit"]],
    )
    other_occasions: TextList = Field(
        default_factory=list,
        description=(
            "Words that put a mention on another occasion than the article's own, besides the "
            "built-in ones (first, inaugural, previous, upcoming, …): e.g. '5th', 'Chengdu'."
        ),
        examples=[["fifth", "5th", "2023"]],
    )
    subject: TextList = Field(
        default_factory=list,
        description=(
            "Whose value the claim asks for: names of the party (e.g. 'Atletico Sur', 'the home "
            "side', 'home'). A mention whose cue belongs to another party (the visitors' coach, "
            "Rovers coach X) does not count (MR015)."
        ),
        examples=[["Atletico Sur", "the home side", "home"]],
    )
    scope: TextList = Field(
        default_factory=list,
        description="Globs of the article paths (or ids) the claim applies to (default: all).",
        examples=[["seeds/000_*"]],
    )
    severity: Severity | None = Field(
        default=None,
        description=(
            "Severity of this claim's conflicts and contradictions (default: the setting for "
            "the finding kind, else error)."
        ),
        examples=["warning"],
    )
    note: str | None = Field(
        default=None,
        description="Free text shown to reviewers.",
        examples=["Two different 2025 events may be conflated here."],
    )
    sources: TextList = Field(
        default_factory=list,
        description="Where the truth was verified (http(s) URLs become links).",
        examples=[["https://example.org/report"]],
    )
    examples: dict[NonEmptyText, TextList] = Field(
        default_factory=dict,
        description=(
            "Self-test sentences by expected verdict: a value name (asserts it), "
            "'denies VALUE', or 'silent'. `crossfact validate` checks each one."
        ),
        examples=[
            {
                "Almaty": ["The ministers met in Almaty on Saturday."],
                "denies Astana": ["The meeting was not held in Astana."],
                "silent": ["Trade ties were discussed."],
            }
        ],
    )

    @field_validator("examples")
    @classmethod
    def _example_labels_name_values(
        cls, examples: dict[str, list[str]], info: ValidationInfo
    ) -> dict[str, list[str]]:
        if "values" not in info.data:
            return examples  # the values failed validation and say so themselves
        values = info.data["values"]
        for label in examples:
            value = label.removeprefix(DENIES_PREFIX)
            if label != SILENT_EXAMPLE and value not in values:
                known = ", ".join([*(repr(v) for v in values), "'denies VALUE'", "'silent'"])
                raise _located(f"example label {label!r} is not one of {known}", label)
        return examples

    @field_validator("about")
    @classmethod
    def _cues_are_short(cls, about: list[str]) -> list[str]:
        for i, cue in enumerate(about):
            if len(cue) > MAX_ALIAS_CHARS:
                message = f"about cue is {len(cue)} characters long; the limit is {MAX_ALIAS_CHARS}"
                raise _located(message, i)
        return about

    @field_validator("values")
    @classmethod
    def _aliases_are_distinct(cls, values: dict[str, ValueSpec]) -> dict[str, ValueSpec]:
        owner: dict[str, str] = {}
        for value, spec in values.items():
            aliases = spec.aliases
            for i, alias in enumerate(aliases):
                key = fold_key(alias)
                if not key:
                    raise _located(f"value {value!r} has an empty alias", value, i)
                if len(alias) > MAX_ALIAS_CHARS:
                    # A phrase no article spells; long periodic ones make the automaton slow.
                    message = (
                        f"alias of value {value!r} is {len(alias)} characters long; "
                        f"the limit is {MAX_ALIAS_CHARS}"
                    )
                    raise _located(message, value, i)
                if key in owner:
                    where = "twice" if owner[key] == value else f"under {owner[key]!r} too"
                    message = f"alias {alias!r} of value {value!r} is listed {where}"
                    raise _located(message, value, i)
                owner[key] = value
        return values

    @model_validator(mode="after")
    def _typed_values_read(self) -> ClaimBase:
        if self.type is ValueType.TEXT:
            for value, spec in self.values.items():
                if not spec.aliases:
                    raise _located(f"value {value!r} has no aliases", "values", value)
            for name in ("unit", "tolerance"):
                if getattr(self, name) is not None:
                    raise _located(f"{name} needs a typed claim (type: number, money …)", name)
            return self
        if self.unit is not None and self.type not in (ValueType.NUMBER, ValueType.COUNT):
            message = "unit is for type: number or count (money and percent carry their own)"
            raise _located(message, "unit")
        for value in self.values:
            try:
                parse_target(self.type, value, self.unit)
            except ValueError_ as error:
                raise _located(f"value {error}", "values", value) from None
        if self.tolerance is not None:
            try:
                parse_tolerance(self.tolerance)
            except ValueError_ as error:
                raise _located(str(error), "tolerance") from None
        return self

    def alias_pairs(self) -> list[tuple[str, str]]:
        """Return every (value, alias) pair of the claim."""
        return [(value, alias) for value, spec in self.values.items() for alias in spec.aliases]

    def aliases(self, value: str) -> list[str]:
        """Return the aliases of one value."""
        return list(self.values[value].aliases)

    def targets(self) -> dict[str, Target]:
        """Return each value read as its type (empty for a text claim)."""
        if self.type is ValueType.TEXT:
            return {}
        return {value: parse_target(self.type, value, self.unit) for value in self.values}

    def dated(self) -> dict[str, str]:
        """Return the date from which each dated value was the right figure."""
        return {value: spec.as_of for value, spec in self.values.items() if spec.as_of}


class OneOfClaim(ClaimBase):
    """At most one value is true."""

    kind: Literal["one-of"] = Field(
        default="one-of",
        description="one-of (the default): at most one value is true.",
        examples=["one-of"],
    )
    expected: NonEmptyText | None = Field(
        default=None, description="The verified value.", examples=["Almaty"]
    )

    @model_validator(mode="after")
    def _expected_is_a_value(self) -> OneOfClaim:
        if self.expected is not None and self.expected not in self.values:
            raise _located(_unknown_expected(self.expected, self.values), "expected")
        return self

    @property
    def expected_values(self) -> frozenset[str]:
        """Return the verified values as a set."""
        return frozenset() if self.expected is None else frozenset([self.expected])


class AnyOfClaim(ClaimBase):
    """Several values may be true at once."""

    kind: Literal["any-of"] = Field(
        description="any-of: several values may be true at once.", examples=["any-of"]
    )
    expected: TextList | None = Field(
        default=None, description="The verified values.", examples=[["Kazakhstan", "Uzbekistan"]]
    )

    @model_validator(mode="after")
    def _expected_are_values(self) -> AnyOfClaim:
        for i, value in enumerate(self.expected or []):
            if value not in self.values:
                raise _located(_unknown_expected(value, self.values), "expected", i)
        return self

    @property
    def expected_values(self) -> frozenset[str]:
        """Return the verified values as a set."""
        return frozenset(self.expected or [])


def _located(message: str, *at: str | int) -> PydanticCustomError:
    """Build a validation error that names where, below the field, the problem sits."""
    return PydanticCustomError("ledger", "{message}", {"message": message, "at": list(at)})


def _unknown_expected(expected: str, values: Mapping[str, object]) -> str:
    names = ", ".join(repr(v) for v in values)
    return f"expected value {expected!r} is not one of the claim's values ({names})"


def _claim_kind(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("kind", "one-of"))
    return str(getattr(data, "kind", "one-of"))


Claim = Annotated[
    Annotated[OneOfClaim, Tag("one-of")] | Annotated[AnyOfClaim, Tag("any-of")],
    Discriminator(_claim_kind),
]
CLAIM_KINDS = ("one-of", "any-of")


class ClaimFile(StrictModel):
    """One YAML file of the ledger."""

    topic: str | None = Field(
        default=None,
        description="What the file's claims are about.",
        examples=["China and the five Central Asian states, 2025"],
    )
    claims: list[Claim] = Field(
        description="The claims: questions with candidate answers and their phrases.",
        examples=[
            [{"id": "meeting-location", "question": "Where?", "values": {"Almaty": ["Almaty"]}}]
        ],
    )


class LocatedClaim(BaseModel):
    """A claim together with where it was defined."""

    model_config = ConfigDict(frozen=True)

    claim: Claim
    path: str
    line: int
    column: int
    topic: str | None = None
    marks: dict[str, tuple[int, int]] = Field(
        default_factory=dict, description="Line and column of each part, by path: values/A/0."
    )

    def where(self, *part: str | int) -> tuple[int, int]:
        """Return the line and column of a part of the claim (or of the claim itself)."""
        return self.marks.get("/".join(str(p) for p in part), (self.line, self.column))


class Ledger(BaseModel):
    """Every claim of the ledger, sorted by id, plus its content hash."""

    model_config = ConfigDict(frozen=True)

    claims: tuple[LocatedClaim, ...]
    content_hash: str
