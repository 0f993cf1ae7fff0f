"""The raw store: every downloaded document's bytes, addressed by their sha256.

``raw/ab/abcdef…``; writes go through a temporary file and a rename, so a crawl
killed midway never leaves a half-written document under its final name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from nianbao.core import config


class RawStore:
    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else config.raw_dir()

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.is_file():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()
