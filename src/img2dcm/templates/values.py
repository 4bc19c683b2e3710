"""Every value a template (or study/series file) passes on must be valid for its VR.

Archives hold ACR-NEMA dates ``1997.04.24`` and times ``14:04:38``, UIDs with leading-zero
components, text with control characters. pydicom reads them as they are and would write
them as they are. ``invalid_values`` decides: ``fail`` (default: one error naming file,
attribute and value), ``drop`` (the attribute is removed, with a report note) or ``repair``
(the unambiguous cases in :data:`REPAIRS` are rewritten, the rest dropped, each noted).
The per-VR rules are the ones key values are checked with (:data:`img2dcm.keys.values.VR_RULES`),
plus :data:`EXTRA_CHECKS` for what dciodvfy also rejects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from img2dcm.errors import TemplateError
from img2dcm.keys.values import VR_RULES

#: ``invalid_values`` choices.
POLICIES = ("fail", "drop", "repair")

#: VRs whose values are text we can check (numbers and bytes are valid once read).
TEXT_VRS = frozenset("AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT".split())


def _uid_root(text: str) -> str | None:
    components = text.split(".")
    if all(c == "0" for c in components):
        return "has nothing but zero components (UI)"
    if components[0] not in ("0", "1", "2"):
        return f"starts with '{components[0]}'; a UID's root is 0, 1 or 2 (UI)"
    return None


#: Checks beyond the key rules, per VR: dciodvfy rejects such UIDs ("Nothing but zero
#: components", "Illegal root for UID").
EXTRA_CHECKS: dict[str, Callable[[str], str | None]] = {"UI": _uid_root}

_ACR_NEMA_DATE = re.compile(r"(\d{4})\.(\d{2})\.(\d{2})")
_COLON_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?")


def _repair_date(text: str) -> str | None:
    m = _ACR_NEMA_DATE.fullmatch(text)
    return "".join(m.groups()) if m else None


def _repair_time(text: str) -> str | None:
    m = _COLON_TIME.fullmatch(text)
    return "".join(g for g in m.groups() if g) if m else None


#: Unambiguous rewrites of invalid values (``repair``): ACR-NEMA (PS3.5 2000 and earlier)
#: dates ``YYYY.MM.DD`` and times ``HH:MM:SS.frac``. The result is checked again.
REPAIRS: dict[str, Callable[[str], str | None]] = {"DA": _repair_date, "TM": _repair_time}


@dataclass(frozen=True)
class Invalid:
    """One value that breaks its VR, where it is, and its repair if there is one."""

    path: str  # Keyword or Sequence[0].Keyword
    vr: str
    value: str
    reason: str
    element: DataElement
    holder: Dataset
    repaired: list[str] | None = None


def _texts(elem: DataElement) -> list[str]:
    value = elem.value
    if value is None or value == "":
        return []
    if isinstance(value, (MultiValue, list, tuple)):
        return ["" if v is None else str(v) for v in value]
    return [str(value)]


def value_problem(vr: str, text: str) -> str | None:
    """Why ``text`` is not a valid ``vr`` value, or None."""
    rule = VR_RULES[vr]
    if text == "":
        return None if rule.empty_ok else f"is empty in a list of values, which {vr} does not allow"
    try:
        rule.convert(text)
    except ValueError as exc:
        return str(exc)
    if rule.max_len is not None and len(text) > rule.max_len:
        return f"is {len(text)} characters long; {vr} ({rule.name}) allows at most {rule.max_len}"
    extra = EXTRA_CHECKS.get(vr)
    return extra(text) if extra else None


def _label(elem: DataElement) -> str:
    return elem.keyword or f"({elem.tag.group:04x},{elem.tag.element:04x})"


def find_invalid(ds: Dataset, prefix: str = "") -> list[Invalid]:
    """Every element (recursing into sequence items) holding a value invalid for its VR."""
    found: list[Invalid] = []
    for elem in ds:
        path = prefix + _label(elem)
        if elem.VR == "SQ":
            for index, item in enumerate(elem.value or []):
                found.extend(find_invalid(item, f"{path}[{index}]."))
            continue
        if elem.VR not in TEXT_VRS:
            continue
        texts = _texts(elem)
        for text in texts:
            reason = value_problem(elem.VR, text)
            if reason is None:
                continue
            repaired = _repairs(elem.VR, texts)
            found.append(Invalid(path, elem.VR, text, reason, elem, ds, repaired))
            break
    return found


def _repairs(vr: str, texts: list[str]) -> list[str] | None:
    """Every value repaired (valid ones kept), or None when one cannot be."""
    repair = REPAIRS.get(vr)
    if repair is None:
        return None
    out: list[str] = []
    for text in texts:
        if value_problem(vr, text) is None:
            out.append(text)
            continue
        fixed = repair(text)
        if fixed is None or value_problem(vr, fixed) is not None:
            return None
        out.append(fixed)
    return out


def _shown(text: str, limit: int = 80) -> str:
    text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def empty_character_set(ds: Dataset) -> bool:
    """Remove a Specific Character Set without any value (the default repertoire); True if done."""
    if "SpecificCharacterSet" in ds and not _texts(ds["SpecificCharacterSet"]):
        del ds.SpecificCharacterSet
        return True
    return False


def enforce(ds: Dataset, policy: str, source: str, what: str = "template",
            setting: str = "template.invalid_values", flag: str = "+tv") -> list[str]:
    """Apply ``policy`` to the invalid values of ``ds``; return report notes.

    Raises TemplateError naming ``source``, the attribute and the value under ``fail``.
    """
    if policy not in POLICIES:
        raise ValueError(f"invalid_values must be one of {', '.join(POLICIES)}, not '{policy}'")
    notes: list[str] = []
    if empty_character_set(ds):
        notes.append(f"{what} {source}: empty SpecificCharacterSet removed (it means the default "
                     "repertoire, and an empty type 1C value is invalid)")
    invalid = find_invalid(ds)
    if not invalid:
        return notes
    if policy == "fail":
        first = invalid[0]
        more = f" (and {len(invalid) - 1} more)" if len(invalid) > 1 else ""
        hint = "repair" if first.repaired is not None else "drop"
        raise TemplateError(f"{first.path} value '{_shown(first.value)}' {first.reason}{more}; "
                            f"fix the file or set {setting}: {hint} ({flag} {hint})", source)
    for item in invalid:
        if policy == "repair" and item.repaired is not None:
            item.element.value = item.repaired if len(item.repaired) > 1 else item.repaired[0]
            notes.append(f"{what} {source}: {item.path} '{_shown(item.value)}' repaired to "
                         f"'{_shown(chr(92).join(item.repaired))}' ({item.reason})")
            continue
        del item.holder[item.element.tag]
        notes.append(f"{what} {source}: {item.path} '{_shown(item.value)}' dropped ({item.reason})")
    return notes
