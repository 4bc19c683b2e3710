"""Modality Worklist item -> image attributes, as a table (IHE Scheduled Workflow).

Sources: IHE RAD TF-2x Appendix A.1 "Image Acquisition Integration-critical Attributes"
(as summarised in /work/shared/reference/codecs-and-network.md §5; its table body was not
re-read), PS3.4 Annex K Table K.6-1 (MWL return keys), PS3.3 §10.6 Table 10-9 (Request
Attributes Macro, used in Request Attributes Sequence (0040,0275) of the General Series module).
Paths use ``SequenceKeyword[0].Keyword`` for the one Scheduled Procedure Step item.
"""

from __future__ import annotations

SPS = "ScheduledProcedureStepSequence[0]."

#: (worklist item path, image attribute keyword): top-level attributes of the image.
TOP_LEVEL: tuple[tuple[str, str], ...] = (
    ("PatientName", "PatientName"),  # Patient module
    ("PatientID", "PatientID"),
    ("IssuerOfPatientID", "IssuerOfPatientID"),
    ("PatientBirthDate", "PatientBirthDate"),
    ("PatientSex", "PatientSex"),
    ("StudyInstanceUID", "StudyInstanceUID"),  # General Study: the order's study, never a new one
    ("AccessionNumber", "AccessionNumber"),
    ("ReferringPhysicianName", "ReferringPhysicianName"),
    ("RequestedProcedureDescription", "StudyDescription"),  # IHE: Requested Procedure Description
    ("RequestedProcedureCodeSequence", "ProcedureCodeSequence"),  # IHE: Requested Procedure Code
)

#: (worklist item path, attribute keyword) of the Request Attributes Sequence item (Table 10-9).
REQUEST_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("RequestedProcedureID", "RequestedProcedureID"),
    ("AccessionNumber", "AccessionNumber"),
    ("StudyInstanceUID", "StudyInstanceUID"),
    ("RequestedProcedureDescription", "RequestedProcedureDescription"),
    ("RequestedProcedureCodeSequence", "RequestedProcedureCodeSequence"),
    (SPS + "ScheduledProcedureStepID", "ScheduledProcedureStepID"),
    (SPS + "ScheduledProcedureStepDescription", "ScheduledProcedureStepDescription"),
    (SPS + "ScheduledProtocolCodeSequence", "ScheduledProtocolCodeSequence"),
)

#: Shown for each candidate when none or several items match.
CANDIDATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("PatientID", "PatientID"),
    ("PatientName", "name"),
    ("AccessionNumber", "accession"),
    (SPS + "ScheduledProcedureStepStartDate", "scheduled"),
)

#: Scheduled Procedure Step return/matching keys asked for in the query (Table K.6-1).
SPS_KEYS: tuple[str, ...] = (
    "ScheduledStationAETitle",
    "ScheduledProcedureStepStartDate",
    "ScheduledProcedureStepStartTime",
    "Modality",
    "ScheduledProcedureStepDescription",
    "ScheduledProtocolCodeSequence",
    "ScheduledProcedureStepID",
)

#: Code Sequence item attributes asked for inside sequence return keys (Code Sequence Macro).
CODE_KEYS: tuple[str, ...] = ("CodeValue", "CodingSchemeDesignator", "CodingSchemeVersion", "CodeMeaning")
