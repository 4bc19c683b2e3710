"""DIMSE over pynetdicom: associations, C-ECHO and C-STORE, with peers named in every failure."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from typing import Any

from pydicom import dcmread
from pydicom.dataset import Dataset
from pynetdicom import AE, Association, _config, evt
from pynetdicom.sop_class import Verification
from pynetdicom.status import STORAGE_SERVICE_CLASS_STATUS, code_to_category

from img2dcm.net.contexts import MAX_CONTEXTS, ObjectHeader, describe
from img2dcm.net.destination import Destination
from img2dcm.net.errors import NetworkError, NoContextError, RejectedError
from img2dcm.net.outcome import Outcome
from img2dcm.net.tls import ssl_context
from img2dcm.profile.model import SendOptions

# Files are streamed from disk exactly as written (no decode, no re-encode, no copy in memory).
_config.STORE_SEND_CHUNKED_DATASET = True


class _ConnectErrors(logging.Handler):
    """pynetdicom logs (and swallows) why a TCP/TLS connection failed; keep that reason for our message."""

    PREFIX = "TCP Initialisation Error: "

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.reasons: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(self.PREFIX):
            reason = re.sub(r"^\[Errno \d+\] ", "", message[len(self.PREFIX):])
            self.reasons.append(("TLS: " if "SSL" in reason else "") + reason[:1].lower() + reason[1:])
        elif message.startswith("Unknown PDU type received") and not self.reasons:
            self.reasons.append("the peer answered with something that is not DICOM (wrong port, or TLS expected?)")


_CONNECT_ERRORS = _ConnectErrors()
_PYNETDICOM_LOG = logging.getLogger("pynetdicom")
_PYNETDICOM_LOG.handlers[:] = [_CONNECT_ERRORS]  # failures reach the user as our own lines only
_PYNETDICOM_LOG.setLevel(logging.ERROR)
_PYNETDICOM_LOG.propagate = False

#: PS3.8 §9.3.4 A-ASSOCIATE-RJ: (source, reason) -> why, in words a user can act on.
REJECT_REASONS: dict[tuple[int, int], str] = {
    (1, 1): "no reason given",
    (1, 2): "application context name not supported",
    (1, 3): "calling AE title not recognised",
    (1, 7): "called AE title not recognised",
    (2, 1): "no reason given (ACSE)",
    (2, 2): "protocol version not supported",
    (3, 1): "temporary congestion",
    (3, 2): "local limit exceeded",
}


def make_ae(options: SendOptions) -> AE:
    """An AE with our calling title and ``send.timeout`` on every wait."""
    ae = AE(ae_title=options.calling_ae)
    for name in ("acse_timeout", "dimse_timeout", "network_timeout", "connection_timeout"):
        setattr(ae, name, options.timeout)
    ae.maximum_associations = 1
    return ae


def associate(destination: Destination, options: SendOptions, ae: AE) -> Association:
    """Open an association with the contexts already on ``ae``; any failure is a NetworkError."""
    rejection: dict[str, Any] = {}

    def remember_rejection(event: evt.Event) -> None:
        # The A-ASSOCIATE-RJ PDU itself: pynetdicom may see the peer close the socket before it
        # processes the rejection and then reports an abort; the PDU still says why.
        pdu = getattr(event, "pdu", None)
        if getattr(pdu, "result", None) in (1, 2) and hasattr(pdu, "reason_diagnostic"):
            rejection.update(result=pdu.result, source=pdu.source, reason=pdu.reason_diagnostic)

    tls_args = None
    if destination.tls:
        tls_args = (ssl_context(destination, options.tls), destination.host)
    start = time.monotonic()
    _CONNECT_ERRORS.reasons.clear()
    try:
        assoc = ae.associate(destination.host, destination.port, ae_title=destination.called_ae,
                             tls_args=tls_args, evt_handlers=[(evt.EVT_PDU_RECV, remember_rejection)])
    except OSError as exc:  # TLS handshake and socket errors surface here
        raise NetworkError(f"cannot connect: {exc}", destination.label) from None
    if assoc.is_established:
        return assoc
    if assoc.is_rejected or rejection:
        kind = "permanently" if rejection.get("result") == 1 else "transiently"
        why = REJECT_REASONS.get((rejection.get("source", 0), rejection.get("reason", 0)), "unknown reason")
        raise RejectedError(f"association rejected {kind}: {why} (called AE '{destination.called_ae}', "
                            f"calling AE '{options.calling_ae}')", destination.label, rejection.get("result") == 1)
    if assoc.is_aborted and rejection == {} and _connected(assoc):
        raise NoContextError("the peer accepted none of the proposed presentation contexts", destination.label)
    if _CONNECT_ERRORS.reasons:
        raise NetworkError(f"cannot connect: {_CONNECT_ERRORS.reasons[0]}", destination.label)
    if time.monotonic() - start >= options.timeout:
        raise NetworkError(f"no association: no answer within {options.timeout:g} s (send.timeout)",
                           destination.label)
    raise NetworkError("no association: connection refused or closed by the peer", destination.label)


def _connected(assoc: Association) -> bool:
    """Whether a reply came at all (an abort after an A-ASSOCIATE-AC means: no accepted context)."""
    return bool(assoc.accepted_contexts or assoc.rejected_contexts)


def echo(destination: Destination, options: SendOptions) -> float:
    """C-ECHO; return the round-trip seconds (association included) or raise NetworkError."""
    ae = make_ae(options)
    ae.add_requested_context(Verification)
    start = time.monotonic()
    assoc = associate(destination, options, ae)
    try:
        status = assoc.send_c_echo()
    finally:
        assoc.release()
    seconds = time.monotonic() - start
    if not status or "Status" not in status:
        raise NetworkError("no C-ECHO response (aborted or timed out)", destination.label)
    if status.Status != 0x0000:
        raise NetworkError(f"C-ECHO failed with status 0x{status.Status:04X}", destination.label)
    return seconds


class StoreSession:
    """C-STORE of many objects over as few associations as their contexts allow."""

    def __init__(self, destination: Destination, options: SendOptions) -> None:
        self.destination = destination
        self.options = options
        self.proposed: list[tuple[Any, tuple[Any, ...]]] = []
        self.assoc: Association | None = None

    def prepare(self, headers: Iterable[ObjectHeader]) -> None:
        """Propose every context a known list of objects needs, so one association serves them all."""
        for header in headers:
            key = header.context_key()
            if key not in self.proposed and len(self.proposed) < MAX_CONTEXTS:
                self.proposed.append(key)

    def send(self, header: ObjectHeader) -> Outcome:
        """One C-STORE; association problems are transient outcomes, a peer's status is final."""
        key = header.context_key()
        if key not in self.proposed:
            self.close()  # contexts are fixed per association: reopen with this one added
            if len(self.proposed) >= MAX_CONTEXTS:
                self.proposed = []
            self.proposed.append(key)
        try:
            assoc = self._open()
        except NoContextError:
            return Outcome.failed(self._no_context_message(None, header))
        except RejectedError as exc:
            return Outcome.failed(exc.message, transient=not exc.permanent, peer_refuses=exc.permanent)
        except NetworkError as exc:
            return Outcome.failed(exc.message, transient=True)
        context = self._accepted(assoc, header)
        if context is None:
            return Outcome.failed(self._no_context_message(assoc, header))
        payload: Any = header.path
        if context.transfer_syntax[0] != header.transfer_syntax:
            payload = dcmread(header.path)  # native to native only: pynetdicom re-encodes, nothing is lost
        try:
            status = assoc.send_c_store(payload)
        except (OSError, RuntimeError, ValueError) as exc:
            self.close()
            return Outcome.failed(f"C-STORE interrupted: {exc}", transient=True)
        if not status or "Status" not in status:
            self.close()
            return Outcome.failed("no C-STORE response (association aborted or timed out after "
                                  f"{self.options.timeout:g} s)", transient=True)
        return status_outcome(status)

    def _open(self) -> Association:
        if self.assoc is not None and self.assoc.is_established:
            return self.assoc
        ae = make_ae(self.options)
        for sop_class, syntaxes in self.proposed:
            ae.add_requested_context(sop_class, list(syntaxes))
        self.assoc = associate(self.destination, self.options, ae)
        return self.assoc

    @staticmethod
    def _accepted(assoc: Association, header: ObjectHeader) -> Any:
        """The accepted context for this object: its own syntax, or (native only) another native one."""
        matches = [c for c in assoc.accepted_contexts if c.abstract_syntax == header.sop_class]
        for context in matches:
            if context.transfer_syntax[0] == header.transfer_syntax:
                return context
        if header.native:
            for context in matches:
                if context.transfer_syntax[0] in header.syntaxes():
                    return context
        return None

    def _no_context_message(self, assoc: Association | None, header: ObjectHeader) -> str:
        contexts = assoc.accepted_contexts if assoc is not None else []
        accepted = sorted({c.transfer_syntax[0].name for c in contexts if c.abstract_syntax == header.sop_class})
        also = f"; it accepts this SOP class only as {', '.join(accepted)}" if accepted else ""
        return (f"no accepted presentation context for SOP class {describe(header.sop_class)} with transfer "
                f"syntax {describe(header.transfer_syntax)} at {self.destination.label}{also} "
                "(img2dcm never transcodes compressed data)")

    def close(self) -> None:
        """Release the association if one is open; a dead peer is not an error here."""
        if self.assoc is not None:
            try:
                if self.assoc.is_established:
                    self.assoc.release()
                else:
                    self.assoc.abort()
            except Exception:  # noqa: BLE001 - closing a broken association must not raise
                pass
            self.assoc = None


def status_outcome(status: Dataset) -> Outcome:
    """Map a C-STORE response status (PS3.4 Annex B.2.3) to sent / sent-with-warning / unsent."""
    code = int(status.Status)
    category = code_to_category(code)
    meaning = STORAGE_SERVICE_CLASS_STATUS.get(code, (category, "unknown status"))[1]
    text = f"status 0x{code:04X} ({meaning})"
    comment = status.get("ErrorComment")
    if comment:
        text += f": {comment}"
    if category == "Success":
        return Outcome.sent()
    if category == "Warning":
        return Outcome.warning(text)
    return Outcome.failed(text)
