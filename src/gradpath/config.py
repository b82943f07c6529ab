"""Settings: every knob GradPath reads, declared once with a default and a help string.

Values come from environment variables named ``GRADPATH_<FIELD>`` (upper case), then from the
file ``<home>/gradpath.env`` that ``make install`` writes (so a ``gradpath`` command run by hand
finds the same mirror and catalog as the Makefile), then from the defaults below.

The model is a plain pydantic model with a small environment reader rather than
pydantic-settings: the latter costs ~150 ms of imports on every CLI call, and the CLI's budget
for a whole query is 300 ms.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

DEFAULT_CIP_FAMILIES = (
    "11.01",
    "11.04",
    "11.07",
    "14.05",
    "26.11",
    "27.05",
    "30.70",
    "30.71",
    "51.07",
    "51.22",
    "51.27",
)


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


def _default_assets() -> Path:
    root = _checkout_root()
    return (root / "node_modules") if root else Path(__file__).resolve().parent / "web" / "vendor"


def _default_curated() -> Path:
    root = _checkout_root()
    return (root / "data" / "curated") if root else Path(__file__).resolve().parent / "curated"


ENV_PREFIX = "GRADPATH_"


class Settings(BaseModel):
    """GradPath settings. Each field is read from ``GRADPATH_<NAME>``."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

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
        default="GradPath/0.1 (program-choice research tool; set GRADPATH_USER_AGENT to add your contact e-mail)",
        description="User-Agent for downloads and page fetches. Publishers such as BLS ask for contact "
        "details: put your e-mail address in it.",
    )
    assets_dir: Path = Field(
        default_factory=_default_assets,
        description="Where the npm packages the web app serves are installed (htmx, Chart.js, axe-core); "
        "`make install` runs `npm ci` into node_modules/.",
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


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines of an env file (``#`` comments and blank lines skipped)."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def settings_from_env(environ: dict[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Settings from ``GRADPATH_*`` variables, falling back to an env file, then to defaults."""
    environ = dict(os.environ if environ is None else environ)
    merged: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        merged.update(read_env_file(env_file))
    # An empty variable counts as unset, so the env file (or the default) still applies.
    merged.update({k: v for k, v in environ.items() if k.startswith(ENV_PREFIX) and v != ""})
    values: dict[str, object] = {}
    for name in Settings.model_fields:
        key = ENV_PREFIX + name.upper()
        if key in merged and merged[key] != "":
            values[name] = merged[key]
    return Settings.model_validate(values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (environment first, then <home>/gradpath.env)."""
    return settings_from_env(env_file=default_home() / "gradpath.env")
