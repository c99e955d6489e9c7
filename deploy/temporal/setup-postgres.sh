#!/bin/sh
# Runs once in temporalio/admin-tools before the server starts: creates the Temporal and visibility
# databases if missing and brings both schemas to the version this admin-tools image ships (an
# existing volume is upgraded in place; re-running is harmless).
set -eu
SQL="temporal-sql-tool --plugin postgres12 --ep ${POSTGRES_SEEDS} -p ${DB_PORT} -u ${POSTGRES_USER} --pw ${POSTGRES_PWD}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

until nc -z "${POSTGRES_SEEDS}" "${DB_PORT}"; do echo 'waiting for PostgreSQL…'; sleep 1; done

for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  $SQL --db "$db" create || true   # already there on a restart
  $SQL --db "$db" setup-schema -v 0.0 || true   # version table already set up on a restart
  $SQL --db "$db" update-schema -d "${SCHEMA_DIR}/${dir}/versioned"
done
echo 'Temporal schema ready'
