"""Print an HTML page to PDF with headless Chromium (Debian's ``chromium`` package).

The page is written to a temporary directory and printed by a headless browser with a fresh
profile, no network services, no header or footer; the page's own CSS sets A4. Chromium is
found as ``$ZOPA_CHROMIUM``, else on ``PATH`` as ``chromium``, ``chromium-browser`` or
``google-chrome``. When it is missing, the error names the package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from zopa.errors import UsageError

ENV = "ZOPA_CHROMIUM"
"""The environment variable naming the Chromium executable (overrides the search on PATH)."""

NAMES = ("chromium", "chromium-browser", "google-chrome")
"""The executable names looked for on PATH, in order."""

TIMEOUT = 180.0
"""Seconds to wait for Chromium to print the page."""

INSTALL = (
    "PDF output needs Chromium (headless): install it with `apt-get install chromium` "
    "(Debian; `chromium-browser` on some distributions), or set ZOPA_CHROMIUM to its path"
)

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-pdf-header-footer",
)
"""Chromium's flags: headless, no network services of its own, no header or footer."""


def find_chromium() -> str:
    """Return the path of the Chromium executable.

    Raises
    ------
    zopa.UsageError
        When ``$ZOPA_CHROMIUM`` names no executable file, or none of :data:`NAMES` is on PATH
        (the message names the Debian package).
    """
    named = os.environ.get(ENV)
    if named:
        path = Path(named)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        raise UsageError(f"{ENV}={named} is not an executable file. {INSTALL}", parameter="output")
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise UsageError(f"no Chromium found on PATH. {INSTALL}", parameter="output")


def html_to_pdf(html: str, timeout: float = TIMEOUT) -> bytes:
    """Print an HTML page to PDF bytes with headless Chromium.

    Parameters
    ----------
    html
        A self-contained page (it is opened from a temporary file; nothing else is served).
    timeout
        Seconds to wait for the browser.

    Raises
    ------
    zopa.UsageError
        When Chromium is missing, fails, or does not finish within ``timeout``.
    """
    browser = find_chromium()
    with tempfile.TemporaryDirectory(prefix="zopa-pdf-") as tmp:
        page = Path(tmp) / "briefing.html"
        out = Path(tmp) / "briefing.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(  # a fixed argument list, no shell
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise UsageError(
                f"Chromium did not print the PDF within {timeout:.0f} s", parameter="output"
            ) from None
        except OSError as exc:
            raise UsageError(
                f"cannot run Chromium ({browser}): {exc.strerror or exc}. {INSTALL}",
                parameter="output",
            ) from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            detail = ("; " + " / ".join(tail)) if tail else ""
            raise UsageError(
                f"Chromium failed to print the PDF (exit code {done.returncode}){detail}",
                parameter="output",
            )
        return out.read_bytes()
