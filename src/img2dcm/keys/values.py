"""Turn the text of a key value into the Python value for a VR, checking it on the way.

DCMTK stores whatever text it is given; we refuse values the standard forbids, so a
typo in a date or UID is reported at the command line instead of by a validator later.
Text stays Unicode ``str``: the character set is applied when the file is written.
"""

from __future__ import annotations

import datetime
import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from img2dcm.errors import KeyPathError
from img2dcm.keys.path import parse_tag, shown

#: The value separator for multi-valued VRs (PS3.5 §6.4).
SEPARATOR = "\\"

# PS3.5 Table 6.2-1: 2^32-2 is the largest length UC, UR and UT allow.
_UNLIMITED = 2**32 - 2

# Control characters: PS3.5 §6.1.2.3 allows only ESC in short texts (and ESC only
# matters in encoded bytes, never in the Unicode we hold), plus CR, LF and FF in the
# long texts ST, LT and UT (Table 6.2-1; not TAB, which dciodvfy rejects too).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Lone surrogates: what Python makes of bytes that are not UTF-8 on the command line
#: (surrogateescape) or of "\udc80" in YAML; no character set can write them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL_LONG_TEXT = re.compile(r"[\x00-\x09\x0b\x0e-\x1f\x7f]")


class _Bad(ValueError):
    """A value breaks the VR's rules; the text completes '<value> ...'."""


@dataclass(frozen=True)
class VRRule:
    """How one VR's text is checked and converted.

    ``max_len`` is per value in characters (PS3.5 Table 6.2-1 "Length of Value"),
    ``None`` where the convert function checks the length itself (PN) or none applies.
    ``multi`` says whether a backslash separates values; for ST, LT, UT and UR it is
    an ordinary character. ``empty_ok`` says whether an empty value may sit in a list.
    """

    name: str
    convert: Callable[[str], Any]
    max_len: int | None = None
    multi: bool = True
    empty_ok: bool = False


# -- converters: each takes one value's text and returns the Python value ---------------


def _text(pattern: re.Pattern[str]) -> Callable[[str], str]:
    def convert(text: str) -> str:
        if pattern.search(text):
            raise _Bad("contains a control character")
        return text

    return convert


def _code_string(text: str) -> str:
    if not re.fullmatch(r"[A-Z0-9 _]*", text):
        raise _Bad("may only contain upper-case letters, digits, space and underscore (CS)")
    return text


def _application_entity(text: str) -> str:
    if not re.fullmatch(r"[\x20-\x5b\x5d-\x7e]*", text):
        raise _Bad("may only contain printable ASCII characters other than backslash (AE)")
    if text and not text.strip():
        raise _Bad("consists only of spaces, which AE forbids")
    return text


def _person_name(text: str) -> str:
    if _CONTROL.search(text):
        raise _Bad("contains a control character")
    groups = text.split("=")
    if len(groups) > 3:
        raise _Bad(f"has {len(groups)} component groups; PN allows at most 3 (alphabetic=ideographic=phonetic)")
    for number, group in enumerate(groups, 1):
        if len(group) > 64:
            raise _Bad(f"has a component group {number} of {len(group)} characters; PN allows 64 per group")
        if group.count("^") > 4:
            raise _Bad(f"has {group.count('^') + 1} components in group {number}; PN allows at most 5")
    return text


def _age(text: str) -> str:
    if not re.fullmatch(r"\d{3}[DWMY]", text):
        raise _Bad("is not an age nnnD, nnnW, nnnM or nnnY (AS)")
    return text


def _date(text: str) -> str:
    if not re.fullmatch(r"\d{8}", text):
        raise _Bad("is not a date YYYYMMDD (DA)")
    try:
        datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _Bad("is not a real calendar date (DA)") from None
    return text


# Seconds may be 60 for a leap second (PS3.5 Table 6.2-1, TM and DT).
def _check_clock(hour: str | None, minute: str | None, second: str | None, vr: str) -> None:
    if hour is not None and int(hour) > 23:
        raise _Bad(f"has hour {hour}; {vr} allows 00-23")
    if minute is not None and int(minute) > 59:
        raise _Bad(f"has minute {minute}; {vr} allows 00-59")
    if second is not None and int(second) > 60:
        raise _Bad(f"has second {second}; {vr} allows 00-60")


_TIME = re.compile(r"(\d{2})(?:(\d{2})(?:(\d{2})(\.\d{1,6})?)?)?")


