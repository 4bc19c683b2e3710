"""Typed, immutable Profile: what every front door (YAML, classic argv, --set) produces.

Defaults equal DCMTK img2dcm's defaults; the JSON Schema in
``schemas/profile.schema.json`` carries the same defaults and documents each field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class JpegOptions:
    """JPEG/JPEG-LS reader switches (DCMTK -dp, -de, -jf, -ka, -rc)."""

    progressive: str = "accept"  # accept | reject
    extended: str = "accept"  # accept | reject
    require_jfif: bool = False
    app_segments: str = "strip"  # strip | keep | keep-colour
    comments: str = "keep"  # keep | remove


@dataclass(frozen=True)
class InputOptions:
    """How inputs are recognised and read."""

    format: str = "auto"  # auto | jpeg | bmp | png | tiff
    jpeg: JpegOptions = field(default_factory=JpegOptions)
    exif: bool = True  # map EXIF (dates, make/model) to DICOM attributes


@dataclass(frozen=True)
class MultiFrameOptions:
    """How several frames are tied together (Frame Increment Pointer)."""

    increment: str = "frame-time"  # frame-time | page-number
    frame_time: float = 1000.0  # milliseconds, DCMTK's fixed value


@dataclass(frozen=True)
class Padding:
    """Dataset trailing padding (DCMTK +p f i); 0 means none."""

    file: int = 0
    item: int = 0


@dataclass(frozen=True)
class OutputOptions:
    """Which IOD is written and how it is encoded."""

    sop_class: str = "secondary-capture"
    multiframe: MultiFrameOptions = field(default_factory=MultiFrameOptions)
    file_format: str = "file"  # file | dataset
    group_length: str = "recalc"  # recalc | create | remove
    sequence_length: str = "explicit"  # explicit | undefined
    padding: Padding = field(default_factory=Padding)


@dataclass(frozen=True)
class TemplateOptions:
    """Where the starting dataset comes from."""

    kind: str  # dicom | xml | dump
    path: Path
    validate: bool = False  # XML only: DTD validation (+Vd)
    check_namespace: bool = False  # XML only: require the dcm2xml namespace (+Vn)
    keep: str = "iod"  # iod: only attributes of the target IOD's modules | all: DCMTK's copy of everything
    keep_private: bool = False  # keep the template's private attributes
    invalid_values: str = "fail"  # fail | drop | repair: a template value not valid for its VR


@dataclass(frozen=True)
class Sources:
    """Patient/study(/series) import from an existing DICOM file."""

    study_from: Path | None = None
    series_from: Path | None = None
    increment_instance: bool = False
    invalid_values: str = "fail"  # fail | drop | repair: a copied value not valid for its VR


@dataclass(frozen=True)
class Checks:
    """IOD completion and checking (DCMTK --do-checks, +i1/-i1, +i2/-i2)."""

    enabled: bool = True
    insert_type2: bool = True
    invent_type1: bool = True


@dataclass(frozen=True)
class KeySpec:
    """One dcmodify-style key; ``origin`` says where it was written (file:line or argv)."""

    path: str
    value: str | None
    origin: str = ""


@dataclass(frozen=True)
class RunDefaults:
    """Inputs and output a profile may name, used when the command line gives none."""

    inputs: tuple[Path, ...] = ()
    output: str | None = None  # text, so a trailing "/" (a folder) survives


@dataclass(frozen=True)
class Profile:
    """One conversion, fully described."""

    version: int = 1
    name: str = ""
    description: str = ""
    source: str = "<defaults>"  # where this profile came from, for messages
    input: InputOptions = field(default_factory=InputOptions)
    output: OutputOptions = field(default_factory=OutputOptions)
    template: TemplateOptions | None = None
    sources: Sources = field(default_factory=Sources)
    uid_root: str | None = None
    checks: Checks = field(default_factory=Checks)
    charset_conversion: str = "strict"  # strict | transliterate | discard
    keys: tuple[KeySpec, ...] = ()
    run: RunDefaults = field(default_factory=RunDefaults)
