"""A logging filter that masks ID numbers and mobile numbers in every log line.

Our code never logs personal data, but a log line can still carry what a user typed: a username that is an
ID number in the SQL debug log of a failed login, a path. Attached to the handlers in settings.LOGGING, it
masks them (350102********1234, 138****5678) before anything is written.
"""

import logging

from .masking import redact_identifiers


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logging's problem, not a reason to drop it
            return True
        redacted = redact_identifiers(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
