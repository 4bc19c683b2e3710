"""Step 1: start from a template dataset (DICOM, dcm2xml XML or dump), cleaned.

Every attribute of the template is attributed to it by path (as given), so the
report and character-set errors can point at the file.
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
        return (f"start from the {KIND_NAMES[self.options.kind]} template {self.options.path}, "
                "without its pixel, palette, ICC, frame, lossy and SOP instance attributes")

    def apply(self, ctx: Context) -> None:
        from img2dcm.templates.load import load_template_cleaned

        dataset, removed = load_template_cleaned(self.options)
        ctx.builder.adopt(dataset, Source(SourceKind.TEMPLATE, str(self.options.path)))
        if removed:
            ctx.builder.note(f"template {self.options.path}: removed {', '.join(removed)} "
                             "(they describe the template's own pixels)")
