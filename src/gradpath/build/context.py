"""State shared by the build steps: the connection, the sources located, counts and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import Connection

from gradpath.config import Settings
from gradpath.sources.base import SourceRead


class Reporter(Protocol):
    """Receives progress; the CLI renders it as a rich progress bar, tests ignore it."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class SilentReporter:
    """A reporter that reports nothing."""

    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None


@dataclass
class BuildContext:
    settings: Settings
    conn: Connection
    reporter: Reporter
    workdir: Path
    reads: dict[str, SourceRead] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Lookups later steps need (filled by earlier ones).
    state: dict[str, Any] = field(default_factory=dict)

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def warn(self, message: str) -> None:
        self.warnings.append(message)
