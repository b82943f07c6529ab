"""A rich progress bar for long work (the build), fed through the service's Reporter protocol."""

from __future__ import annotations

from types import TracebackType

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class RichReporter:
    """One progress line per stage; stages with a known size show a bar."""

    def __init__(self) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<40}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichReporter:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._finish()
        self._progress.stop()

    def _finish(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[self._task]
            self._progress.update(self._task, total=task.completed or 1, completed=task.completed or 1)

    def stage(self, name: str, total: int | None = None) -> None:
        """Close the previous stage and open a new one."""
        self._finish()
        self._task = self._progress.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        """Count work done in the current stage."""
        if self._task is not None:
            self._progress.advance(self._task, n)
