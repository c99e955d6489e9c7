-- What the embedded PostgreSQL adds to the tables FerretDB v1 creates. Run in single-user mode when
-- a data folder is created, and again whenever this file changes (idempotent).
--
-- 1. GIN twins. FerretDB v1's PostgreSQL handler turns an equality filter into
--    `(_jsonb -> 'field') @> value` and backs a MongoDB index with a btree over `(_jsonb -> 'field')`
--    expressions, which `@>` cannot use: every filtered read would scan the table. For each such
--    btree FerretDB creates (the `_id` index of a new collection, the indexes declared on the
--    models), this adds a GIN index over the same expressions, which serves `@>`. Dropping the
--    collection drops both.
-- 2. No compression of documents below a page. FerretDB stores a document as JSON with its type
--    schema beside it, about 2.5 times its BSON size; PostgreSQL compresses any row over 2 KB with
--    pglz, which cost 15-25 % of PostgreSQL's CPU when a lead backfill inserted contacts (about
--    4 KB each). toast_tuple_target 8160 (the largest allowed) keeps rows up to a page as they are:
--    more disk, less CPU. Larger rows are compressed as before.
CREATE OR REPLACE FUNCTION adtrack_gin_for_ferretdb_index() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  created record;
  columns text;
  tbl regclass;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    CONTINUE WHEN (SELECT amname FROM pg_class JOIN pg_am ON pg_am.oid = relam WHERE pg_class.oid = created.objid) <> 'btree';
    SELECT string_agg(pg_get_indexdef(created.objid, k, true), ', ' ORDER BY k) INTO columns
      FROM pg_index, generate_series(1, indnatts) AS k WHERE indexrelid = created.objid;
    CONTINUE WHEN columns IS NULL OR columns NOT LIKE '(_jsonb -> %' OR columns LIKE '%#>%';
    SELECT indrelid::regclass INTO tbl FROM pg_index WHERE indexrelid = created.objid;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s)', 'adtrack_gin_' || created.objid, tbl, columns);
    -- The `_id` index comes with the table: the first index of a FerretDB table sets its storage.
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = tbl AND 'toast_tuple_target=8160' = ANY (coalesce(reloptions, '{}'))) THEN
      EXECUTE format('ALTER TABLE %s SET (toast_tuple_target = 8160)', tbl);
    END IF;
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS adtrack_gin_for_ferretdb_index;

CREATE EVENT TRIGGER adtrack_gin_for_ferretdb_index ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION adtrack_gin_for_ferretdb_index();

-- Tables of a data folder made before the storage setting (rows written from now on).
DO $do$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.oid::regclass AS tbl FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '_jsonb' AND NOT a.attisdropped)
      AND NOT ('toast_tuple_target=8160' = ANY (coalesce(c.reloptions, '{}')))
  LOOP
    EXECUTE format('ALTER TABLE %s SET (toast_tuple_target = 8160)', t.tbl);
  END LOOP;
END
$do$;

