"""Conversions with LibreOffice: DOC, WPS and RTF to DOCX for reading (and back, to make test documents).

Each conversion runs headless in a profile directory of its own, so conversions
side by side never share (or lock) one LibreOffice user profile, and with a
timeout, so a document that hangs the converter costs one document.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from nianbao.core.errors import UnreadableDocument

TIMEOUT = 120


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str, timeout: float = TIMEOUT) -> bytes:
    """``data`` (a file ending in ``suffix``) converted to ``target`` (a LibreOffice filter name or extension)."""
    binary = office_binary()
    if binary is None:
        raise UnreadableDocument("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="nianbao-office-") as tmp:
        src = Path(tmp) / f"in.{suffix}"
        src.write_bytes(data)
        try:
            subprocess.run(
                [binary, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                 "--convert-to", target, "--outdir", f"{tmp}/out", str(src)],
                check=True, capture_output=True, timeout=timeout,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise UnreadableDocument(f"LibreOffice could not convert the document: {exc}") from exc
        out = Path(tmp) / "out" / f"in.{target.split(':')[0]}"
        if not out.exists():
            raise UnreadableDocument("LibreOffice could not convert the document (no output)")
        return out.read_bytes()
