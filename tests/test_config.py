"""Settings: GRADPATH_* environment variables first, then ``<home>/gradpath.env``, then defaults."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from gradpath import config
from gradpath.config import DEFAULT_CIP_FAMILIES, Settings, read_env_file, settings_from_env


def test_environment_variables_give_typed_settings(tmp_path: Path) -> None:
    settings = settings_from_env(
        {
            "GRADPATH_HOME": str(tmp_path),
            "GRADPATH_PORT": "9000",
            "GRADPATH_CIP_FAMILIES": "51.27, 11.01,",
            "GRADPATH_DATA_MIRROR": "/srv/mirror",
            "GRADPATH_ADMIN_TOKEN": "s3cret",
            "PATH": "/usr/bin",  # not ours: ignored
        }
    )
    assert settings.home == tmp_path and settings.port == 9000
    assert settings.cip_families == ["51.27", "11.01"]
    assert settings.data_mirror == Path("/srv/mirror")
    assert settings.admin_token is not None and settings.admin_token.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings)


def test_without_variables_the_defaults_apply(tmp_path: Path) -> None:
    settings = settings_from_env({"GRADPATH_HOME": str(tmp_path)})
    assert (settings.port, settings.host, settings.database_url) == (8000, "127.0.0.1", None)
    assert settings.cip_families == list(DEFAULT_CIP_FAMILIES)
    assert settings.catalog_url == f"sqlite:///{tmp_path / 'catalog.sqlite'}" and not settings.is_postgres
    assert settings.downloads_dir == tmp_path / "data"
    assert settings.local_sqlite_path == tmp_path / "local.sqlite"


def test_the_env_file_fills_what_the_environment_does_not_set(tmp_path: Path) -> None:
    env_file = tmp_path / "gradpath.env"
    env_file.write_text(
        "# written by make install\n"
        "\n"
        "GRADPATH_DATA_MIRROR=/srv/shared/data\n"
        'GRADPATH_PORT="8123"\n'
        "GRADPATH_HOST='0.0.0.0'\n"
        "not a setting line\n"
    )
    settings = settings_from_env({"GRADPATH_HOME": str(tmp_path), "GRADPATH_PORT": "9001"}, env_file=env_file)
    assert settings.data_mirror == Path("/srv/shared/data")
    assert settings.host == "0.0.0.0"
    assert settings.port == 9001  # the environment wins over the file


def test_a_missing_env_file_is_not_an_error(tmp_path: Path) -> None:
    settings = settings_from_env({"GRADPATH_HOME": str(tmp_path)}, env_file=tmp_path / "absent.env")
    assert settings.port == 8000


def test_read_env_file_skips_comments_and_strips_quotes(tmp_path: Path) -> None:
    path = tmp_path / "x.env"
    path.write_text("# c\nA=1\n  B = 'two'  \nC=\"3=3\"\n\nD\n")
    assert read_env_file(path) == {"A": "1", "B": "two", "C": "3=3"}


def test_postgresql_urls_switch_the_catalog_and_name_the_local_schema(tmp_path: Path) -> None:
    settings = settings_from_env(
        {
            "GRADPATH_HOME": str(tmp_path),
            "GRADPATH_DATABASE_URL": "postgresql+psycopg://gp@127.0.0.1:5432/gp",
            "GRADPATH_PG_SCHEMA": "catalog_a",
        }
    )
    assert settings.is_postgres and settings.catalog_url.startswith("postgresql+psycopg://")
    assert settings.pg_local_schema == "catalog_a_local"


@pytest.mark.parametrize(
    ("name", "value", "setting"),
    [
        ("GRADPATH_PORT", "eighty", "port"),
        ("GRADPATH_PORT", "70000", "port"),
        ("GRADPATH_CIP_FAMILIES", "51.2", "cip_families"),
        ("GRADPATH_CIP_FAMILIES", "51.27,health", "cip_families"),
        ("GRADPATH_PG_SCHEMA", "Catalog-1", "pg_schema"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_setting(tmp_path: Path, name: str, value: str, setting: str) -> None:
    with pytest.raises(ValidationError) as err:
        settings_from_env({"GRADPATH_HOME": str(tmp_path), name: value})
    (problem,) = err.value.errors()
    assert problem["loc"][0] == setting
    assert setting in str(err.value)


def test_a_bad_value_in_the_env_file_is_an_error_naming_the_setting(tmp_path: Path) -> None:
    env_file = tmp_path / "gradpath.env"
    env_file.write_text("GRADPATH_CIP_FAMILIES=51.27,5127\n")
    with pytest.raises(ValidationError, match="cip_families") as err:
        settings_from_env({"GRADPATH_HOME": str(tmp_path)}, env_file=env_file)
    assert "'5127' is not a 4-digit code" in str(err.value)


def test_unknown_fields_are_refused_when_settings_are_built_directly(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="catalog_path"):
        Settings.model_validate({"home": tmp_path, "catalog_path": "/x"})


def test_get_settings_reads_the_env_file_in_gradpath_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in [k for k in os.environ if k.startswith("GRADPATH_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("GRADPATH_HOME", str(tmp_path))
    (tmp_path / "gradpath.env").write_text("GRADPATH_DATA_MIRROR=/srv/from-env-file\n")
    config.get_settings.cache_clear()
    try:
        settings = config.get_settings()
        assert settings.home == tmp_path.resolve()
        assert settings.data_mirror == Path("/srv/from-env-file")
    finally:
        config.get_settings.cache_clear()
