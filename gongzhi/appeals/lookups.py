"""Two lookups that let the inbox queries reach their partial indexes (see ``selectors._inbox``).

``status__in_literals=("assigned", …)`` writes the statuses into the SQL as literals. SQLite uses a partial
index only when the query's WHERE repeats the index's condition term for term, and it cannot see through
bound parameters: ``status IN (?, ?, ?)`` never matches ``WHERE status IN ('assigned', …)``.

``path__under="0001…"`` is the subtree range ``path >= p AND path < upper_bound(p)``; on SQLite it is
written with unary plus (``+path``: the same value) so the planner does not pick the path index and sort a
whole street's cases, but walks the inbox's (due_at, id, path) partial index in order and stops after a page.
"""

import re

from django.db.models import CharField, Lookup

from gongzhi.core import paths

_SAFE = re.compile(r"[a-z_]{1,30}")


class InLiterals(Lookup):
    lookup_name = "in_literals"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        values = list(self.rhs)
        if not values or not all(isinstance(v, str) and _SAFE.fullmatch(v) for v in values):
            raise ValueError("in_literals takes enum values (lower-case letters and underscores) only")
        lhs, params = self.process_lhs(compiler, connection)
        quoted = ", ".join(f"'{v}'" for v in values)
        return f"{lhs} IN ({quoted})", params


class Under(Lookup):
    lookup_name = "under"
    prepare_rhs = False

    def _sql(self, compiler, connection, plus: str):
        lhs, params = self.process_lhs(compiler, connection)
        path = str(self.rhs)
        if not path.isdigit():
            raise ValueError("a materialised path has digits only")
        return f"({plus}{lhs} >= %s AND {plus}{lhs} < %s)", [*params, path, paths.upper_bound(path)]

    def as_sql(self, compiler, connection):
        return self._sql(compiler, connection, "")

    def as_sqlite(self, compiler, connection):
        return self._sql(compiler, connection, "+")


def register(field: CharField) -> None:
    field.register_lookup(InLiterals)
    field.register_lookup(Under)
