"""Generic check of a dataset against our IOD tables: used after completion and by ``img2dcm check``.

Reads the same tables as completion; reports, never changes. For SOP classes we
have no table for, only the modules every image IOD shares are checked.
"""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.uid import UID

from img2dcm.iods import modules as m
from img2dcm.iods.complete import incomplete_code_fields
from img2dcm.iods.model import IodTable, Module, PixelFacts, Rule, is_present, values_of
from img2dcm.iods.registry import accepting_families, table_for_uid
from img2dcm.iods.syntaxes import syntax_group, syntax_name
from img2dcm.context import Finding

#: Modules common to every image IOD (PS3.3 §A.1 composite IOD pattern), for unknown classes.
GENERIC_TABLE = IodTable(
    uid="",
    name="image IOD (generic checks)",
    family="",
    section="A.1",
    modules=(
        m.PATIENT,
        m.GENERAL_STUDY,
        Module("General Series", "C.7.3.1", (
            Rule("Modality", "1"),
            Rule("SeriesInstanceUID", "1"),
            Rule("SeriesNumber", "2"),
        )),
        m.general_image(image_plane=None),
        m.IMAGE_PIXEL,
        m.SOP_COMMON,
    ),
    max_frames=None,
)


def _error(attribute: str, message: str) -> Finding:
    return Finding("error", attribute, message)


def _check_rule(ds: Dataset, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    need = rule.required(ds)
    present = is_present(ds, rule.keyword)
    values = values_of(ds, rule.keyword)
    why = f"type {rule.type}" + (f", {rule.condition.describe()}" if need and rule.condition else "")
    if need == "1" and not present:
        findings.append(_error(rule.keyword, f"missing ({why})"))
    elif need == "1" and not values:
        findings.append(_error(rule.keyword, f"empty ({why})"))
    elif need == "2" and not present:
        findings.append(_error(rule.keyword, f"missing ({why})"))
    elif need is None and rule.exclusive and present and rule.condition is not None:
        findings.append(_error(
            rule.keyword, f"present although its condition does not hold ({rule.condition.describe()})"
        ))
    if rule.warn_empty and present and not values:
        findings.append(Finding("warning", rule.keyword, "empty; should be absent or have a value"))
    if rule.values and values and rule.code is False:
        for index, value in enumerate(values):
            text = str(value).strip()
            if text not in rule.values:
                findings.append(_error(
                    rule.keyword, f"value {index + 1} '{text}' is not one of {', '.join(rule.values)}"
                ))
    for violation in rule.value_violations(ds):
        findings.append(_error(rule.keyword, violation))
    if rule.code:
        for gap in incomplete_code_fields(ds, rule.keyword):
            findings.append(_error(gap, "missing or empty in a code sequence item"))
    return findings


def _check_pixels(ds: Dataset, table: IodTable, transfer_syntax: str) -> list[Finding]:
    facts = PixelFacts.from_dataset(ds, transfer_syntax)
    if facts.samples < 0 or not facts.photometric or facts.bits_allocated < 0:
        return []  # already reported as missing type 1 attributes
    findings: list[Finding] = []
    frames_values = values_of(ds, "NumberOfFrames")
    frames = int(frames_values[0]) if frames_values else 1
    mismatch = table.pixel_mismatch(facts)
    if mismatch is not None:
        others = accepting_families(facts, frames)
        findings.append(_error(mismatch, (
            f"{facts.describe()} is not a pixel format of {table.name} (PS3.3 §{table.section})"
            + (f"; accepted by {', '.join(others)}" if others else "")
        )))
    elif transfer_syntax and not table.photometric_allowed(facts, syntax_group(transfer_syntax)):
        findings.append(_error("PhotometricInterpretation", (
            f"{facts.photometric} is not permitted by {table.name} in {syntax_name(transfer_syntax)}"
        )))
    if table.max_frames is not None and frames > table.max_frames:
        findings.append(_error("NumberOfFrames", f"{frames} frames, but {table.name} holds {table.max_frames}"))
    return findings


def check_dataset(ds: Dataset, transfer_syntax: str | None = None) -> list[Finding]:
    """Findings for ``ds`` against the table of its SOP Class UID (errors first)."""
    findings: list[Finding] = []
    if transfer_syntax is None:
        meta = getattr(ds, "file_meta", None)
        transfer_syntax = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    uid_values = values_of(ds, "SOPClassUID")
    uid = str(uid_values[0]) if uid_values else ""
    table = table_for_uid(uid) if uid else None
    if table is None:
        name = UID(uid).name if uid else "no SOP Class UID"
        findings.append(Finding(
            "warning", "SOPClassUID",
            f"no IOD table for {name or uid}; only the modules common to all images were checked",
        ))
        table = GENERIC_TABLE
    for rule in table.rules:
        findings.extend(_check_rule(ds, rule))
    findings.extend(_check_pixels(ds, table, transfer_syntax))
    return sorted(findings, key=lambda f: f.severity != "error")
