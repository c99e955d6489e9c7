import { invalidParameter, unknownField } from './graph-error';

/** One entry of `fields=a,b{c,d},e.limit(5)`. Modifiers such as `.limit(5)` are parsed and ignored. */
export interface FieldSelection {
  name: string;
  children?: FieldSelection[];
}

export function parseFields(input: string): FieldSelection[] {
  let pos = 0;
  const parseList = (closing: string | undefined): FieldSelection[] => {
    const out: FieldSelection[] = [];
    while (pos < input.length) {
      const name = readName();
      let children: FieldSelection[] | undefined;
      while (input[pos] === '.') skipModifier();
      if (input[pos] === '{') {
        pos += 1;
        children = parseList('}');
      }
      if (name) out.push(children ? { name, children } : { name });
      const ch = input[pos];
      if (ch === ',') {
        pos += 1;
        continue;
      }
      if (ch === closing) {
        pos += 1;
        return out;
      }
      if (ch !== undefined) throw invalidParameter(`Syntax error "Expected end of string instead of "${ch}"." at character ${pos}: ${input}`);
    }
    if (closing) throw invalidParameter(`Syntax error "Expected "${closing}"." at character ${pos}: ${input}`);
    return out;
  };
  const readName = (): string => {
    const match = /^[\s]*([A-Za-z0-9_]*)[\s]*/.exec(input.slice(pos));
    pos += match?.[0].length ?? 0;
    return match?.[1] ?? '';
  };
  const skipModifier = (): void => {
    pos += 1;
    readName();
    if (input[pos] !== '(') return;
    const close = input.indexOf(')', pos);
    pos = close < 0 ? input.length : close + 1;
  };
  return parseList(undefined);
}

/**
 * What a node type exposes. A field is either a plain value (struct values such as
 * `object_story_spec` come back whole) or a reference to another node type, which without a
 * sub-selection renders as that type's default fields (usually just `id`).
 */
export interface NodeSchema {
  type: string;
  defaults: string[];
  values: readonly string[];
  refs?: Record<string, () => NodeSchema>;
}

/** A rendered node: values, or thunks for related nodes so they are built only when selected. */
export type NodeView = Record<string, unknown>;

export function project(view: NodeView, schema: NodeSchema, selection: FieldSelection[] | undefined): Record<string, unknown> {
  const wanted: FieldSelection[] = selection ?? schema.defaults.map((name) => ({ name }));
  const out: Record<string, unknown> = {};
  for (const field of wanted) {
    const refSchema = schema.refs?.[field.name];
    if (!refSchema && !schema.values.includes(field.name)) throw unknownField(field.name, schema.type);
    let value = view[field.name];
    if (typeof value === 'function') value = (value as () => unknown)();
    if (value === undefined || value === null) continue;
    if (refSchema) {
      out[field.name] = project(value as NodeView, refSchema(), field.children);
    } else if (field.children && isPlainObject(value)) {
      out[field.name] = Object.fromEntries(field.children.filter((c) => c.name in value).map((c) => [c.name, value[c.name]]));
    } else {
      out[field.name] = value;
    }
  }
  return out;
}

/** Rejects unknown fields up front, as Graph does even when the edge turns out empty. */
export function checkSelection(schema: NodeSchema, selection: FieldSelection[] | undefined): void {
  for (const field of selection ?? []) {
    const refSchema = schema.refs?.[field.name];
    if (!refSchema && !schema.values.includes(field.name)) throw unknownField(field.name, schema.type);
    if (refSchema && field.children) checkSelection(refSchema(), field.children);
  }
}

export function selectionFrom(params: Record<string, unknown>): FieldSelection[] | undefined {
  const raw = params.fields;
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw invalidParameter('Param fields must be a string');
  return parseFields(raw);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
