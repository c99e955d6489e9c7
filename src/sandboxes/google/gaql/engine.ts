import { addMetrics, adDayMetrics, ZERO_METRICS } from '../metrics';
import { addDays, formatDate, formatDateTime } from '../time';
import type { Customer, GoogleWorld } from '../world';
import { boundsOf, conditionHolds, validateCondition } from './evaluate';
import { GaqlError, parseGaql, type Condition, type GaqlQuery } from './parser';
import { RESOURCES, type ResourceDef } from './resources';
import { asText, FIELDS, RESOURCE_NAMES, resourceOfField, type FieldDef, type RowCtx } from './schema';

/** Runs a GAQL query against the world and renders GoogleAdsRows (camelCase, int64 as strings). */

export interface QueryResult {
  /** Number of matching rows (after LIMIT). */
  total: number;
  /** Renders rows [from, to) as GoogleAdsRows; only the page asked for is rendered. */
  render: (from: number, to: number) => Record<string, unknown>[];
  /**
   * Comma-separated field paths. A FieldMask in proto3 JSON is written with lowerCamelCase paths
   * (`campaign.advertisingChannelType`), which is what the REST interface returns.
   */
  fieldMask: string;
}

const CHANGE_STATUS_MAX_LIMIT = 10_000;
const CHANGE_STATUS_MAX_AGE_DAYS = 90;
const LIFETIME_DAYS = 400;

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function fieldDef(field: string, clause: 'SELECT' | 'WHERE' | 'ORDER BY', from: string, resource: ResourceDef): FieldDef {
  const def = FIELDS[field];
  if (!def) throw new GaqlError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${field}'.`, 'queryError', field);
  const owner = resourceOfField(field);
  if (owner === 'metrics') {
    if (!resource.metrics) throw new GaqlError('PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE', `Cannot select or filter on metric '${field}' with resource '${from}'.`);
  } else if (owner === 'segments') {
    if (!resource.metrics && from !== 'click_view') throw new GaqlError('PROHIBITED_SEGMENT_IN_SELECT_OR_WHERE_CLAUSE', `Cannot select or filter on segment '${field}' with resource '${from}'.`);
  } else if (!owner || !resource.attributed.includes(owner)) {
    const code = clause === 'WHERE' ? 'PROHIBITED_RESOURCE_TYPE_IN_WHERE_CLAUSE' : 'PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE';
    throw new GaqlError(code, `A field that comes from an incompatible resource was included in the ${clause} clause: '${field}'.`);
  }
  if (clause === 'ORDER BY' && (def.type === 'message_list' || def.type === 'string_list')) {
    throw new GaqlError('PROHIBITED_FIELD_IN_ORDER_BY_CLAUSE', `A field that is not orderable was included in the ORDER BY clause: '${field}'.`);
  }
  return def;
}

function changeStatusRules(q: GaqlQuery, customer: Customer, now: number): void {
  const def = FIELDS['change_status.last_change_date_time'] as FieldDef;
  const conds = q.where.filter((c) => c.field === 'change_status.last_change_date_time');
  const { low, high } = boundsOf(conds, def, customer.timeZone, formatDate(now, customer.timeZone));
  const fail = (code: string, message: string) => new GaqlError(code, message, 'changeStatusError');
  if (low === undefined || high === undefined) throw fail('CHANGE_DATE_RANGE_INFINITE', 'The change_status search request must specify a finite range filter on last_change_date_time.');
  if (low > high) throw fail('CHANGE_DATE_RANGE_NEGATIVE', 'The change status search request has specified invalid date time filters that can never logically produce any valid results.');
  if (Number(low) < now - CHANGE_STATUS_MAX_AGE_DAYS * 86_400_000) throw fail('START_DATE_TOO_OLD', 'The requested start date is too old.');
  if (q.limit === undefined) throw fail('LIMIT_NOT_SPECIFIED', 'The change_status search request must specify a LIMIT.');
  if (q.limit > CHANGE_STATUS_MAX_LIMIT) throw fail('INVALID_LIMIT_CLAUSE', 'The LIMIT specified by change_status request should be less than or equal to 10K.');
}

function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 5000; d = addDays(d, 1)) out.push(d);
  return out;
}

function encode(def: FieldDef, value: unknown, timeZone: string): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  switch (def.type) {
    case 'int64':
      return asText(value);
    case 'double':
      return Number(value);
    case 'datetime':
      return formatDateTime(Number(value), timeZone, def.datetimeStyle ?? {});
    default:
      return value;
  }
}

function setPath(row: Record<string, unknown>, path: string[], value: unknown): void {
  let node = row;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

/** Adds `resourceName` to the object at `snakePath` if that object exists in the row context. */
function withResourceName(row: Record<string, unknown>, snakePath: string, ctx: RowCtx): boolean {
  const name = RESOURCE_NAMES[snakePath]?.(ctx);
  if (name === undefined) return false;
  setPath(row, [...snakePath.split('.').map(camel), 'resourceName'], name);
  return true;
}

/** Builds the row renderer of a query once (JSON paths and owners per selected field). */
function renderer(q: GaqlQuery): (ctx: RowCtx) => Record<string, unknown> {
  const plan = q.select.map((field) => ({
    def: FIELDS[field] as FieldDef,
    owner: resourceOfField(field) ?? '',
    path: field.split('.').map(camel),
    nestedAd: field.startsWith('ad_group_ad.ad.'),
  }));
  return (ctx) => {
    const row: Record<string, unknown> = {};
    withResourceName(row, q.from, ctx);
    const tz = ctx.customer.timeZone;
    for (const { def, owner, path, nestedAd } of plan) {
      if (owner !== 'metrics' && owner !== 'segments' && !withResourceName(row, owner, ctx)) continue;
      if (nestedAd) withResourceName(row, 'ad_group_ad.ad', ctx);
      const value = encode(def, def.get(ctx), tz);
      if (value !== undefined) setPath(row, path, value);
    }
    return row;
  };
}

function compareValues(a: unknown, b: unknown, def: FieldDef): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (def.type === 'int64' || def.type === 'double' || def.type === 'datetime') return Number(a) - Number(b);
  return asText(a) < asText(b) ? -1 : 1;
}

