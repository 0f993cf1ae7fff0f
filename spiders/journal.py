"""A crawl's journal: what the crawler fetched, as JSON lines, for the ingest step to record.

The crawler never writes the database. Each crawl run appends one line per
stored document, unchanged page, failure and list page to its journal, flushed
as it goes, and holds an exclusive lock on the file while it runs: a journal
whose lock is free belongs to a crawl that ended, cleanly or not, and whatever
it holds can be recorded. The last line of a crawl that ended cleanly is its
``end`` record with the crawl's counters.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

# Record kinds.
START, DOCUMENT, UNCHANGED, FAILURE, LIST, END = "start", "document", "unchanged", "failure", "list", "end"
# Each line: {"type": one of those, "at": when, …}.


class Journal:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Locked before it carries its name: a journal seen unlocked would be taken for an ended crawl's.
        fresh = self.path if self.path.exists() else self.path.with_name(self.path.name + ".new")
        self._file: TextIO | None = open(fresh, "a", encoding="utf-8")
        fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if fresh != self.path:
            os.replace(fresh, self.path)

    def write(self, type_: str, /, **record: Any) -> None:
        assert self._file is not None, "the journal is closed"
        line = {"type": type_, "at": datetime.now(UTC).isoformat(), **record}
        self._file.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None


def is_live(path: Path) -> bool:
    """Whether a crawl still holds the journal (it is running)."""
    try:
        with open(path, "a", encoding="utf-8") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(fh, fcntl.LOCK_UN)
            return False
    except FileNotFoundError:
        return False


def read(path: Path) -> Iterator[dict[str, Any]]:
    """The journal's records; a last line cut short by a killed crawl is skipped."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.endswith("\n"):
                yield json.loads(line)
