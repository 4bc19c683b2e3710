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

    progressive: str = "decode"  # decode | accept (DCMTK, retired .4.55) | reject (-dp)
    extended: str = "accept"  # accept | reject
    require_jfif: bool = False
    app_segments: str = "strip"  # strip | keep | keep-colour
    comments: str = "keep"  # keep | remove
    cmyk: str = "reject"  # reject | decode (4-component JPEG decoded to RGB)


@dataclass(frozen=True)
class InputOptions:
    """How inputs are recognised and read."""

    format: str = "auto"  # auto | jpeg | bmp | png | tiff | jpeg2000 | htj2k | video
    jpeg: JpegOptions = field(default_factory=JpegOptions)
    exif: bool = True  # map EXIF (dates, make/model) to DICOM attributes
    alpha: str = "reject"  # reject | drop | flatten (an opaque alpha is always dropped)
    background: tuple[int, int, int] = (255, 255, 255)  # what flatten blends onto
    orientation: str = "apply"  # apply | ignore: EXIF/TIFF orientation of decoded pixels


@dataclass(frozen=True)
class MultiFrameOptions:
    """How several frames are tied together (Frame Increment Pointer)."""

    increment: str = "frame-time"  # frame-time | page-number
    frame_time: float = 1000.0  # milliseconds, DCMTK's fixed value
    source_timing: bool = True  # an animation's own (uniform) frame duration wins over frame_time


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
    compression: str = "none"  # none | rle | jpeg-ls | jpeg2000 | deflate (decoded pixels only)
    verify: bool = True  # decode the written pixels and compare before renaming into place


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
class WorklistSource:
    """``sources.worklist``: which MWL item fills patient and order data (docs/network.md)."""

    url: str  # dicom://AE@HOST:PORT
    match_keys: tuple[str, ...] = ()  # keywords whose values come from the keys or the manifest row
    match_values: tuple[tuple[str, str], ...] = ()  # literal (keyword, value) pairs
    scheduled_station_ae: str | None = None
    modality: str | None = None
    date: str | None = None  # "today" or YYYYMMDD[-YYYYMMDD]


@dataclass(frozen=True)
class Sources:
    """Patient/study(/series) import from an existing DICOM file."""

    study_from: Path | None = None
    series_from: Path | None = None
    increment_instance: bool = False
    worklist: WorklistSource | None = None  # Modality Worklist as an attribute source
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
class BatchOptions:
    """One object per input into a folder: manifest, grouping and naming (docs/batch.md)."""

    manifest: Path | None = None
    require_manifest_row: bool | None = None  # None: true exactly when a manifest is given
    series_by: tuple[str, ...] = ("folder",)
    study_by: tuple[str, ...] = ("PatientID", "AccessionNumber")
    output_path: str = "{relpath}/{stem}.dcm"

    @property
    def requires_row(self) -> bool:
        return self.manifest is not None if self.require_manifest_row is None else self.require_manifest_row


@dataclass(frozen=True)
class TlsFiles:
    """``dicoms://`` peers: CA bundle to trust, and our client certificate and key (PEM files)."""

    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None


@dataclass(frozen=True)
class AuthEnv:
    """DICOMweb credentials: the *names* of environment variables, never the secrets themselves."""

    bearer_env: str | None = None
    basic_user_env: str | None = None
    basic_password_env: str | None = None


@dataclass(frozen=True)
class SendOptions:
    """``send:``: where written objects go and how hard we try (docs/network.md)."""

    destinations: tuple[str, ...] = ()
    calling_ae: str = "IMG2DCM"
    retries: int = 3  # further attempts after the first, with exponential backoff
    backoff: float = 1.0  # seconds before the first retry; doubled for each further one
    timeout: float = 30.0  # seconds for connecting and for each network reply
    tls: TlsFiles = field(default_factory=TlsFiles)
    auth: AuthEnv = field(default_factory=AuthEnv)


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
    uid_mode: str = "deterministic"  # deterministic | random (classic command line: random, as DCMTK)
    checks: Checks = field(default_factory=Checks)
    charset_conversion: str = "strict"  # strict | transliterate | discard
    keys: tuple[KeySpec, ...] = ()
    batch: BatchOptions = field(default_factory=BatchOptions)
    run: RunDefaults = field(default_factory=RunDefaults)
    send: SendOptions = field(default_factory=SendOptions)
