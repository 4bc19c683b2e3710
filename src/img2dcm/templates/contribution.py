"""What a template may contribute to the object we write (``template.keep``, ``template.keep_private``).

By default (``keep: iod``) a template brings only top-level attributes of the modules the
target IOD has (:mod:`img2dcm.iods.contents`), and not those modules or attributes that
describe the template's *own* image, instance or references: they would be false for the
picture we wrap, and dciodvfy rejects many of them (a CT's Frame of Reference UID, an
Enhanced MR's functional groups, an SR content tree, DICOMDIR records). ``keep: all`` is
DCMTK's behaviour: everything but the cleanup list stays. Private attributes stay only with
``keep_private: true``. Every attribute left out is reported with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pydicom.dataset import Dataset
from pydicom.tag import BaseTag

from img2dcm.iods.contents import IOD_MODULES, MODULE_ATTRIBUTES
from img2dcm.iods.registry import tables_of

#: ``template.keep`` values.
KEEP_CHOICES = ("iod", "all")

_PIXELS = "they describe the template's pixel data and frames, not the picture we wrap"
_GEOMETRY = "they place the template's image in the patient; the picture we wrap is not placed there"

#: Modules of our IODs whose attributes never come from a template, with the reason.
NOT_FROM_TEMPLATE_MODULES: dict[str, str] = {
    "Frame of Reference": "the template's patient coordinate system; the picture we wrap is not in it",
    "Synchronization": "the template's acquisition timing; the picture we wrap was not acquired in sync with it",
    "Image Plane": _GEOMETRY,
    "Enhanced Patient Orientation": _GEOMETRY,
    "General Reference": "the template's references and derivation; our image is derived from the picture we wrap",
    "Common Instance Reference": "it locates the instances the template referred to, whose references are not kept",
    "Image Pixel": _PIXELS,
    "Multi-frame": _PIXELS,
    "Cine": _PIXELS,
    "Frame Pointers": _PIXELS,
    "SC Multi-frame Vector": _PIXELS,
    "Multi-frame Dimension": _PIXELS,
    "Multi-frame Functional Groups": _PIXELS,
    "Frame Extraction": "it names the multi-frame object the template was extracted from",
    "Overlay Plane": "graphics drawn over the template's pixels",
    "Modality LUT": "it maps the template's stored pixel values",
    "VOI LUT": "it maps the template's stored pixel values",
    "ICC Profile": "it colour-manages the template's pixels (ours comes from the source image)",
}

_INSTANCE = "it describes the template instance, not the new one"

#: Attributes of kept modules that never come from a template, with the reason.
NOT_FROM_TEMPLATE_ATTRIBUTES: dict[str, str] = {
    "ReferencedImageSequence": "the images the template refers to, not ours (in VL Image it also needs "
                               "a Purpose of Reference the template's items may lack)",
    "IconImageSequence": "a thumbnail of the template's pixels",
    "PatientOrientation": "the directions of the template's rows and columns",
    "BurnedInAnnotation": "it says whether the template's pixels show annotations",
    "RecognizableVisualFeatures": "it says whether the template's pixels show recognisable features",
    "PresentationLUTShape": "it maps the template's pixel values",
    "DigitalSignaturesSequence": "signatures over the template's content cannot verify on a new object",
    "MACParametersSequence": "signatures over the template's content cannot verify on a new object",
    "EncryptedAttributesSequence": "the template's encrypted attributes",
    "OriginalAttributesSequence": "the template's modification history",
    "InstanceCreationDate": _INSTANCE,
    "InstanceCreationTime": _INSTANCE,
    "InstanceCreatorUID": _INSTANCE,
    "InstanceCoercionDateTime": _INSTANCE,
    "SOPInstanceStatus": _INSTANCE,
    "SOPAuthorizationDateTime": _INSTANCE,
    "SOPAuthorizationComment": _INSTANCE,
    "AuthorizationEquipmentCertificationNumber": _INSTANCE,
}

PRIVATE_REASON = "private attribute (template.keep_private is false)"

#: A sequence without items carries nothing; dciodvfy rejects one of type 3 ("1 Required by
#: Module definition"), and completion inserts the type 2 ones our tables require anyway.
EMPTY_SEQUENCE_REASON = "empty sequence: it carries nothing, and an empty type 3 sequence is invalid"


@dataclass(frozen=True)
class LeftOut:
    """One top-level template attribute that was not kept, and why."""

    label: str  # keyword, or (gggg,eeee) when the dictionary has none
    reason: str


def _label(tag: BaseTag, keyword: str) -> str:
    return keyword or f"({tag.group:04x},{tag.element:04x})"


def iod_names(family: str) -> str:
    """The IOD names of a family, for messages ("VL Photographic Image")."""
    return " / ".join(IOD_MODULES[t.uid][0] for t in tables_of(family))


@cache
def contributions(family: str) -> tuple[frozenset[str], dict[str, str]]:
    """Keywords a template may bring to ``family``, and the reason for each one of its modules' others."""
    allowed: set[str] = set()
    refused: dict[str, str] = {}
    for table in tables_of(family):
        for module in IOD_MODULES[table.uid][1]:
            reason = NOT_FROM_TEMPLATE_MODULES.get(module)
            target = refused if reason else None
            for keyword in MODULE_ATTRIBUTES[module]:
                if target is None:
                    allowed.add(keyword)
                else:
                    refused.setdefault(keyword, f"{module} module: {reason}")
    for keyword, reason in NOT_FROM_TEMPLATE_ATTRIBUTES.items():
        allowed.discard(keyword)
        refused[keyword] = reason
    for keyword in allowed:
        refused.pop(keyword, None)
    return frozenset(allowed), refused


def restrict(ds: Dataset, family: str, keep: str = "iod", keep_private: bool = False) -> list[LeftOut]:
    """Delete from ``ds`` (top level) what the template may not contribute; return what and why."""
    if keep not in KEEP_CHOICES:
        raise ValueError(f"template.keep must be one of {', '.join(KEEP_CHOICES)}, not '{keep}'")
    allowed, refused = contributions(family)
    outside = f"not in any module of {iod_names(family)}"
    left: list[LeftOut] = []
    for elem in list(ds):
        tag = elem.tag
        if tag.is_private:
            if not keep_private:
                left.append(LeftOut(_label(tag, ""), PRIVATE_REASON))
                del ds[tag]
            continue
        if keep == "all":
            continue
        keyword = elem.keyword
        if keyword in allowed and elem.VR == "SQ" and not elem.value:
            left.append(LeftOut(keyword, EMPTY_SEQUENCE_REASON))
            del ds[tag]
            continue
        if keyword in allowed:
            continue
        left.append(LeftOut(_label(tag, keyword), refused.get(keyword, outside)))
        del ds[tag]
    return left


def describe_left_out(source: str, left: list[LeftOut]) -> list[str]:
    """Report lines: one per reason, naming every attribute left out for it."""
    by_reason: dict[str, list[str]] = {}
    for item in left:
        by_reason.setdefault(item.reason, []).append(item.label)
    return [f"template {source}: left out {', '.join(labels)} ({reason})" for reason, labels in by_reason.items()]
