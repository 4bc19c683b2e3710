"""The vocabulary of our IOD tables: plain frozen values, no behaviour per SOP class.

A table (one per SOP class, under :mod:`img2dcm.iods.tables`) lists the modules
the IOD uses; a module lists :class:`Rule` values (attribute, type 1/1C/2/2C/3,
condition, inventable default, the key that would supply it). The generic
routines in :mod:`img2dcm.iods.complete` and :mod:`img2dcm.iods.check` read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import datetime
from typing import Any

from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.tag import Tag

#: Strength of a requirement, used when two modules of one IOD list the same attribute.
TYPE_RANK = {"1": 5, "1C": 4, "2": 3, "2C": 2, "3": 1}


@lru_cache(maxsize=None)
def _tag_of(keyword: str) -> int | None:
    """The tag of a keyword, looked up once (checks ask for the same few hundred, per object)."""
    return tag_for_keyword(keyword)


def is_present(ds: Dataset, keyword: str) -> bool:
    """``keyword in ds``, without pydicom's per-call keyword parsing."""
    tag = _tag_of(keyword)
    return tag is not None and tag in ds.keys()


def _value_present(ds: Dataset, keyword: str) -> bool:
    """Present and not zero length (a sequence with at least one item)."""
    if not is_present(ds, keyword):
        return False
    value = ds[_tag_of(keyword)].value  # type: ignore[index]
    if value is None:
        return False
    if isinstance(value, (str, bytes)):
        return value != "" and value != b""
    if hasattr(value, "__len__"):
        return len(value) > 0
    return True


def values_of(ds: Dataset, keyword: str) -> list[Any]:
    """All values of an attribute as a list ([] when absent or empty)."""
    if not _value_present(ds, keyword):
        return []
    value = ds[_tag_of(keyword)].value  # type: ignore[index]
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return [value]
    return list(value)


@dataclass(frozen=True)
class Condition:
    """When a 1C/2C attribute is required, as a small expression over the dataset.

    Operators: ``present``/``absent``/``empty_or_absent``/``has_value`` (keyword),
    ``undecidable`` (keyword, the standard's wording: a condition that cannot be read from
    the dataset, taken as met exactly when the attribute has a value — so an empty one is
    dropped rather than invented), ``value`` (keyword, index, allowed values), ``frames_over_one``, ``points_to`` (Frame Increment Pointer
    includes the keyword's tag), ``module_present`` (module name, its keywords: any of
    them is in the dataset, even empty, as dciodvfy reads it), ``all``/``any``/``not``
    (sub-conditions).
    """

    op: str
    args: tuple[Any, ...] = ()

    def holds(self, ds: Dataset) -> bool:
        op, args = self.op, self.args
        if op == "present":
            return is_present(ds, args[0])
        if op == "absent":
            return not is_present(ds, args[0])
        if op == "empty_or_absent":
            return not _value_present(ds, args[0])
        if op in ("has_value", "undecidable"):
            return _value_present(ds, args[0])
        if op == "value":
            keyword, index, allowed = args
            values = values_of(ds, keyword)
            return len(values) > index and str(values[index]).strip() in allowed
        if op == "frames_over_one":
            values = values_of(ds, "NumberOfFrames")
            return bool(values) and int(values[0]) > 1
        if op == "points_to":
            target = Tag(args[0])
            return any(Tag(v) == target for v in values_of(ds, "FrameIncrementPointer"))
        if op == "module_present":
            return any(is_present(ds, keyword) for keyword in args[1])
        if op == "all":
            return all(c.holds(ds) for c in args)
        if op == "any":
            return any(c.holds(ds) for c in args)
        if op == "not":
            return not args[0].holds(ds)
        raise ValueError(f"unknown condition operator {op!r}")

    def describe(self) -> str:
        op, args = self.op, self.args
        if op in ("present", "absent"):
            return f"{args[0]} {op}"
        if op == "empty_or_absent":
            return f"{args[0]} absent or empty"
        if op == "has_value":
            return f"{args[0]} has a value"
        if op == "undecidable":
            return f"{args[1]} (not decidable from the dataset: taken as met only when {args[0]} has a value)"
        if op == "value":
            return f"{args[0]} value {args[1] + 1} is {'/'.join(args[2])}"
        if op == "frames_over_one":
            return "more than one frame"
        if op == "points_to":
            return f"Frame Increment Pointer points to {args[0]}"
        if op == "module_present":
            return f"{args[0]} module present"
        if op in ("all", "any"):
            joiner = " and " if op == "all" else " or "
            return "(" + joiner.join(c.describe() for c in args) + ")"
        return f"not {args[0].describe()}"


