"""Settings for the vote race: production settings (WAL, BEGIN IMMEDIATE, busy timeout) on DATABASE_URL,
tables created from the models (no migrations)."""

from gongzhi.settings import *  # noqa: F403


class _NoMigrations(dict):
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


MIGRATION_MODULES = _NoMigrations()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 - tests only
LOGGING = {"version": 1, "disable_existing_loggers": False}
