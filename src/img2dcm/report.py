"""The dry-run / result report: data first, then rendered with rich or as JSON."""

from __future__ import annotations

from typing import Any

from pydicom.dataelem import DataElement
from pydicom.uid import UID
from rich.console import Console
from rich.table import Table

from img2dcm.context import Context
from img2dcm.pipeline import Plan
from img2dcm.provenance import Source, SourceKind
from img2dcm.readers.base import SourceImage

MAX_VALUE_CHARS = 60


def show_value(elem: DataElement) -> str:
    """A short, printable rendering of an element's value."""
    if elem.VR == "SQ":
        return f"{len(elem.value)} item(s)"
    if elem.tag == 0x7FE00010:
        return "(pixel data, streamed from the source at write time)"
    value = elem.value
    if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
        return "(empty)"
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if elem.VM > 1:
        text = "\\".join(str(v) for v in value)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"



def report_data(plan: Plan, ctx: Context) -> dict[str, Any]:
    """Everything the report shows, as plain data (also the JSON output)."""
    ds = ctx.builder.dataset
    attributes = []
    for elem in ds:
        source = ctx.builder.source_of(elem.tag) or Source(SourceKind.COMPUTED)
        attributes.append({
            "tag": f"({elem.tag.group:04X},{elem.tag.element:04X})",
            "keyword": elem.keyword or "",
            "vr": elem.VR,
            "value": show_value(elem),
            "source": str(source),
        })
    frames = sum(image.frame_count for image in plan.images)
    return {
        "profile": plan.profile.source,
        "name": plan.profile.name,
        "inputs": [str(image.path) for image in plan.images],
        "output": str(plan.output) if plan.output is not None else None,
        "steps": [{"title": step.title, "description": step.describe()} for step in plan.steps],
        "sop_class": {"name": ctx.sop_class_name, "uid": ctx.sop_class_uid},
        "transfer_syntax": {"name": UID(ctx.transfer_syntax).name, "uid": ctx.transfer_syntax},
        "photometric_interpretation": str(ds.get("PhotometricInterpretation", "")),
        "frames": frames,
        "codecs": [codec_facts(image) for image in plan.images],
        "detected": list(ctx.builder.notes),
        "warnings": [w for image in plan.images for w in (f"{image.path.name}: {x}" for x in image.warnings)],
        "attributes": attributes,
        "findings": [{"severity": f.severity, "attribute": f.attribute, "message": f.message}
                     for f in ctx.findings],
    }


def codec_facts(image: SourceImage) -> dict[str, Any]:
    """Per input: the codec (a video's, or the reader's format), profile/level, frames, syntax."""
    video = image.video
    return {
        "input": image.path.name,
        "codec": video.codec if video is not None else image.format,
        "profile_level": video.profile_level if video is not None else "",
        "container": video.container if video is not None else "",
        "frames": image.frame_count,
        "transfer_syntax": image.pixels.transfer_syntax,
    }


def render(data: dict[str, Any], console: Console, dry_run: bool = True) -> None:
    """Rich rendering of :func:`report_data`."""
    heading = "Dry run: nothing written" if dry_run else "Written"
    console.print(f"[bold]{heading}[/bold] — profile {data['profile']}"
                  + (f" ({data['name']})" if data["name"] else ""))
    console.print(f"inputs: {', '.join(data['inputs'])}")
    console.print(f"output: {data['output'] or '(none)'}")
    steps = Table(title="Steps, in order", show_lines=False)
    steps.add_column("#", justify="right")
    steps.add_column("step")
    steps.add_column("what it does")
    for number, step in enumerate(data["steps"], 1):
        steps.add_row(str(number), step["title"], step["description"])
    console.print(steps)
    console.print(f"SOP class: [bold]{data['sop_class']['name']}[/bold] ({data['sop_class']['uid']})")
    console.print(f"transfer syntax: [bold]{data['transfer_syntax']['name']}[/bold] ({data['transfer_syntax']['uid']})")
    console.print(f"photometric interpretation: [bold]{data['photometric_interpretation']}[/bold]; "
                  f"frames: {data['frames']}")
    for codec in data.get("codecs", []):
        detail = " ".join(part for part in (codec["codec"], codec["profile_level"]) if part)
        where = f" in {codec['container']}" if codec["container"] else ""
        console.print(f"codec: {codec['input']}: {detail}{where}, {codec['frames']} frame(s) -> "
                      f"{codec['transfer_syntax']}", highlight=False)
    for line in data["detected"]:
        console.print(f"  • {line}", highlight=False)
    for line in data["warnings"]:
        console.print(f"  [yellow]warning[/yellow]: {line}", highlight=False)
    table = Table(title="Attributes to be written" if dry_run else "Attributes written")
    for column in ("tag", "keyword", "VR", "value", "source"):
        table.add_column(column, overflow="fold")
    for row in data["attributes"]:
        table.add_row(row["tag"], row["keyword"], row["vr"], row["value"], row["source"])
    console.print(table)
    if data["findings"]:
        for finding in data["findings"]:
            colour = "red" if finding["severity"] == "error" else "yellow"
            console.print(f"[{colour}]{finding['severity']}[/{colour}]: {finding['attribute']}: {finding['message']}",
                          highlight=False)
    else:
        console.print("IOD check: no findings")