def present(keyword: str) -> Condition:
    return Condition("present", (keyword,))


def absent(keyword: str) -> Condition:
    return Condition("absent", (keyword,))


def has_value(keyword: str) -> Condition:
    return Condition("has_value", (keyword,))


def undecidable(keyword: str, wording: str) -> Condition:
    """A PS3.3 condition the dataset cannot answer (e.g. "temporally related images")."""
    return Condition("undecidable", (keyword, wording))


def value_is(keyword: str, *allowed: str, index: int = 0) -> Condition:
    return Condition("value", (keyword, index, tuple(allowed)))


def all_of(*conditions: Condition) -> Condition:
    return Condition("all", conditions)


def any_of(*conditions: Condition) -> Condition:
    return Condition("any", conditions)


def not_(condition: Condition) -> Condition:
    return Condition("not", (condition,))


MULTI_FRAME = Condition("frames_over_one")


def points_to(keyword: str) -> Condition:
    return Condition("points_to", (keyword,))


@dataclass(frozen=True)
class DefaultContext:
    """What a default may depend on: the clock, a UID source, the sources' lossiness."""

    now: datetime
    new_uid: Callable[[], str]
    lossy: bool = False


@dataclass(frozen=True)
class Default:
    """An inventable value.

    Kinds: ``value`` (a literal, or a list for multi-valued attributes), ``uid`` (a
    fresh UID), ``date``/``time``/``datetime`` (from the run's clock, time with
    seconds), ``code`` (a code sequence item: value, scheme, meaning), ``lossy_flag``
    (``01`` when any source was lossy, else ``00``).
    """

    kind: str
    value: Any = None

    def resolve(self, ctx: DefaultContext) -> Any:
        if self.kind == "value":
            return list(self.value) if isinstance(self.value, tuple) else self.value
        if self.kind == "uid":
            return ctx.new_uid()
        if self.kind == "date":
            return ctx.now.strftime("%Y%m%d")
        if self.kind == "time":
            return ctx.now.strftime("%H%M%S")
        if self.kind == "datetime":
            return ctx.now.strftime("%Y%m%d%H%M%S")
        if self.kind == "lossy_flag":
            return "01" if ctx.lossy else "00"
        if self.kind == "code":
            item = Dataset()
            item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = self.value
            return [item]
        raise ValueError(f"unknown default kind {self.kind!r}")

    def describe(self) -> str:
        if self.kind == "value":
            return "\\".join(self.value) if isinstance(self.value, tuple) else str(self.value)
        if self.kind == "code":
            return f"({self.value[0]}, {self.value[1]}, \"{self.value[2]}\")"
        return {"uid": "new UID", "date": "today", "time": "now (HHMMSS)",
                "datetime": "now", "lossy_flag": "00, or 01 for lossy sources"}[self.kind]


def literal(value: Any) -> Default:
    return Default("value", value)


def code(value: str, scheme: str, meaning: str) -> Default:
    return Default("code", (value, scheme, meaning))


@dataclass(frozen=True)
class ValuePosition:
    """What PS3.3 allows in one value ("Value n") of a multi-valued attribute such as Image Type.

    ``index`` is 0-based. ``values``: the enumerated values (empty: any); a zero-length
    value is allowed unless ``required``. ``required``: the value must be there and not
    empty — while ``condition`` holds, or always when it is None. ``exclusive``: the value
    must be absent or empty while ``condition`` does not hold. ``only_if``: (value,
    condition) pairs — that value is allowed only while its condition holds (e.g. DERIVED
    only with a Source Image Sequence that has items).
    """

    index: int
    values: tuple[str, ...] = ()
    required: bool = False
    condition: Condition | None = None
    exclusive: bool = False
    only_if: tuple[tuple[str, Condition], ...] = ()

    def violations(self, ds: Dataset, values: list[str]) -> list[str]:
        """One line per way ``values`` (the attribute's values as text) breaks this position."""
        number = self.index + 1
        text = values[self.index] if self.index < len(values) else ""
        holds = self.condition is None or self.condition.holds(ds)
        found: list[str] = []
        if not text:
            if self.required and holds:
                why = f" ({self.condition.describe()})" if self.condition is not None else ""
                found.append(f"value {number} is required{why}")
            return found
        if self.values and text not in self.values:
            found.append(f"value {number} '{text}' is not one of {', '.join(self.values)}")
        if self.exclusive and not holds and self.condition is not None:
            found.append(f"value {number} '{text}' must be empty unless {self.condition.describe()}")
        for value, condition in self.only_if:
            if text == value and not condition.holds(ds):
                found.append(f"value {number} '{text}' is allowed only when {condition.describe()}")
        return found


