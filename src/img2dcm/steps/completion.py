"""IOD completion (DCMTK ``--do-checks``, ``+i1/-i1``, ``+i2/-i2``), driven by our tables.

Runs after the keys, so user values win; what is still missing is inserted empty
(type 2), invented (type 1 with a default) or reported in ONE error.
"""

from __future__ import annotations

from img2dcm.errors import ConversionError
from img2dcm.iods import registry
from img2dcm.iods.complete import complete
from img2dcm.context import Context
from img2dcm.profile.model import Checks
from img2dcm.steps.sop_class import default_context


class CompleteIod:
    """Complete the dataset against the chosen SOP class's table."""

    title = "IOD completion"

    def __init__(self, checks: Checks) -> None:
        self.checks = checks

    def describe(self) -> str:
        parts = [
            "insert missing type 2 empty" if self.checks.insert_type2 else "missing type 2 is an error",
            "invent type 1 defaults" if self.checks.invent_type1 else "missing type 1 is an error",
        ]
        return "; ".join(parts) + "; fail listing every attribute nothing supplies"

    def apply(self, ctx: Context) -> None:
        table = registry.table_for_uid(ctx.sop_class_uid)
        if table is None:
            raise ConversionError(f"no IOD table for SOP class '{ctx.sop_class_uid}'")
        changes = complete(ctx.builder, table, self.checks, default_context(ctx))
        if changes:
            ctx.builder.note(f"{table.name} completion: " + "; ".join(changes))
