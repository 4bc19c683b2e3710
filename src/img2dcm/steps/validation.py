"""Validation step: check the finished dataset against our IOD tables, for the report.

Never raises: findings go to ``ctx.findings`` and appear in the dry-run report and
after a real run.
"""

from __future__ import annotations

import logging

from img2dcm.iods.check import check_dataset
from img2dcm.context import Context, Finding

log = logging.getLogger(__name__)


class ValidateIod:
    """Check the dataset with :func:`img2dcm.iods.check.check_dataset`."""

    title = "IOD validation"

    def describe(self) -> str:
        return "check the result against the SOP class's IOD table (findings in the report)"

    def apply(self, ctx: Context) -> None:
        try:
            ctx.findings.extend(check_dataset(ctx.builder.dataset, ctx.transfer_syntax))
        except Exception as exc:  # a checker bug must not lose the user's output
            log.exception("IOD validation failed")
            ctx.findings.append(Finding("error", "-", f"validation could not run: {exc}"))