@dataclass(frozen=True)
class Rule:
    """One attribute of one module, as PS3.3 states it (and as dciodvfy reads it).

    ``exclusive``: a 1C/2C attribute that must be absent when its condition fails.
    ``satisfy``: a required 2C attribute whose requirement is better met by setting
    another attribute (keyword, value) than by an empty element — e.g. Laterality
    is not needed once Image Laterality ``U`` is sent.
    ``code``: a code sequence; each item needs CodeValue, CodingSchemeDesignator, CodeMeaning.
    ``warn_empty``: present but empty deserves a warning (dciodvfy's Laterality rule).
    ``positions``: what each value of a multi-valued attribute may hold (Image Type).
    """

    keyword: str
    type: str
    condition: Condition | None = None
    default: Default | None = None
    hint: str = ""
    values: tuple[str, ...] = ()
    exclusive: bool = False
    satisfy: tuple[str, str] | None = None
    code: bool = False
    warn_empty: bool = False
    positions: tuple[ValuePosition, ...] = ()

    def value_violations(self, ds: Dataset) -> list[str]:
        """How the attribute's values break ``positions`` ([] when absent or empty)."""
        if not self.positions or not _value_present(ds, self.keyword):
            return []
        texts = [str(v).strip() for v in values_of(ds, self.keyword)]
        return [line for position in self.positions for line in position.violations(ds, texts)]

    def required(self, ds: Dataset) -> str | None:
        """The effective type ("1" or "2") if this attribute is required here, else None."""
        if self.type in ("1", "2"):
            return self.type
        if self.type in ("1C", "2C") and self.condition is not None and self.condition.holds(ds):
            return self.type[0]
        return None

    def key_hint(self) -> str:
        return self.hint or f"{{{self.keyword}: ...}}"


#: Module usage in an IOD table (PS3.3 §A.1.3): Mandatory, Conditional, User option.
USAGES = ("M", "C", "U")


@dataclass(frozen=True)
class Module:
    """A PS3.3 module (or the part of it we check), with its usage in one IOD.

    Modules are written with usage ``M``; a table marks an optional one with
    :meth:`used_as`. An optional module is present when any attribute it lists is
    (so it must list its type 3 attributes too); only then are its type 1 and 2
    attributes required. Its 1C/2C attributes keep their own conditions, which for
    a ``C`` module already carry the module's condition.
    """

    name: str
    section: str
    rules: tuple[Rule, ...]
    usage: str = "M"

    def used_as(self, usage: str) -> "Module":
        """This module with the usage a given IOD table gives it."""
        if usage not in USAGES:
            raise ValueError(f"unknown module usage {usage!r}")
        return replace(self, usage=usage)

    def present(self) -> Condition:
        """Any of the module's attributes is in the dataset (dciodvfy: even empty)."""
        return Condition("module_present", (self.name, tuple(r.keyword for r in self.rules)))

    def effective_rules(self) -> tuple[Rule, ...]:
        """The rules as the IOD applies them: in an optional module, type 1/2 become
        1C/2C on the module being present (data element types, PS3.5 §7.4, bind only
        within an included module; dciodvfy checks them as soon as one attribute is there)."""
        if self.usage == "M":
            return self.rules
        when = self.present()
        return tuple(
            replace(rule, type=rule.type + "C", condition=when) if rule.type in ("1", "2") else rule
            for rule in self.rules
        )


@dataclass(frozen=True)
class Fixed:
    """A value the SOP class itself implies, set when the class is applied (before keys)."""

    keyword: str
    default: Default
    when: Condition | None = None
    overwrite: bool = True


