"""Step 1: start from a template dataset (DICOM, dcm2xml XML or dump), cleaned and restricted.

Every attribute of the template is attributed to it by path (as given), so the
report and character-set errors can point at the file. What the template may not
contribute to the target IOD (``template.keep``/``keep_private``) is left out here and
named in the report with the reason.
"""

from __future__ import annotations

from img2dcm.context import Context
from img2dcm.profile.model import TemplateOptions
from img2dcm.provenance import Source, SourceKind

KIND_NAMES = {"dicom": "DICOM", "xml": "dcm2xml XML", "dump": "dump2dcm text"}


class LoadTemplate:
    title = "template"

    def __init__(self, options: TemplateOptions) -> None:
        self.options = options

    def describe(self) -> str:
        keep = ("only attributes of the target IOD's modules" if self.options.keep == "iod"
                else "every attribute (keep: all)")
        private = "with" if self.options.keep_private else "without"
        return (f"start from the {KIND_NAMES[self.options.kind]} template {self.options.path}, "
                f"{keep}, {private} private attributes, "
                "without its pixel, palette, ICC, frame, lossy and SOP instance attributes")

    def apply(self, ctx: Context) -> None:
        from img2dcm.templates.load import template_for

        dataset, notes = template_for(self.options, ctx.profile.output.sop_class)
        ctx.builder.adopt(dataset, Source(SourceKind.TEMPLATE, str(self.options.path)))
        for line in notes:
            ctx.builder.note(line)
