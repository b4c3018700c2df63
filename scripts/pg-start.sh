#!/usr/bin/env bash
# Start the local PostgreSQL server (Debian's packages) and make sure a role and a database for Gongzhi
# exist; print the DATABASE_URL on stdout, everything else on stderr.
#
#   export DATABASE_URL=$(bash scripts/pg-start.sh)
#
# The role gets CREATEDB because the test runner creates test_<name> (and test_<name>_gw0… with xdist).
# Names and password come from GONGZHI_PG_USER / GONGZHI_PG_DB / GONGZHI_PG_PASSWORD (defaults: gongzhi,
# gongzhi, gongzhi-dev). Needs root or sudo. Install the server first: apt-get install -y postgresql
set -euo pipefail

user=${GONGZHI_PG_USER:-gongzhi}
db=${GONGZHI_PG_DB:-gongzhi}
password=${GONGZHI_PG_PASSWORD:-gongzhi-dev}

log() { printf '%s\n' "$*" >&2; }
as_postgres() {
    # from /, which the postgres user can enter (a fresh clone under /tmp may be private to root)
    (cd / && if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi)
}
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

command -v pg_lsclusters >/dev/null || { log "PostgreSQL is not installed: apt-get install -y postgresql"; exit 1; }
for name in "$user" "$db"; do
    [[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || { log "not a plain PostgreSQL name: $name"; exit 1; }
done
[[ $password != *"'"* ]] || { log "GONGZHI_PG_PASSWORD must not contain a quote"; exit 1; }

# The newest installed server version; Debian's package creates its "main" cluster, but a container may
# have skipped that or not started it.
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
[ -n "$version" ] || { log "no PostgreSQL server under /usr/lib/postgresql"; exit 1; }
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    log "creating PostgreSQL $version cluster 'main'"
    as_root pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 ~ /online/ { found = 1 } END { exit !found }'; then
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not come up on port $port"; exit 1; }

as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -q >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
        CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password';
    ELSE
        ALTER ROLE $user LOGIN CREATEDB PASSWORD '$password';
    END IF;
END
\$\$;
SQL
if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    as_postgres createdb -p "$port" -O "$user" -E UTF8 -T template0 "$db" >&2
fi
log "PostgreSQL $version ready on port $port, database $db, role $user"
echo "postgresql://$user:$password@127.0.0.1:$port/$db"