def _time(text: str) -> str:
    match = _TIME.fullmatch(text)
    if match is None:
        raise _Bad("is not a time HH, HHMM, HHMMSS or HHMMSS.ffffff (TM)")
    _check_clock(match[1], match[2], match[3], "TM")
    return text


_DATE_TIME = re.compile(
    r"(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?"
)


def _date_time(text: str) -> str:
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise _Bad("is not a date-time YYYY[MM[DD[HH[MM[SS[.ffffff]]]]]][&ZZXX] (DT)")
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        datetime.date(year, month, day)
    except ValueError:
        raise _Bad("is not a real calendar date (DT)") from None
    _check_clock(match[4], match[5], match[6], "DT")
    if match[8]:
        sign = -1 if match[8][0] == "-" else 1
        hours, minutes = int(match[8][1:3]), int(match[8][3:])
        if minutes > 59 or not -12 * 60 <= sign * (hours * 60 + minutes) <= 14 * 60:
            raise _Bad("has a UTC offset outside -1200..+1400 (DT)")
    return text


def _uid(text: str) -> str:
    if not re.fullmatch(r"[0-9.]+", text):
        raise _Bad("is not a UID: only digits and dots are allowed (UI)")
    for component in text.split("."):
        if component == "":
            raise _Bad("has an empty component (UI)")
        if len(component) > 1 and component[0] == "0":
            raise _Bad(f"has a component with a leading zero '{component}' (UI)")
    return text


_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _integer_string(text: str) -> int:
    core = text.strip(" ")  # leading and trailing spaces are padding in IS
    if not _INTEGER.fullmatch(core):
        raise _Bad("is not an integer string (IS)")
    number = int(core)
    if not -(2**31) <= number <= 2**31 - 1:
        raise _Bad("is out of range for IS (-2147483648..2147483647)")
    return number


def _decimal_string(text: str) -> str:
    # Kept as text: pydicom's DSfloat then writes exactly what the user typed.
    core = text.strip(" ")
    if not _DECIMAL.fullmatch(core) or not math.isfinite(float(core)):
        raise _Bad("is not a decimal string (DS)")
    return core


