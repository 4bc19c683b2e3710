"""Step 2: import patient and study (and series) attributes from an existing object.

The attribute lists are DCMTK img2dcm's (reference §4). An attribute the source
lacks is written empty (type 2 semantics); the two UIDs must be present.
"""

from __future__ import annotations

from pathlib import Path

from img2dcm.errors import ConversionError
from img2dcm.plan import Context
from img2dcm.profile.model import Sources
from img2dcm.provenance import Source, SourceKind

# reference §4: what -stf / -sef copy, in DCMTK's order.
PATIENT_LEVEL = ("PatientName", "PatientID", "PatientSex", "PatientBirthDate")
STUDY_LEVEL = ("StudyInstanceUID", "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber")
SERIES_LEVEL = ("SeriesInstanceUID", "SeriesNumber", "Manufacturer")
REQUIRED_UIDS = ("StudyInstanceUID", "SeriesInstanceUID")


class ImportStudySeries:
    title = "study/series import"

    def __init__(self, sources: Sources) -> None:
        self.series = sources.series_from is not None
        self.path: Path = sources.series_from or sources.study_from  # type: ignore[assignment]
        self.increment = sources.increment_instance

    def attributes(self) -> tuple[str, ...]:
        return PATIENT_LEVEL + STUDY_LEVEL + (SERIES_LEVEL if self.series else ())

    def describe(self) -> str:
        level = "patient, study and series" if self.series else "patient and study"
        return f"copy {level} attributes from {self.path.name}"

    def apply(self, ctx: Context) -> None:
        from img2dcm.charset import import_with_charset
        from img2dcm.templates.dicom import load_dicom

        source = load_dicom(self.path)
        kind = SourceKind.SERIES_FILE if self.series else SourceKind.STUDY_FILE
        origin = Source(kind, self.path.name)
        for uid in REQUIRED_UIDS[: 2 if self.series else 1]:
            if not str(source.get(uid, "") or "").strip():
                raise ConversionError(f"{uid} (type 1) is missing or empty, so the object cannot join its "
                                      f"{'series' if uid.startswith('Series') else 'study'}", self.path)
        names = self.attributes() + (("InstanceNumber",) if self.increment else ())
        import_with_charset(ctx, source, names, origin, ctx.profile.charset_conversion)
        if self.increment and not ctx.builder.has_value("InstanceNumber"):
            # DCMTK: a source without Instance Number counts as 1 (reference §4).
            ctx.builder.put("InstanceNumber", "1", origin)