export function runQuery(world: GoogleWorld, customer: Customer, text: string): QueryResult {
  const q = parseGaql(text);
  const resource = RESOURCES[q.from];
  if (!resource) throw new GaqlError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', `Invalid resource type was specified in the FROM clause: '${q.from}'.`);
  for (const f of q.select) fieldDef(f, 'SELECT', q.from, resource);
  for (const c of q.where) validateCondition(c.field, fieldDef(c.field, 'WHERE', q.from, resource), c);
  for (const o of q.orderBy) {
    fieldDef(o.field, 'ORDER BY', q.from, resource);
    if (!q.select.includes(o.field)) throw new GaqlError('EXPECTED_REFERENCED_FIELD_IN_SELECT_CLAUSE', `Fields used in ORDER BY must be selected: '${o.field}'.`);
  }

  const now = world.now();
  const today = formatDate(now, customer.timeZone);
  if (q.from === 'change_status') changeStatusRules(q, customer, now);

  const metricFields = q.select.filter((f) => f.startsWith('metrics.'));
  const usesMetrics = metricFields.length > 0 || q.where.some((c) => c.field.startsWith('metrics.'));
  if (usesMetrics && customer.manager) throw new GaqlError('REQUESTED_METRICS_FOR_MANAGER', 'Metrics cannot be requested for a manager account.');

  const dateConds = q.where.filter((c) => c.field === 'segments.date');
  const dateDef = FIELDS['segments.date'] as FieldDef;
  const { low, high } = boundsOf(dateConds, dateDef, customer.timeZone, today);
  const segmented = q.select.includes('segments.date');
  if (q.from === 'click_view' && (low === undefined || low !== high)) {
    // unconfirmed: the error Google gives when click_view is not filtered to a single day.
    throw new GaqlError('EXPECTED_FILTERS_ON_DATE_RANGE', 'click_view queries must filter segments.date to a single day.');
  }
  if ((segmented || dateConds.length > 0) && q.from !== 'click_view' && (low === undefined || high === undefined)) {
    throw new GaqlError('EXPECTED_FILTERS_ON_DATE_RANGE', 'Missing filters on date related fields.');
  }
  if (low !== undefined && high !== undefined && low > high) {
    throw new GaqlError('DATE_RANGE_TOO_NARROW', 'Filters on date/week/month/quarter have a start date after end date.');
  }

  let rows = resource.rows(world, customer);
  if (resource.metrics && (segmented || usesMetrics)) {
    const dates =
      low !== undefined && high !== undefined ? datesBetween(String(low), String(high)) : datesBetween(addDays(today, -LIFETIME_DAYS), today);
    const metricsOn = (ctx: RowCtx, date: string) =>
      (resource.metricAds?.(ctx) ?? []).reduce((sum, ad) => addMetrics(sum, adDayMetrics(world, ad, date, customer.timeZone, today)), ZERO_METRICS);
    rows = segmented
      ? rows.flatMap((ctx) => dates.map((date) => ({ ...ctx, date, metrics: metricsOn(ctx, date) })))
      : rows.map((ctx) => ({ ...ctx, metrics: dates.reduce((sum, d) => addMetrics(sum, metricsOn(ctx, d)), ZERO_METRICS) }));
  }

  const holds = (ctx: RowCtx, c: Condition) => conditionHolds(FIELDS[c.field] as FieldDef, (FIELDS[c.field] as FieldDef).get(ctx), c, customer.timeZone, today);
  rows = rows.filter((ctx) => q.where.every((c) => holds(ctx, c)));
  if (metricFields.length > 0) {
    // Rows whose selected metrics are all zero are left out, as in Google's reports.
    rows = rows.filter((ctx) => metricFields.some((f) => Number((FIELDS[f] as FieldDef).get(ctx) ?? 0) !== 0));
  }
  if (q.orderBy.length > 0) {
    const defs = q.orderBy.map((o) => FIELDS[o.field] as FieldDef);
    const keyed = rows.map((ctx) => ({ ctx, keys: defs.map((def) => def.get(ctx)) }));
    keyed.sort((a, b) => {
      for (const [i, o] of q.orderBy.entries()) {
        const diff = compareValues(a.keys[i], b.keys[i], defs[i] as FieldDef);
        if (diff !== 0) return o.descending ? -diff : diff;
      }
      return 0;
    });
    rows = keyed.map((k) => k.ctx);
  }
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  const render = renderer(q);
  const matched = rows;
  return { total: matched.length, render: (from, to) => matched.slice(from, to).map(render), fieldMask: q.select.map((field) => field.split('.').map(camel).join('.')).join(',') };
}
