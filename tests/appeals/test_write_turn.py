"""SQLite intakes take turns on a file lock before their write transaction (services._write_turn)."""

import fcntl

import pytest
from django.db import connection

from gongzhi.appeals import services

pytestmark = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's single write lock only")


def _free(path) -> bool:
    with open(path, "ab") as other:
        try:
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(other.fileno(), fcntl.LOCK_UN)
        return True


@pytest.fixture
def outermost(monkeypatch):
    """The test runs inside the test case's transaction; the request's intake would be the outermost one."""
    monkeypatch.setattr(services, "_in_transaction", lambda: False)


def test_a_file_database_is_locked_for_the_turn_and_released_after(tmp_path, monkeypatch, outermost):
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "gongzhi.sqlite3"))
    lock = tmp_path / "gongzhi.sqlite3-intake.lock"

    with services._write_turn():
        held = not _free(lock)

    assert held
    assert _free(lock)


def test_the_lock_is_released_when_the_intake_fails(tmp_path, monkeypatch, outermost):
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "gongzhi.sqlite3"))

    with pytest.raises(RuntimeError), services._write_turn():
        raise RuntimeError("intake failed")

    assert _free(tmp_path / "gongzhi.sqlite3-intake.lock")


def test_in_memory_databases_take_no_lock(tmp_path, monkeypatch, outermost):
    monkeypatch.setitem(connection.settings_dict, "NAME", "file:memorydb_default?mode=memory&cache=shared")
    monkeypatch.chdir(tmp_path)

    with services._write_turn():
        pass

    assert list(tmp_path.iterdir()) == []


def test_inside_an_outer_transaction_no_lock_is_taken(tmp_path, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "gongzhi.sqlite3"))
    monkeypatch.setattr(services, "_in_transaction", lambda: True)  # an import or a seed holding SQLite's lock

    with services._write_turn():
        pass

    assert not (tmp_path / "gongzhi.sqlite3-intake.lock").exists()
