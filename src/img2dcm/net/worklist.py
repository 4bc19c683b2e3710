"""Modality Worklist as an attribute source: C-FIND (PS3.4 Annex K), exactly one item, mapped by table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as Date

from pydicom.datadict import dictionary_VR
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pynetdicom.sop_class import ModalityWorklistInformationFind

from img2dcm.net.destination import Destination, parse_destination
from img2dcm.net.dimse import associate, make_ae
from img2dcm.net.errors import DestinationError, NetworkError, WorklistError
from img2dcm.net.worklist_map import CANDIDATE_FIELDS, CODE_KEYS, REQUEST_ATTRIBUTES, SPS, SPS_KEYS, TOP_LEVEL
from img2dcm.profile.model import SendOptions

#: PS3.4 C.4.1.1.4 / Annex K: the C-FIND statuses that end a query with a failure.
FIND_FAILURES = {0xA700: "out of resources", 0xA900: "identifier does not match SOP class",
                 0xFE00: "cancelled"}


def query_worklist(url: str | Destination, match: dict[str, str], *, options: SendOptions | None = None,
                   scheduled_station_ae: str | None = None, modality: str | None = None,
                   date: str | None = None) -> Dataset:
    """The one worklist item matching ``match``; none or several raise WorklistError listing candidates."""
    destination = url if isinstance(url, Destination) else parse_destination(url)
    if destination.family != "dimse":
        raise DestinationError("a worklist is queried over DIMSE: use dicom://AE@HOST:PORT", destination.url)
    items = find_items(destination, build_query(match, scheduled_station_ae, modality, date),
                       options or SendOptions())
    if len(items) == 1:
        return items[0]
    wanted = ", ".join(f"{k}={v}" for k, v in match.items()) or "no match keys"
    if not items:
        raise WorklistError(f"no worklist item matches {wanted}", destination.label)
    listed = "; ".join(describe_candidate(item) for item in items)
    raise WorklistError(f"{len(items)} worklist items match {wanted}, exactly one is needed: {listed}",
                        destination.label)


def build_query(match: dict[str, str], station_ae: str | None, modality: str | None, date: str | None) -> Dataset:
    """Return keys empty (K.2.2.1.2: the SCP returns only what is asked), matching keys with values."""
    query = Dataset()
    for source in dict.fromkeys(path for path, _ in TOP_LEVEL + REQUEST_ATTRIBUTES + CANDIDATE_FIELDS):
        if not source.startswith(SPS):
            _set_empty(query, source)
    step = Dataset()
    for keyword in SPS_KEYS:
        _set_empty(step, keyword)
    query.ScheduledProcedureStepSequence = Sequence([step])
    for keyword, value in match.items():
        if keyword in SPS_KEYS:
            setattr(step, keyword, value)
        else:
            setattr(query, keyword, value)
    if station_ae:
        step.ScheduledStationAETitle = station_ae
    if modality:
        step.Modality = modality
    if date:
        step.ScheduledProcedureStepStartDate = Date.today().strftime("%Y%m%d") if date == "today" else date
    if any(not str(v).isascii() for v in match.values()):
        query.SpecificCharacterSet = "ISO_IR 192"
    return query


def _set_empty(dataset: Dataset, keyword: str) -> None:
    if dictionary_VR(keyword) == "SQ":
        item = Dataset()
        for code in CODE_KEYS:
            setattr(item, code, "")
        setattr(dataset, keyword, Sequence([item]))
    else:
        setattr(dataset, keyword, "")


def find_items(destination: Destination, query: Dataset, options: SendOptions) -> list[Dataset]:
    """Run the C-FIND; every pending identifier is one item."""
    ae = make_ae(options)
    ae.add_requested_context(ModalityWorklistInformationFind)
    try:
        assoc = associate(destination, options, ae)
    except NetworkError as exc:
        raise WorklistError(exc.message, destination.label) from None
    items: list[Dataset] = []
    try:
        for status, identifier in assoc.send_c_find(query, ModalityWorklistInformationFind):
            if not status or "Status" not in status:
                raise WorklistError("no C-FIND response (aborted or timed out)", destination.label)
            code = int(status.Status)
            if code in (0xFF00, 0xFF01) and identifier is not None:
                items.append(identifier)
            elif code != 0x0000:
                why = FIND_FAILURES.get(code & 0xFF00 if code >= 0xC000 else code, "unable to process")
                raise WorklistError(f"C-FIND failed with status 0x{code:04X} ({why})", destination.label)
    finally:
        if assoc.is_established:
            assoc.release()
    return items


def lookup(item: Dataset, path: str) -> object:
    """Value at ``Keyword`` or ``SequenceKeyword[0].Keyword``; None when absent."""
    node: object = item
    for part in path.split("."):
        keyword, _, index = part.partition("[")
        if not isinstance(node, Dataset) or keyword not in node:
            return None
        node = node[keyword].value
        if index:
            position = int(index.rstrip("]"))
            if not isinstance(node, Iterable) or len(node) <= position:  # type: ignore[arg-type]
                return None
            node = node[position]  # type: ignore[index]
    return node


def describe_candidate(item: Dataset) -> str:
    return ", ".join(f"{label} {lookup(item, path) or '-'}" for path, label in CANDIDATE_FIELDS)


def worklist_attributes(item: Dataset) -> Dataset:
    """The attributes a worklist item sets on the image (tables in worklist_map), in its character set."""
    out = Dataset()
    charset = item.get("SpecificCharacterSet")
    if charset:
        out.SpecificCharacterSet = charset
    for source, target in TOP_LEVEL:
        value = lookup(item, source)
        if value is not None:
            setattr(out, target, _copy(value))
    request = Dataset()
    for source, target in REQUEST_ATTRIBUTES:
        value = lookup(item, source)
        if value not in (None, ""):
            setattr(request, target, _copy(value))
    if len(request):
        out.RequestAttributesSequence = Sequence([request])
    return out


def _copy(value: object) -> object:
    """Sequences are copied item by item without the empty return keys the SCP echoed back
    (an empty 1C Coding Scheme Version is invalid in the image); other values are immutable."""
    if isinstance(value, Sequence):
        items = []
        for item in value:
            copy = Dataset()
            for element in item:
                if element.value not in (None, "") and not (element.VR == "SQ" and not len(element.value)):
                    copy[element.tag] = element
            if len(copy):
                items.append(copy)
        return Sequence(items)
    return value