def _binary_integer(vr: str, low: int, high: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        core = text.strip(" ")
        if not _INTEGER.fullmatch(core):
            raise _Bad(f"is not an integer ({vr})")
        number = int(core)
        if not low <= number <= high:
            raise _Bad(f"is out of range for {vr} ({low}..{high})")
        return number

    return convert


def _binary_float(vr: str, fmt: str) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            number = float(text.strip(" "))
        except ValueError:
            raise _Bad(f"is not a number ({vr})") from None
        if not math.isfinite(number):
            raise _Bad(f"is not a finite number ({vr})")
        try:
            struct.pack(fmt, number)
        except (OverflowError, struct.error):
            raise _Bad(f"is out of range for {vr}") from None
        return number

    return convert


def _attribute_tag(text: str) -> int:
    try:
        return int(parse_tag(text.strip(" ")))
    except ValueError:
        raise _Bad("is not a tag (gggg,eeee), gggg,eeee or a dictionary keyword (AT)") from None


def _hex_units(vr: str, digits: int) -> Callable[[str], bytes]:
    unit = "byte" if digits == 2 else "16-bit word"

    def convert(text: str) -> bytes:
        if not re.fullmatch(rf"[0-9A-Fa-f]{{1,{digits}}}", text):
            raise _Bad(f"is not a hex {unit} (1-{digits} hex digits) for {vr}")
        return int(text, 16).to_bytes(digits // 2, "little")

    return convert


def _no_text(vr: str) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        raise _Bad(f"cannot be given as text: VR {vr} only accepts an empty value from a key")

    return convert


#: DCMTK's "Cannot insert value into path ending with item or sequence", reworded.
SEQUENCE_VALUE = "cannot insert a value into a path ending with an item or sequence"


# -- the table ------------------------------------------------------------------------
# Source: DICOM PS3.5 (2024) Table 6.2-1 "DICOM Value Representations" for lengths and
# character repertoires; §6.4 for which VRs are multi-valued (ST, LT, UT, UR are not).

_SHORT_TEXT = _text(_CONTROL)
_LONG_TEXT = _text(_CONTROL_LONG_TEXT)

VR_RULES: dict[str, VRRule] = {
    "AE": VRRule("application entity", _application_entity, 16, empty_ok=True),
    "AS": VRRule("age string", _age, 4),
    "AT": VRRule("attribute tag", _attribute_tag),
    "CS": VRRule("code string", _code_string, 16, empty_ok=True),
    "DA": VRRule("date", _date, 8),
    "DS": VRRule("decimal string", _decimal_string, 16),
    "DT": VRRule("date-time", _date_time, 26),
    "IS": VRRule("integer string", _integer_string, 12),
    "LO": VRRule("long string", _SHORT_TEXT, 64, empty_ok=True),
    "LT": VRRule("long text", _LONG_TEXT, 10240, multi=False),
    "PN": VRRule("person name", _person_name, None, empty_ok=True),
    "SH": VRRule("short string", _SHORT_TEXT, 16, empty_ok=True),
    "ST": VRRule("short text", _LONG_TEXT, 1024, multi=False),
    "TM": VRRule("time", _time, 14),
    "UC": VRRule("unlimited characters", _SHORT_TEXT, _UNLIMITED, empty_ok=True),
    "UI": VRRule("unique identifier", _uid, 64),
    "UR": VRRule("URI/URL", _text(re.compile(r"[\x00-\x1f\x7f]|^ ")), _UNLIMITED, multi=False),
    "UT": VRRule("unlimited text", _LONG_TEXT, _UNLIMITED, multi=False),
    "US": VRRule("unsigned short", _binary_integer("US", 0, 2**16 - 1)),
    "SS": VRRule("signed short", _binary_integer("SS", -(2**15), 2**15 - 1)),
    "UL": VRRule("unsigned long", _binary_integer("UL", 0, 2**32 - 1)),
    "SL": VRRule("signed long", _binary_integer("SL", -(2**31), 2**31 - 1)),
    "UV": VRRule("unsigned 64-bit very long", _binary_integer("UV", 0, 2**64 - 1)),
    "SV": VRRule("signed 64-bit very long", _binary_integer("SV", -(2**63), 2**63 - 1)),
    "FL": VRRule("floating point single", _binary_float("FL", "<f")),
    "FD": VRRule("floating point double", _binary_float("FD", "<d")),
    "OB": VRRule("other byte", _hex_units("OB", 2)),
    "UN": VRRule("unknown", _hex_units("UN", 2)),
    "OW": VRRule("other word", _hex_units("OW", 4)),
    "OD": VRRule("other double", _no_text("OD")),
    "OF": VRRule("other float", _no_text("OF")),
    "OL": VRRule("other long", _no_text("OL")),
    "OV": VRRule("other 64-bit very long", _no_text("OV")),
    "SQ": VRRule("sequence", _no_text("SQ"), multi=False)  # values refused before conversion,
}

_BINARY = frozenset({"OB", "OW", "UN", "OD", "OF", "OL", "OV"})


def _fail(key: str, reason: str) -> KeyPathError:
    return KeyPathError(shown(f"bad value for key '{key}': {reason}", 400))


def convert_value(vr: str, text: str | None, key: str) -> Any:
    """Check ``text`` against ``vr`` and return what to store in the element.

    ``None`` or "" gives a zero-length element ([] for SQ). Several values come back
    as a list, binary VRs as one ``bytes``. Raises KeyPathError naming ``key``.
    """
    rule = VR_RULES.get(vr)
    if rule is None:
        raise _fail(key, f"values of VR '{vr}' cannot be set with a key")
    if text is None or text == "":
        return [] if vr == "SQ" else None
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise _fail(key, f"contains U+{ord(surrogate.group()):04X}, a lone surrogate, which is not a character "
                         "(the text was not valid UTF-8 or UTF-16)")
    if vr == "SQ":
        raise _fail(key, SEQUENCE_VALUE)
    parts = text.split(SEPARATOR) if rule.multi else [text]
    values: list[Any] = []
    for number, part in enumerate(parts, 1):
        where = f"value {number} " if len(parts) > 1 else ""
        if part == "" and not rule.empty_ok:
            raise _fail(key, f"{where}is empty; {vr} allows no empty values in a list")
        if rule.max_len is not None and len(part) > rule.max_len:
            raise _fail(
                key,
                f"{where}'{shown(part)}' is {len(part)} characters long; "
                f"{vr} ({rule.name}) allows at most {rule.max_len}",
            )
        try:
            values.append(rule.convert(part) if part != "" else part)
        except _Bad as exc:
            raise _fail(key, f"{where}'{shown(part)}' {exc}") from None
    if vr in _BINARY:
        return b"".join(values)
    return values[0] if len(values) == 1 else values
