"""Profile names <-> SOP classes: choose the exact class from the pixels, and say who accepts what.

A profile names a *family* (``output.sop_class``); the family's tables are tried
in order and the first whose pixel formats and photometric/transfer-syntax rules
accept the image wins. When none does, the messages name the families that would.
"""

from __future__ import annotations

from img2dcm.errors import ConversionError
from img2dcm.iods.model import IodTable, PixelFacts
from img2dcm.iods.syntaxes import syntax_group, syntax_name
from img2dcm.iods.tables import ALL_TABLES

#: Profile ``output.sop_class`` value -> the classes it may produce, in order of preference.
FAMILIES: dict[str, tuple[IodTable, ...]] = {}
for _table in ALL_TABLES:
    FAMILIES.setdefault(_table.family, ())
    FAMILIES[_table.family] += (_table,)

#: DCMTK's classic output switches (reference §1) -> family.
CLASSIC_FLAGS: dict[str, str] = {
    "-sc": "secondary-capture",
    "-nsc": "multiframe-secondary-capture",
    "-vlp": "vl-photographic",
    "-oph": "ophthalmic-photography",
}

_BY_UID: dict[str, IodTable] = {table.uid: table for table in ALL_TABLES}
#: The syntax group of the video transfer syntaxes (iods/syntaxes.py).
VIDEO = "video"


def family_names() -> tuple[str, ...]:
    return tuple(FAMILIES)


def table_for_uid(uid: str) -> IodTable | None:
    """The table of a SOP Class UID we write, or None."""
    return _BY_UID.get(str(uid).strip())


def tables_of(family: str) -> tuple[IodTable, ...]:
    try:
        return FAMILIES[family]
    except KeyError:
        raise ConversionError(
            f"unknown SOP class '{family}'; expected one of: {', '.join(FAMILIES)}"
        ) from None


def takes_video(table: IodTable) -> bool:
    """Video classes name the ``video`` syntax group; no other class takes a video stream."""
    return table.photometric_by_syntax is not None and VIDEO in table.photometric_by_syntax


def is_video(facts: PixelFacts) -> bool:
    return bool(facts.transfer_syntax) and syntax_group(facts.transfer_syntax) == VIDEO


def accepts(table: IodTable, facts: PixelFacts, frames: int = 1) -> bool:
    """True when ``table`` accepts this pixel format, transfer syntax and frame count."""
    if takes_video(table) != is_video(facts):
        return False
    if table.pixel_mismatch(facts) is not None:
        return False
    if facts.transfer_syntax and not table.photometric_allowed(facts, syntax_group(facts.transfer_syntax)):
        return False
    return table.max_frames is None or frames <= table.max_frames


def accepting_families(facts: PixelFacts, frames: int = 1) -> list[str]:
    """Families (profile names) with a class that accepts these pixels and frames."""
    return [name for name, tables in FAMILIES.items() if any(accepts(t, facts, frames) for t in tables)]


def _suggestion(facts: PixelFacts, frames: int, exclude: str) -> str:
    others = [name for name in accepting_families(facts, frames) if name != exclude]
    if not others:
        return "no SOP class we write accepts it"
    return "use " + " or ".join(others)


def choose(family: str, facts: PixelFacts, frames: int = 1) -> IodTable:
    """The exact class of ``family`` for these pixels; ConversionError naming alternatives."""
    tables = tables_of(family)
    if is_video(facts) and not any(takes_video(t) for t in tables):
        raise ConversionError(
            f"a video stream ({syntax_name(facts.transfer_syntax)}) cannot be written as {family}, "
            f"a still-image class; {_suggestion(facts, frames, family)}"
        )
    if not is_video(facts) and all(takes_video(t) for t in tables):
        raise ConversionError(
            f"{family} holds video streams (MPEG-2, H.264, HEVC), not a still image "
            f"({facts.describe()}); {_suggestion(facts, frames, family)}"
        )
    fitting = [t for t in tables if t.pixel_mismatch(facts) is None]
    if not fitting:
        reasons = "; ".join(f"{t.name}: {t.pixel_mismatch(facts)} does not fit" for t in tables)
        raise ConversionError(
            f"{facts.describe()} pixels cannot be written as {family} ({reasons}); "
            f"{_suggestion(facts, frames, family)}"
        )
    group = syntax_group(facts.transfer_syntax) if facts.transfer_syntax else ""
    permitted = [t for t in fitting if not group or t.photometric_allowed(facts, group)]
    if not permitted:
        table = fitting[0]
        raise ConversionError(
            f"photometric interpretation {facts.photometric} is not permitted by {table.name} "
            f"in {syntax_name(facts.transfer_syntax)} (PS3.3 §{table.section}); "
            f"{_suggestion(facts, frames, family)}"
        )
    return permitted[0]