@dataclass(frozen=True)
class PixelFormat:
    """One combination of Image Pixel values an IOD accepts (HighBit is BitsStored − 1)."""

    samples: int
    photometric: tuple[str, ...]
    bits_allocated: int
    bits_stored: tuple[int, int]  # inclusive range
    pixel_representation: int = 0

    def mismatch(self, facts: "PixelFacts") -> str | None:
        """None when accepted, else the first attribute that does not fit."""
        if facts.bits_allocated != self.bits_allocated:
            return "BitsAllocated"
        if facts.samples != self.samples:
            return "SamplesPerPixel"
        if facts.photometric not in self.photometric:
            return "PhotometricInterpretation"
        if not self.bits_stored[0] <= facts.bits_stored <= self.bits_stored[1]:
            return "BitsStored"
        if facts.high_bit != facts.bits_stored - 1:
            return "HighBit"
        if facts.pixel_representation != self.pixel_representation:
            return "PixelRepresentation"
        if self.samples > 1 and facts.planar_configuration not in (0, None):
            return "PlanarConfiguration"
        return None


@dataclass(frozen=True)
class PixelFacts:
    """The Image Pixel values that decide the SOP class, read from a dataset."""

    samples: int
    photometric: str
    bits_allocated: int
    bits_stored: int
    high_bit: int
    pixel_representation: int
    planar_configuration: int | None
    transfer_syntax: str = ""

    @staticmethod
    def from_dataset(ds: Dataset, transfer_syntax: str = "") -> "PixelFacts":
        def number(keyword: str, default: int = -1) -> int:
            values = values_of(ds, keyword)
            return int(values[0]) if values else default

        photometric = values_of(ds, "PhotometricInterpretation")
        planar = values_of(ds, "PlanarConfiguration")
        return PixelFacts(
            samples=number("SamplesPerPixel"),
            photometric=str(photometric[0]).strip() if photometric else "",
            bits_allocated=number("BitsAllocated"),
            bits_stored=number("BitsStored"),
            high_bit=number("HighBit"),
            pixel_representation=number("PixelRepresentation", 0),
            planar_configuration=int(planar[0]) if planar else None,
            transfer_syntax=transfer_syntax,
        )

    def describe(self) -> str:
        return (f"{self.bits_allocated}-bit {self.photometric} ({self.samples} sample"
                f"{'s' if self.samples != 1 else ''}, {self.bits_stored} stored)")


@dataclass(frozen=True)
class IodTable:
    """Everything we know about one SOP class.

    ``pixel_formats`` empty means any; ``photometric_by_syntax`` maps a transfer-syntax
    group (see :mod:`img2dcm.iods.syntaxes`) to the photometric interpretations the IOD
    allows for it (None: no restriction); ``max_frames`` None means multi-frame.
    """

    uid: str
    name: str
    family: str
    section: str
    modules: tuple[Module, ...]
    pixel_formats: tuple[PixelFormat, ...] = ()
    photometric_by_syntax: dict[str, tuple[str, ...]] | None = None
    max_frames: int | None = 1
    frame_increments: tuple[str, ...] = ()
    fixed: tuple[Fixed, ...] = ()
    rules: tuple[Rule, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        merged: dict[str, Rule] = {}
        for module in self.modules:
            for rule in module.effective_rules():
                old = merged.get(rule.keyword)
                if old is None or TYPE_RANK[rule.type] > TYPE_RANK[old.type]:
                    merged[rule.keyword] = rule
        object.__setattr__(self, "rules", tuple(merged.values()))

    def rule(self, keyword: str) -> Rule | None:
        return next((r for r in self.rules if r.keyword == keyword), None)

    def pixel_mismatch(self, facts: PixelFacts) -> str | None:
        """None when some pixel format of this IOD accepts ``facts``."""
        if not self.pixel_formats:
            return None
        reasons = [fmt.mismatch(facts) for fmt in self.pixel_formats]
        if any(reason is None for reason in reasons):
            return None
        return next(r for r in reasons if r)

    def photometric_allowed(self, facts: PixelFacts, syntax_group: str) -> bool:
        if self.photometric_by_syntax is None:
            return True
        allowed = self.photometric_by_syntax.get(syntax_group, self.photometric_by_syntax.get("*", ()))
        return facts.photometric in allowed
