"""The one generic completion routine: make a dataset satisfy its IOD table or say what is missing.

DCMTK's ``--do-checks`` semantics (reference §3.1/§3.2), driven by data:
type 2 absent -> inserted empty (``insert_type2``), type 1 absent or empty with a
default -> invented (``invent_type1``), anything else required -> collected, and
ONE :class:`ConversionError` lists every missing attribute with the key that
would supply it. Unlike DCMTK, an emptied type-1 UID is regenerated, never kept empty.
Then a 1C/2C attribute that is present but empty while its condition does not hold
is removed (``drop_empty_unconditioned``): it carries no information, and dciodvfy
reports it ("present when condition unsatisfied") for exclusive conditions.
Optional (U/C) modules are completed only when present: the table turns their type
1/2 attributes into 1C/2C on the module's presence (:meth:`Module.effective_rules`).
First of all, a value that breaks the table's per-value rules (``Rule.positions``,
e.g. a CT template's Image Type ``ORIGINAL\\PRIMARY\\AXIAL`` in VL Photographic) is
replaced by the table's default when it came from anywhere but a key: a template
describes another object, and the target IOD's rules win. A key's value is the
user's word and is reported in the one error instead.
"""

from __future__ import annotations

import logging
from typing import Any

from pydicom.dataset import Dataset

from img2dcm.errors import ConversionError
from img2dcm.iods.model import DefaultContext, IodTable, Rule, is_present, values_of
from img2dcm.profile.model import Checks
from img2dcm.provenance import DatasetBuilder, Source, SourceKind

log = logging.getLogger(__name__)

CODE_FIELDS = ("CodeValue", "CodingSchemeDesignator", "CodeMeaning")


def _item_has(item: Dataset, keyword: str) -> bool:
    if keyword == "CodeValue":
        return any(str(item.get(k, "") or "") for k in ("CodeValue", "LongCodeValue", "URNCodeValue"))
    return bool(str(item.get(keyword, "") or ""))


def incomplete_code_fields(ds: Dataset, keyword: str) -> list[str]:
    """``Keyword[i].Field`` for every code item field that is missing or empty."""
    if keyword not in ds or not ds[keyword].value:
        return []
    return [
        f"{keyword}[{index}].{name}"
        for index, item in enumerate(ds[keyword].value)
        for name in CODE_FIELDS
        if not _item_has(item, name)
    ]


def _target_required(table: IodTable, keyword: str) -> bool:
    rule = table.rule(keyword)
    return rule is not None and rule.type != "3"


def complete(builder: DatasetBuilder, table: IodTable, checks: Checks, dctx: DefaultContext) -> list[str]:
    """Insert/invent what ``table`` requires; raise ONE ConversionError for the rest.

    Returns one line per change made, for the report.
    """
    ds = builder.dataset
    missing: list[str] = []
    changes: list[str] = []
    wrong = replace_disallowed(builder, table, checks, dctx, changes)

    def invent(rule: Rule, value: Any, why: str) -> None:
        builder.put(rule.keyword, value, Source(SourceKind.INVENTED, why))
        changes.append(f"{rule.keyword} invented ({why})")

    for rule in table.rules:
        need = rule.required(ds)
        if need is None:
            continue
        keys = rule.key_hint()
        present = is_present(ds, rule.keyword)
        if need == "2":
            # An empty element with a ``satisfy`` target is no better than an absent one.
            if present and (rule.satisfy is None or builder.has_value(rule.keyword) or not checks.insert_type2):
                continue
            if rule.satisfy is not None and not _target_required(table, rule.satisfy[0]):
                target, value = rule.satisfy
                if checks.insert_type2:
                    builder.put(target, value, Source(SourceKind.INVENTED, f"satisfies {rule.keyword} (type 2C)"))
                    changes.append(f"{target} = {value} instead of an empty {rule.keyword}")
                else:
                    missing.append(f"{rule.keyword} (type 2C, not inserted: insert_type2 is off; keys: {keys})")
                continue
            if rule.satisfy is not None:
                continue  # the target is itself required and reported on its own
            if not checks.insert_type2:
                missing.append(f"{rule.keyword} (type 2, not inserted: insert_type2 is off; keys: {keys})")
            elif rule.default is not None and rule.default.kind != "lossy_step":
                invent(rule, rule.default.resolve(dctx), f"type 2, default {rule.default.describe()}")
            else:
                builder.put_empty(rule.keyword, Source(SourceKind.INSERTED_EMPTY, f"type {rule.type}"))
                changes.append(f"{rule.keyword} inserted empty")
            continue

        # type 1 (or a 1C whose condition holds)
        if builder.has_value(rule.keyword):
            if rule.code:
                _complete_code_items(builder, rule, checks, dctx, missing, changes)
            continue
        state = "empty" if present else "missing"
        if rule.default is None:
            missing.append(f"{rule.keyword} (keys: {keys})")
        elif rule.default.kind == "lossy_step":
            if not dctx.lossy:
                missing.append(f"{rule.keyword} (keys: {keys})")
        elif checks.invent_type1:
            invent(rule, rule.default.resolve(dctx), f"type {rule.type}, default {rule.default.describe()}")
        else:
            missing.append(f"{rule.keyword} ({state}, not invented: invent_type1 is off; keys: {keys})")

    problems = ([f"missing for {table.name}: " + ", ".join(missing)] if missing else []) + (
        [f"not allowed in {table.name}: " + ", ".join(wrong)] if wrong else [])
    if problems:
        raise ConversionError("; ".join(problems))
    changes.extend(drop_empty_unconditioned(builder, table))
    for line in changes:
        log.debug("%s: %s", table.name, line)
    return changes


