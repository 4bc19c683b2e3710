"""Ours: patient and order data from the Modality Worklist (``sources.worklist``, docs/network.md).

Runs after the template and study/series import, before the UIDs (pipeline.py), so the order's
Study Instance UID is kept rather than a new one made. Each attribute's provenance
is ``worklist (AE@HOST:PORT)``. The query also runs for ``--dry-run``, whose report
then shows the item's values.
"""

from __future__ import annotations

from collections.abc import Mapping

from img2dcm.context import Context
from img2dcm.errors import ConversionError
from img2dcm.profile.model import SendOptions, WorklistSource
from img2dcm.provenance import Source, SourceKind


class WorklistAttributes:
    title = "worklist"

    def __init__(self, source: WorklistSource, options: SendOptions | None = None,
                 row: Mapping[str, str] | None = None) -> None:
        self.source = source
        self.options = options or SendOptions()
        self.row = dict(row or {})  # the manifest row of this input, when the batch runner has one

    def describe(self) -> str:
        keys = ", ".join(self.source.match_keys or [k for k, _ in self.source.match_values])
        return (f"query the Modality Worklist at {self.source.url} for the one item matching {keys}; "
                "set patient, study and Request Attributes Sequence from it")

    def match(self, ctx: Context) -> dict[str, str]:
        """Literal values, then each listed keyword's value from the manifest row or the profile keys."""
        values = dict(self.source.match_values)
        keys = {spec.path: spec.value for spec in ctx.profile.keys}
        for keyword in self.source.match_keys:
            value = self.row.get(keyword, keys.get(keyword))
            if not value:
                raise ConversionError(f"sources.worklist.match: no value for {keyword} (give it as a key or in "
                                      "the manifest row)", ctx.profile.source)
            values[keyword] = value
        return values

    def apply(self, ctx: Context) -> None:
        from img2dcm.net.extra import require_net_extra

        require_net_extra()
        from img2dcm.net.destination import parse_destination
        from img2dcm.net.worklist import query_worklist, worklist_attributes

        destination = parse_destination(self.source.url)
        item = query_worklist(destination, self.match(ctx), options=self.options,
                              scheduled_station_ae=self.source.scheduled_station_ae,
                              modality=self.source.modality, date=self.source.date)
        provenance = Source(SourceKind.WORKLIST, destination.label)
        for element in worklist_attributes(item):
            ctx.builder.put(element.tag, element.value, provenance, element.VR)
