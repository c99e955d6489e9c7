-- FerretDB v1's PostgreSQL handler turns an equality filter into `(_jsonb -> 'field') @> value` and
-- backs a MongoDB index with a btree over `(_jsonb -> 'field')` expressions, which `@>` cannot use:
-- every filtered read would scan the table. For each such btree FerretDB creates (the `_id` index of
-- a new collection, the indexes declared on the models), this adds a GIN index over the same
-- expressions, which serves `@>`. Dropping the collection drops both.
CREATE OR REPLACE FUNCTION adtrack_gin_for_ferretdb_index() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  created record;
  columns text;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    CONTINUE WHEN (SELECT amname FROM pg_class JOIN pg_am ON pg_am.oid = relam WHERE pg_class.oid = created.objid) <> 'btree';
    SELECT string_agg(pg_get_indexdef(created.objid, k, true), ', ' ORDER BY k) INTO columns
      FROM pg_index, generate_series(1, indnatts) AS k WHERE indexrelid = created.objid;
    CONTINUE WHEN columns IS NULL OR columns NOT LIKE '(_jsonb -> %' OR columns LIKE '%#>%';
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s)',
      'adtrack_gin_' || created.objid,
      (SELECT indrelid::regclass FROM pg_index WHERE indexrelid = created.objid),
      columns);
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS adtrack_gin_for_ferretdb_index;

CREATE EVENT TRIGGER adtrack_gin_for_ferretdb_index ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION adtrack_gin_for_ferretdb_index();

