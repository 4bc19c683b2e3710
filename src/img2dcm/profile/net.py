"""Typed ``send:`` and ``sources.worklist`` from schema-valid profile data (docs/network.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from img2dcm.profile.lines import format_path
from img2dcm.profile.model import AuthEnv, SendOptions, TlsFiles, WorklistSource


def send_options(data: Any, resolve: Callable[[str | None], Path | None]) -> SendOptions:
    """``send: [URL...]`` or ``send: {to: [URL...], retries: ..., tls: {...}, auth: {...}}``."""
    if data is None:
        return SendOptions()
    if isinstance(data, list):
        return SendOptions(destinations=tuple(data))
    tls = data.get("tls", {})
    defaults = SendOptions()
    return SendOptions(
        destinations=tuple(data.get("to", [])),
        calling_ae=data.get("calling_ae", defaults.calling_ae),
        retries=data.get("retries", defaults.retries),
        backoff=float(data.get("backoff", defaults.backoff)),
        timeout=float(data.get("timeout", defaults.timeout)),
        tls=TlsFiles(ca=resolve(tls.get("ca")), cert=resolve(tls.get("cert")), key=resolve(tls.get("key"))),
        auth=AuthEnv(**data.get("auth", {})),
    )


def worklist_source(data: Any) -> WorklistSource | None:
    """``sources.worklist``: a list of match keywords, or a mapping of literal match values."""
    if not data:
        return None
    match = data["match"]
    keys = tuple(match) if isinstance(match, list) else ()
    values = tuple((k, str(v)) for k, v in match.items()) if isinstance(match, dict) else ()
    return WorklistSource(url=data["url"], match_keys=keys, match_values=values,
                          scheduled_station_ae=data.get("scheduled_station_ae"),
                          modality=data.get("modality"), date=data.get("date"))


def destination_problems(data: dict[str, Any], locate: Callable[[list[str | int], bool], str]) -> list[str]:
    """Destinations the schema lets through but that cannot be used (no AE title, bad port...)."""
    from img2dcm.net.destination import parse_destination
    from img2dcm.net.errors import DestinationError

    send = data.get("send")
    places: list[tuple[list[str | int], Any]] = []
    if isinstance(send, list):
        places = [(["send", i], url) for i, url in enumerate(send)]
    elif isinstance(send, dict):
        places = [(["send", "to", i], url) for i, url in enumerate(send.get("to") or [])]
    worklist = (data.get("sources") or {}).get("worklist")
    if isinstance(worklist, dict) and isinstance(worklist.get("url"), str):
        places.append((["sources", "worklist", "url"], worklist["url"]))
    problems = []
    for where, url in places:
        if not isinstance(url, str):
            continue
        try:
            parse_destination(url)
        except DestinationError as exc:
            problems.append(f"{locate(where, False)}: {format_path(where)}: {exc.message}")
    return problems