def replace_disallowed(
    builder: DatasetBuilder, table: IodTable, checks: Checks, dctx: DefaultContext, changes: list[str]
) -> list[str]:
    """Replace every non-key value that breaks its rule's ``positions`` by the rule's default.

    Appends one report line per replacement to ``changes``; returns the violations that
    cannot be replaced (a key's value, no default, ``invent_type1`` off), for the error.
    """
    ds = builder.dataset
    wrong: list[str] = []
    for rule in table.rules:
        violations = rule.value_violations(ds)
        if not violations:
            continue
        given = "\\".join(str(v) for v in values_of(ds, rule.keyword))
        source = builder.source_of(rule.keyword)
        why = "; ".join(violations)
        if (source is not None and source.kind is SourceKind.KEY) or rule.default is None \
                or not checks.invent_type1:
            wrong.append(f"{rule.keyword} '{given}' ({why}; keys: {rule.key_hint()})")
            continue
        origin = f"the {source.kind.value}" if source is not None else "the dataset"
        builder.put(rule.keyword, rule.default.resolve(dctx),
                    Source(SourceKind.INVENTED, f"{origin}'s value is not allowed in {table.name}"))
        changes.append(f"{rule.keyword} '{given}' from {origin} is not allowed in {table.name} "
                       f"({why}): written {rule.default.describe()}")
    return wrong


def drop_empty_unconditioned(builder: DatasetBuilder, table: IodTable) -> list[str]:
    """Remove every 1C/2C attribute that is present, empty and not required here.

    Runs after completion, so a ``satisfy`` target set above (e.g. Image Laterality
    ``U``) already counts. Returns one report line per removal.
    """
    ds = builder.dataset
    removed: list[str] = []
    for rule in table.rules:
        if rule.type not in ("1C", "2C") or rule.condition is None:
            continue
        if is_present(ds, rule.keyword) and not builder.has_value(rule.keyword) and not rule.condition.holds(ds):
            builder.remove(rule.keyword)
            removed.append(f"empty {rule.keyword} removed (type {rule.type}, condition not met: "
                           f"{rule.condition.describe()})")
    return removed


def _complete_code_items(
    builder: DatasetBuilder,
    rule: Rule,
    checks: Checks,
    dctx: DefaultContext,
    missing: list[str],
    changes: list[str],
) -> None:
    """Complete a user's partial first code item from the default (DCMTK §3.2), else report it."""
    ds = builder.dataset
    gaps = incomplete_code_fields(ds, rule.keyword)
    if not gaps:
        return
    if rule.default is not None and rule.default.kind == "code" and checks.invent_type1:
        first = ds[rule.keyword].value[0]
        for name, value in zip(CODE_FIELDS, rule.default.value):
            if not _item_has(first, name):
                setattr(first, name, value)
                changes.append(f"{rule.keyword}[0].{name} invented ({value})")
        builder.mark(rule.keyword, Source(SourceKind.INVENTED, "completed code item"))
        gaps = incomplete_code_fields(ds, rule.keyword)
    for gap in gaps:
        missing.append(f"{gap} (keys: {rule.key_hint()})")
