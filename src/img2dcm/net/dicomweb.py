"""DICOMweb over httpx: STOW-RS (PS3.18 §10.5) and a QIDO-RS request as echo.

One request per object keeps each object's outcome its own; the client keeps the
connection alive across a batch. Files are streamed from disk with a known length.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

from img2dcm.net.contexts import ObjectHeader
from img2dcm.net.destination import Destination
from img2dcm.net.errors import DestinationError, NetworkError
from img2dcm.net.outcome import Outcome
from img2dcm.net.tls import ssl_context
from img2dcm.profile.model import AuthEnv, SendOptions

CHUNK = 1 << 20
#: PS3.18 Table 10.5.3-1 (STOW-RS response status) beyond 200/202; and which are worth retrying.
HTTP_MEANING = {400: "bad request, nothing stored", 401: "not authorised", 403: "forbidden",
                404: "no STOW-RS service at this URL", 409: "conflict, nothing stored (e.g. SOP class not "
                "supported)", 413: "payload too large", 415: "unsupported media type"}
TRANSIENT_HTTP = frozenset({408, 429, 500, 502, 503, 504})
# Store Instances Response attributes (PS3.18 §10.5.3.2, DICOM JSON keys).
FAILED_SOP_SEQUENCE = "00081198"
FAILURE_REASON = "00081197"
WARNING_REASON = "00081196"
REFERENCED_SOP_SEQUENCE = "00081199"
REFERENCED_SOP_INSTANCE = "00081155"


def auth_headers(destination: Destination, auth: AuthEnv) -> dict[str, str]:
    """Credentials from the environment variables the profile names; a missing one names itself."""

    def env(name: str) -> str:
        value = os.environ.get(name)
        if not value:
            raise DestinationError(f"environment variable {name} (named in send.auth) is not set",
                                   destination.label)
        return value

    if auth.bearer_env:
        return {"Authorization": f"Bearer {env(auth.bearer_env)}"}
    if auth.basic_user_env or auth.basic_password_env:
        if not (auth.basic_user_env and auth.basic_password_env):
            raise DestinationError("send.auth needs both basic_user_env and basic_password_env",
                                   destination.label)
        basic = httpx.BasicAuth(env(auth.basic_user_env), env(auth.basic_password_env))
        request = basic.auth_flow(httpx.Request("GET", destination.base_url))
        return {"Authorization": next(request).headers["Authorization"]}
    return {}


def make_client(destination: Destination, options: SendOptions) -> httpx.Client:
    verify: object = ssl_context(destination, options.tls) if destination.tls else False
    return httpx.Client(base_url=destination.base_url, timeout=options.timeout, verify=verify,  # type: ignore[arg-type]
                        headers=auth_headers(destination, options.auth), follow_redirects=False)


def echo(destination: Destination, options: SendOptions) -> float:
    """A QIDO-RS search for at most one study: proves the URL, TLS and credentials work."""
    with make_client(destination, options) as client:
        start = time.monotonic()
        try:
            response = client.get("/studies", params={"limit": "1"}, headers={"Accept": "application/dicom+json"})
        except httpx.HTTPError as exc:
            raise NetworkError(f"no answer: {describe_error(exc)}", destination.label) from None
        seconds = time.monotonic() - start
    if response.status_code not in (200, 204):
        raise NetworkError(f"QIDO-RS answered HTTP {response.status_code} "
                           f"{HTTP_MEANING.get(response.status_code, response.reason_phrase)}", destination.label)
    return seconds


def describe_error(exc: httpx.HTTPError) -> str:
    """httpx errors as a short reason (connection refused, timeout, TLS)."""
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return str(exc) or type(exc).__name__


class StowSession:
    """STOW-RS of one object per request over one kept-alive connection."""

    def __init__(self, destination: Destination, options: SendOptions) -> None:
        self.destination = destination
        self.options = options
        self.client: httpx.Client | None = None

    def prepare(self, headers: object) -> None:
        """Nothing to negotiate in advance over HTTP."""

    def send(self, header: ObjectHeader) -> Outcome:
        if self.client is None:
            self.client = make_client(self.destination, self.options)
        boundary = uuid.uuid4().hex
        head = f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode("ascii")
        tail = f"\r\n--{boundary}--\r\n".encode("ascii")
        size = len(head) + header.path.stat().st_size + len(tail)
        try:
            response = self.client.post(
                "/studies", content=_body(head, header.path, tail),
                headers={"Content-Type": f'multipart/related; type="application/dicom"; boundary={boundary}',
                         "Content-Length": str(size), "Accept": "application/dicom+json"})
        except httpx.HTTPError as exc:
            self.close()
            return Outcome.failed(f"STOW-RS failed: {describe_error(exc)}", transient=True)
        return stow_outcome(response, header)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None


def _body(head: bytes, path: Path, tail: bytes) -> Iterator[bytes]:
    yield head
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk
    yield tail


def stow_outcome(response: httpx.Response, header: ObjectHeader) -> Outcome:
    """200 = stored; 202 = look for our instance among failures and warnings; else not stored."""
    code = response.status_code
    if code in (200, 202):
        body = _json(response)
        failed = _items(body, FAILED_SOP_SEQUENCE)
        ours = [i for i in failed if _value(i, REFERENCED_SOP_INSTANCE) in (header.sop_instance, None)]
        if ours:
            reason = _value(ours[0], FAILURE_REASON)
            return Outcome.failed(f"STOW-RS failure reason {_hex(reason)}")
        warning = _value(body, WARNING_REASON) if isinstance(body, dict) else None
        for item in _items(body, REFERENCED_SOP_SEQUENCE):
            warning = warning or _value(item, WARNING_REASON)
        if code == 202 or warning is not None:
            return Outcome.warning(f"STOW-RS HTTP {code}" + (f", warning reason {_hex(warning)}" if warning else ""))
        return Outcome.sent()
    meaning = HTTP_MEANING.get(code, response.reason_phrase)
    return Outcome.failed(f"STOW-RS HTTP {code} {meaning}", transient=code in TRANSIENT_HTTP,
                          peer_refuses=code in (401, 403))


def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return {}


def _items(body: object, tag: str) -> list[dict]:
    element = body.get(tag, {}) if isinstance(body, dict) else {}
    return [item for item in element.get("Value", []) if isinstance(item, dict)]


def _value(item: dict, tag: str) -> object:
    values = item.get(tag, {}).get("Value") or [None]
    return values[0]


def _hex(value: object) -> str:
    return f"0x{value:04X}" if isinstance(value, int) else str(value)
