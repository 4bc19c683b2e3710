"""The classic DCMTK 3.7.0 ``img2dcm`` options as one table of data.

Each row names the option's forms, how many values it takes, its exclusive
group (rightmost occurrence wins, as in DCMTK option blocks) and what it does:
either the profile field it sets, or a general action handled by the CLI.
Rows are in ``--help`` order; ``section`` starts a new help heading.
Source of the surface: DCMTK 3.7.0 img2dcm manual (reference §1), plus rows
marked ``ours``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: ``field`` of options that are not profile fields but CLI actions.
ACTION = "action"

#: DCMTK's -i names (case-sensitive like DCMTK) → profile input.format.
INPUT_FORMATS = {"JPEG": "jpeg", "BMP": "bmp", "PNG": "png", "TIFF": "tiff",
                 "JPEG2000": "jpeg2000", "HTJ2K": "htj2k", "VIDEO": "video",
                 "PNM": "pnm", "WEBP": "webp", "GIF": "gif", "HEIC": "heic"}

#: -ll levels (DCMTK names).
LOG_LEVELS = ("fatal", "error", "warn", "info", "debug", "trace")


@dataclass(frozen=True)
class Option:
    """One command-line option: forms, value count, group and effect."""

    forms: tuple[str, ...]
    help: str
    nargs: int = 0
    group: str | None = None  # options in one group exclude each other; rightmost wins
    field: str = ACTION  # dotted profile field, "keys", or ACTION
    value: Any = None  # constant set when nargs == 0; None = take the argument(s)
    metavar: str = ""
    section: str = ""
    ours: bool = False  # not in DCMTK

    @property
    def long(self) -> str:
        """The long form, used to name the option in messages and --arguments."""
        return next((f for f in self.forms if f.startswith("--")), self.forms[-1])


OPTIONS: tuple[Option, ...] = (
    # general
    Option(("-h", "--help"), "print this help text and exit", section="general options"),
    Option(("--version",), "print version information (ours, pydicom and the other libraries) and exit"),
    Option(("--arguments",), "print expanded command line arguments"),
    Option(("-q", "--quiet"), "quiet mode, print no warnings and errors", group="log-level"),
    Option(("-v", "--verbose"), "verbose mode, print processing details", group="log-level"),
    Option(("-d", "--debug"), "debug mode, print debug information", group="log-level"),
    Option(("-ll", "--log-level"), "use level l for the logger (fatal, error, warn, info, debug, trace)",
           nargs=1, group="log-level", metavar="[l]evel"),
    Option(("-lc", "--log-config"), "use Python logging config file f (INI for logging.config.fileConfig, "
           "or .json/.yaml dictConfig; log4cplus files are not supported)", nargs=1, metavar="[f]ilename"),
    # input
    Option(("-i", "--input-format"),
           "input file format: JPEG, BMP, PNG, TIFF, PNM, WEBP, GIF, HEIC, JPEG2000, HTJ2K, VIDEO (default: sniff the file)",
           nargs=1, field="input.format", metavar="[i]nput file format", section="input options"),
    Option(("-df", "--dataset-from"), "use dataset from DICOM file f", nargs=1, group="template",
           field="template.dicom", metavar="[f]ilename"),
    Option(("-dx", "--dataset-from-xml"), "use dataset from XML file f (dcm2xml format)", nargs=1,
           group="template", field="template.xml", metavar="[f]ilename"),
    Option(("-dd", "--dataset-from-dump"), "use dataset from dump2dcm text file f", nargs=1, group="template",
           field="template.dump", metavar="[f]ilename", ours=True),
    Option(("+ta", "--template-keep-all"), "copy every template attribute, as DCMTK (default: only those "
           "of the target IOD's modules)", field="template.keep", value="all", ours=True),
    Option(("+tp", "--template-keep-private"), "keep the template's private attributes",
           field="template.keep_private", value=True, ours=True),
    Option(("+tv", "--template-invalid-values"), "template values invalid for their VR: fail (default), "
           "drop, repair", nargs=1, field="template.invalid_values", metavar="[p]olicy", ours=True),
    Option(("-stf", "--study-from"), "read patient/study from DICOM file f", nargs=1, group="import",
           field="sources.study_from", metavar="[f]ilename"),
    Option(("-sef", "--series-from"), "read patient/study/series from DICOM file f", nargs=1, group="import",
           field="sources.series_from", metavar="[f]ilename"),
    Option(("+sv", "--source-invalid-values"), "study/series file values invalid for their VR: fail "
           "(default), drop, repair", nargs=1, field="sources.invalid_values", metavar="[p]olicy", ours=True),
    Option(("-ii", "--instance-inc"), "increase instance number read from DICOM file",
           field="sources.increment_instance", value=True),
    Option(("--exif",), "map EXIF date, make and model to DICOM (default)", group="exif",
           field="input.exif", value=True, ours=True),
    Option(("--no-exif",), "ignore EXIF metadata, like DCMTK", group="exif", field="input.exif", value=False,
           ours=True),
    Option(("--alpha",), "images with transparency: reject (default), drop or flatten onto the background",
           nargs=1, field="input.alpha", metavar="[p]olicy", ours=True),
    Option(("--orientation",), "EXIF orientation of decoded images: apply (default, pixels turned upright) or "
           "ignore", nargs=1, field="input.orientation", metavar="[o]rientation", ours=True),
    Option(("--background",), "colour that --alpha flatten blends onto (default 255 255 255)", nargs=3,
           field="input.background", metavar="[r] [g] [b]: integer", ours=True),
    # JPEG
    Option(("-dp", "--disable-progr"), "disable support for progressive JPEG", group="progressive",
           field="input.jpeg.progressive", value="reject", section="JPEG format"),
    Option(("--progressive",), "progressive JPEG: decode (default), accept (DCMTK: retired TS .4.55) or reject",
           nargs=1, group="progressive", field="input.jpeg.progressive", metavar="[p]olicy", ours=True),
    Option(("--cmyk",), "CMYK/YCCK JPEG: reject (default) or decode to RGB", nargs=1, field="input.jpeg.cmyk",
           metavar="[p]olicy", ours=True),
    Option(("-de", "--disable-ext"), "disable support for extended sequential JPEG",
           field="input.jpeg.extended", value="reject"),
    Option(("-jf", "--insist-on-jfif"), "insist on JFIF header", field="input.jpeg.require_jfif", value=True),
    Option(("-ka", "--keep-appn"), "keep APPn sections (except JFIF)", field="input.jpeg.app_segments",
           value="keep"),
    Option(("-rc", "--remove-com"), "remove COM segment", field="input.jpeg.comments", value="remove"),
    # XML validation
    Option(("+Vd", "--validate-document"), "validate XML document against DTD (only with -dx)",
           field="template.validate", value=True, section="XML validation"),
    Option(("+Vn", "--check-namespace"), "check XML namespace in document root (only with -dx)",
           field="template.check_namespace", value=True),
    # processing
    Option(("--do-checks",), "enable attribute validity checking (default)", group="checks",
           field="checks.enabled", value=True, section="processing options"),
    Option(("--no-checks",), "disable attribute validity checking", group="checks", field="checks.enabled",
           value=False),
    Option(("+i2", "--insert-type2"), "insert missing type 2 attributes (default)", group="type2",
           field="checks.insert_type2", value=True),
    Option(("-i2", "--no-type2-insert"), "do not insert missing type 2 attributes", group="type2",
           field="checks.insert_type2", value=False),
    Option(("+i1", "--invent-type1"), "invent missing type 1 attributes (default)", group="type1",
           field="checks.invent_type1", value=True),
    Option(("-i1", "--no-type1-invent"), "do not invent missing type 1 attributes", group="type1",
           field="checks.invent_type1", value=False),
    Option(("-Ct", "--transliterate"), "approximate characters the target character set lacks",
           group="charset", field="charset.conversion", value="transliterate"),
    Option(("-Cd", "--discard-illegal"), "discard characters the target character set lacks",
           group="charset", field="charset.conversion", value="discard"),
    Option(("-k", "--key"), 'set attribute: gggg,eeee="str", path or dictionary name="str" (repeatable)',
           nargs=1, field="keys", metavar="[k]ey"),
    Option(("--uid-root",), "make new UIDs below this root (default 2.25.<UUID>)", nargs=1,
           field="uids.root", metavar="[r]oot", ours=True),
    # output
    Option(("-sc", "--sec-capture"), "write Secondary Capture SOP class (default)", group="sop",
           field="output.sop_class", value="secondary-capture", section="output options"),
    Option(("-nsc", "--new-sc"), "write new (multi-frame) Secondary Capture SOP classes", group="sop",
           field="output.sop_class", value="multiframe-secondary-capture"),
    Option(("-vlp", "--vl-photo"), "write Visible Light Photographic SOP class", group="sop",
           field="output.sop_class", value="vl-photographic"),
    Option(("-oph", "--oph-photo"), "write Ophthalmic Photography SOP classes", group="sop",
           field="output.sop_class", value="ophthalmic-photography"),
    Option(("+F", "--write-file"), "write file format (default)", group="file-format",
           field="output.file_format", value="file"),
    Option(("-F", "--write-dataset"), "write data set without file meta information", group="file-format",
           field="output.file_format", value="dataset"),
    Option(("+g=", "--group-length-recalc"), "recalculate group lengths if present (default)",
           group="group-length", field="output.group_length", value="recalc"),
    Option(("+g", "--group-length-create"), "always write with group length elements", group="group-length",
           field="output.group_length", value="create"),
    Option(("-g", "--group-length-remove"), "always write without group length elements",
           group="group-length", field="output.group_length", value="remove"),
    Option(("+e", "--length-explicit"), "write with explicit lengths (default)", group="length",
           field="output.sequence_length", value="explicit"),
    Option(("-e", "--length-undefined"), "write with undefined lengths", group="length",
           field="output.sequence_length", value="undefined"),
    Option(("-p", "--padding-off"), "no padding (default)", group="padding", field="output.padding",
           value={"file": 0, "item": 0}),
    Option(("+p", "--padding-create"), "align file on multiple of f bytes and items on multiple of i bytes",
           nargs=2, group="padding", field="output.padding", metavar="[f]ile-pad [i]tem-pad: integer"),
    Option(("--compression",), "encode decoded pixels (BMP, PNG, TIFF...) losslessly: none (default), rle, "
           "jpeg-ls, jpeg2000 or deflate", nargs=1, field="output.compression", metavar="[c]ompression",
           ours=True),
    Option(("--verify",), "decode the written pixels and compare them with the source (default)",
           group="verify", field="output.verify", value=True, ours=True),
    Option(("--no-verify",), "do not verify compressed pixels after writing (faster)", group="verify",
           field="output.verify", value=False, ours=True),
    # ours: what to do instead of writing
    Option(("--dry-run",), "show the plan and every attribute with its source; write nothing",
           section="ours", ours=True),
    Option(("--format",), "dry-run report format: text (default) or json", nargs=1, metavar="[f]ormat",
           ours=True),
    Option(("--emit-profile",), "write the YAML profile equivalent to this command line to f ('-' = stdout) "
           "and convert nothing", nargs=1, metavar="[f]ilename", ours=True),
)

#: Every form → its row.
BY_FORM: dict[str, Option] = {form: option for option in OPTIONS for form in option.forms}
