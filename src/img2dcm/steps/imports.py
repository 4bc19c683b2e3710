"""Step 2: import patient and study (and series) attributes from an existing object.

The attribute lists are DCMTK img2dcm's (reference §4). An attribute the source
lacks is written empty (type 2 semantics). The UIDs that tie the new object to
the study (and series) must be present *with a value*: DCMTK copies a present
but empty StudyInstanceUID and writes an object with an empty UID (§18.1); we
fail instead, because a new UID would silently start another study.
"""

from __future__ import annotations

from pathlib import Path

from pydicom.dataset import Dataset

from img2dcm.errors import ConversionError, TemplateError
from img2dcm.context import Context
from img2dcm.profile.model import Sources
from img2dcm.provenance import Source, SourceKind

# reference §4: what -stf / -sef copy, in DCMTK's order.
PATIENT_LEVEL = ("PatientName", "PatientID", "PatientSex", "PatientBirthDate")
STUDY_LEVEL = ("StudyInstanceUID", "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber")
SERIES_LEVEL = ("SeriesInstanceUID", "SeriesNumber", "Manufacturer")

#: The UID each mode needs from its file, with the level it joins.
REQUIRED_UIDS = {"StudyInstanceUID": "study", "SeriesInstanceUID": "series"}


class ImportStudySeries:
    title = "study/series import"

    def __init__(self, sources: Sources) -> None:
        self.series = sources.series_from is not None
        self.path: Path = sources.series_from or sources.study_from  # type: ignore[assignment]
        self.increment = sources.increment_instance
        self.invalid_values = sources.invalid_values
        self.kind = SourceKind.SERIES_FILE if self.series else SourceKind.STUDY_FILE

    def attributes(self) -> tuple[str, ...]:
        """What is copied: DCMTK's lists, plus InstanceNumber when it is incremented."""
        names = PATIENT_LEVEL + STUDY_LEVEL + (SERIES_LEVEL if self.series else ())
        return names + (("InstanceNumber",) if self.increment else ())

    def describe(self) -> str:
        level = "patient, study and series" if self.series else "patient and study"
        extra = " and Instance Number" if self.increment else ""
        return f"copy {level} attributes{extra} from the {self.kind.value} {self.path}"

    def valid_values(self, source: Dataset) -> list[str]:
        """Apply ``sources.invalid_values`` to the attributes we copy; the report notes."""
        from img2dcm.templates.values import enforce

        copied = Dataset()
        for name in self.attributes():
            if name in source:
                copied.add(source[name])
        try:
            notes = enforce(copied, self.invalid_values, str(self.path), what=self.kind.value,
                            setting="sources.invalid_values", flag="+sv")
        except TemplateError as exc:
            raise ConversionError(exc.message, self.path) from None
        for name in self.attributes():
            if name in source and name not in copied:
                del source[name]
        return notes

    def apply(self, ctx: Context) -> None:
        from img2dcm.charset import import_with_charset
        from img2dcm.templates.dicom import load_dicom

        try:
            source = load_dicom(self.path)
        except TemplateError as exc:  # DCMTK: "Unable to open study / series file <f>"
            raise ConversionError(f"cannot use as {self.kind.value}: {exc.message}", self.path) from None
        for uid, level in list(REQUIRED_UIDS.items())[: 2 if self.series else 1]:
            state = "missing" if uid not in source else "empty" if not str(source[uid].value or "").strip() else ""
            if state:
                raise ConversionError(f"{self.kind.value}: {uid} (type 1) is {state}, so the new object cannot "
                                      f"join its {level}", self.path)
        for line in self.valid_values(source):
            ctx.builder.note(line)
        origin = Source(self.kind, str(self.path))
        lacking = import_with_charset(ctx, source, self.attributes(), origin)
        if self.increment and not ctx.builder.has_value("InstanceNumber"):
            # DCMTK: a source without Instance Number counts as 1 (reference §4, §18.13).
            ctx.builder.put("InstanceNumber", "1", Source(self.kind, f"{self.path}, none given: 1 as in DCMTK"))
            ctx.builder.note(f"{self.kind.value} {self.path} has no Instance Number: counted as 1, as DCMTK does")
        empty = [name for name in lacking if name != "InstanceNumber"]
        if empty:
            ctx.builder.note(f"{self.kind.value} {self.path} lacks {', '.join(empty)}: written empty (type 2)")
