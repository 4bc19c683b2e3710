"""The one place where failures become log lines and exit codes, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable

from img2dcm.errors import EXIT_CONVERSION, Img2DcmError, UsageError

log = logging.getLogger("img2dcm")


def guarded(action: Callable[[], int], on_usage: Callable[[str], int] | None = None) -> int:
    """Run a command body; our errors print as their lines, anything else as one internal-error line."""
    try:
        return action()
    except UsageError as exc:
        if on_usage is not None:
            return on_usage(exc.message)
        log.error("%s", exc.line())
        return exc.exit_code
    except Img2DcmError as exc:
        for line in exc.line().splitlines():
            log.error("%s", line)
        return exc.exit_code
    except KeyboardInterrupt:
        log.error("interrupted")
        return EXIT_CONVERSION
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback, ever
        log.debug("internal error", exc_info=True)
        log.critical("internal error: %s: %s (please report it; -d shows the details)", type(exc).__name__, exc)
        return EXIT_CONVERSION
