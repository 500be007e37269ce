"""Printing HTML to PDF with headless Chromium, found on PATH.

Chromium lays out the pack with its print stylesheet (A4 landscape, page
margins with the protective marking and page numbers). It runs with a
throwaway profile, no network services and no sandbox-dependent features, and
the PDF is moved into place only when Chromium has written it whole.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import RenderError

__all__ = ["find_chromium", "html_to_pdf", "CHROMIUM_NAMES", "INSTALL"]

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Program names tried on PATH, in order."""
INSTALL = "Install it with `sudo apt-get install chromium` (Debian, Ubuntu) or write .html and print from a browser"


def find_chromium() -> str:
    """The path of a Chromium (or Chrome) program on PATH.

    Raises
    ------
    RenderError
        None is installed; the message says how to install one.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise RenderError("Chromium is not installed: it prints the board pack to PDF", INSTALL)


def html_to_pdf(html: str, path: str | Path, timeout: float = 180) -> Path:
    """Print an HTML page to a PDF file with headless Chromium.

    Parameters
    ----------
    html : str
        A self-contained page (no network is used).
    path : path
        The PDF to write; its folder is made if need be. A failure leaves no file.
    timeout : float
        Seconds to wait for Chromium.

    Returns
    -------
    Path

    Raises
    ------
    RenderError
        Chromium is missing, fails or times out.
    """
    exe = find_chromium()
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="restructure-pdf-") as tmp:
        page = Path(tmp) / "pack.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "pack.pdf"
        cmd = [
            exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
            f"--print-to-pdf={out}", page.as_uri(),
        ]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RenderError(f"Chromium did not finish printing in {timeout:.0f} s", "Try again, or write .html") from None
        if not out.exists() or not out.read_bytes().startswith(b"%PDF"):
            last = (run.stderr.strip().splitlines() or ["no message"])[-1]
            raise RenderError(f"Chromium could not print the pack ({last})", "Write .html and print from a browser")
        from ..io.atomic import write_atomic

        write_atomic(path, out.read_bytes())
    return path
