"""Settings: every knob GradPath reads, declared once with a default and a help string.

Values come from environment variables named ``GRADPATH_<FIELD>`` (upper case), then from the
file ``<home>/gradpath.env`` that ``make install`` writes (so a ``gradpath`` command run by hand
finds the same mirror and catalog as the Makefile), then from the defaults below.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_CIP_FAMILIES = (
    "11.01", "11.04", "11.07", "14.05", "26.11", "27.05",
    "30.70", "30.71", "51.07", "51.22", "51.27",
)  # fmt: skip


def _checkout_root() -> Path | None:
    """The source checkout this package runs from, if it runs from one (editable install)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "src" / "gradpath").is_dir() else None


def default_home() -> Path:
    """``var/`` inside a source checkout, else the user's data directory."""
    env = os.environ.get("GRADPATH_HOME")
    if env:
        return Path(env).expanduser().resolve()
    root = _checkout_root()
    if root is not None:
        return root / "var"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "gradpath"


def _default_curated() -> Path:
    root = _checkout_root()
    return (root / "data" / "curated") if root else Path(__file__).resolve().parent / "curated"


class Settings(BaseSettings):
    """GradPath settings. Each field is read from ``GRADPATH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="GRADPATH_", extra="ignore")

    home: Path = Field(
        default_factory=default_home,
        description="Where GradPath keeps its catalog, downloads and local state "
        "(default: var/ in a source checkout, else ~/.local/share/gradpath).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the catalog. Unset: the SQLite file <home>/catalog.sqlite. "
        "PostgreSQL: postgresql+psycopg://user@host/db.",
    )
    pg_schema: str = Field(
        default="gradpath",
        pattern=r"^[a-z_][a-z0-9_]{0,40}$",
        description="PostgreSQL only: schema holding the catalog (local review state goes in <schema>_local).",
    )
    data_dir: Path | None = Field(
        default=None,
        description="Where `gradpath data fetch` puts the publishers' releases (default <home>/data).",
    )
    data_mirror: Path | None = Field(
        default=None,
        description="A local mirror of the data sets laid out like shared/data; preferred over downloads.",
    )
    curated_dir: Path = Field(
        default_factory=_default_curated,
        description="Facts the team curated in its own words (roles, topics, certifications, program facts).",
    )
    cip_families: list[str] = Field(
        default=list(DEFAULT_CIP_FAMILIES),
        description="4-digit CIP families whose master's programs become offerings (comma-separated).",
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description="Enables /admin/review when set; reviewers send it as a bearer token or log in with it.",
    )
    user_agent: str = Field(
        default="GradPath/0.1 (+https://github.com/gradpath/gradpath; data-fetch; contact: gradpath@users.noreply.github.com)",
        description="User-Agent for downloads and page fetches (publishers ask for contact details).",
    )
    host: str = Field(default="127.0.0.1", description="Address `gradpath serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `gradpath serve` listens on.")

    @field_validator("cip_families", mode="before")
    @classmethod
    def _split_families(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("cip_families")
    @classmethod
    def _check_families(cls, value: list[str]) -> list[str]:
        import re

        for family in value:
            if not re.fullmatch(r"\d{2}\.\d{2}", family):
                raise ValueError(f"CIP family {family!r} is not a 4-digit code like 51.27")
        return value

    # Derived locations -----------------------------------------------------------------------
    @property
    def catalog_url(self) -> str:
        """The catalog's SQLAlchemy URL."""
        return self.database_url or f"sqlite:///{self.home / 'catalog.sqlite'}"

    @property
    def is_postgres(self) -> bool:
        return self.catalog_url.startswith("postgresql")

    @property
    def local_sqlite_path(self) -> Path:
        """SQLite only: the file with state that survives rebuilds (the review queue)."""
        return self.home / "local.sqlite"

    @property
    def downloads_dir(self) -> Path:
        return self.data_dir or (self.home / "data")

    @property
    def pg_local_schema(self) -> str:
        return f"{self.pg_schema}_local"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (environment first, then <home>/gradpath.env)."""
    home = default_home()
    env_file = home / "gradpath.env"
    if env_file.is_file():
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    return Settings()
