"""Settings from the environment: GONGZHI_DATA_DIR holds everything written, keys are generated once, 0600."""

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json
import django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"), "port": db.get("PORT"),
    "user": db.get("USER"), "secret_key": settings.SECRET_KEY, "data_key": settings.DATA_KEY,
    "data_dir": str(settings.DATA_DIR), "static_root": str(settings.STATIC_ROOT),
    "media_root": str(settings.MEDIA_ROOT),
}))
"""


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GONGZHI_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["DJANGO_SETTINGS_MODULE"] = "gongzhi.settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(overrides)
    return env


def probe(cwd: Path, **env: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, env=clean_env(**env),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_data_dir_holds_sqlite_file_keys_static_and_uploads(tmp_path):
    data, cwd = tmp_path / "data", tmp_path / "cwd"
    cwd.mkdir()

    found = probe(cwd, GONGZHI_DATA_DIR=str(data))

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(data / "gongzhi.sqlite3")
    assert found["data_dir"] == str(data)
    assert (found["static_root"], found["media_root"]) == (str(data / "static"), str(data / "uploads"))
    assert sorted(p.name for p in (data / "keys").iterdir()) == ["data.key", "secret.key"]
    assert (data / "keys" / "secret.key").read_text().strip() == found["secret_key"]
    assert (data / "keys" / "data.key").read_text().strip() == found["data_key"]
    assert list(cwd.iterdir()) == []  # nothing written outside the data directory


def test_generated_keys_are_private_to_their_owner(tmp_path):
    probe(tmp_path, GONGZHI_DATA_DIR=str(tmp_path / "data"))

    for name in ("secret.key", "data.key"):
        assert stat.S_IMODE((tmp_path / "data" / "keys" / name).stat().st_mode) == 0o600


def test_generated_keys_are_reused_on_the_next_start(tmp_path):
    data = tmp_path / "data"
    first = probe(tmp_path, GONGZHI_DATA_DIR=str(data))
    written = {p.name: p.stat().st_mtime_ns for p in (data / "keys").iterdir()}

    second = probe(tmp_path, GONGZHI_DATA_DIR=str(data))

    assert (second["secret_key"], second["data_key"]) == (first["secret_key"], first["data_key"])
    assert len(first["data_key"]) >= 32
    assert first["secret_key"] != first["data_key"]
    assert {p.name: p.stat().st_mtime_ns for p in (data / "keys").iterdir()} == written


def test_keys_from_the_environment_win_and_are_not_written(tmp_path):
    data = tmp_path / "data"

    found = probe(tmp_path, GONGZHI_DATA_DIR=str(data),
                  GONGZHI_SECRET_KEY="s" * 50, GONGZHI_DATA_KEY="d" * 43)

    assert (found["secret_key"], found["data_key"]) == ("s" * 50, "d" * 43)
    assert not (data / "keys").exists()


def test_default_data_dir_is_var_in_the_working_directory(tmp_path):
    found = probe(tmp_path)

    assert found["data_dir"] == str(tmp_path / "var")
    assert found["name"] == str(tmp_path / "var" / "gongzhi.sqlite3")


def test_database_url_is_honoured(tmp_path):
    found = probe(tmp_path, GONGZHI_DATA_DIR=str(tmp_path / "data"),
                  DATABASE_URL="postgresql://gz:secret@db.internal:6543/gongzhi_prod")

    assert found["engine"] == "django.db.backends.postgresql"
    assert (found["name"], found["host"], found["port"], found["user"]) == (
        "gongzhi_prod", "db.internal", 6543, "gz")
    assert not (tmp_path / "data" / "gongzhi.sqlite3").exists()


def test_migrate_creates_the_sqlite_database_inside_the_data_dir(tmp_path):
    data, cwd = tmp_path / "data", tmp_path / "cwd"
    cwd.mkdir()

    # One small app is enough to show where the file goes; all apps' migrations take half a minute.
    result = subprocess.run([sys.executable, "-m", "gongzhi", "migrate", "contenttypes", "--noinput"], cwd=cwd,
                            env=clean_env(GONGZHI_DATA_DIR=str(data)), capture_output=True, text=True,
                            timeout=300, check=False)

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(data / "gongzhi.sqlite3") as db:
        applied = {app for (app,) in db.execute("SELECT DISTINCT app FROM django_migrations")}
    assert applied == {"contenttypes"}
    assert list(cwd.iterdir()) == []
