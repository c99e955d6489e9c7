import {
  customParametersProblem,
  finalUrlProblem,
  finalUrlSuffixProblem,
  trackingTemplateProblem,
  type UrlLevel,
  type UrlProblem,
} from './url-rules';
import type { Ad, AdGroup, Campaign, CustomParameter, Customer, GoogleWorld } from './world';

/** The entities mutates can update, and the fields each one accepts in an updateMask (camelCase). */

export type MutableEntity = Campaign | AdGroup | Ad | Customer;

export interface FieldSpec {
  /** snake_case name used in error field paths. */
  snake: string;
  /** Validates the new value; `undefined` means "cleared" (masked but absent). */
  check(value: unknown): UrlProblem | undefined;
  apply(entity: MutableEntity, value: unknown): void;
}

export interface MutableKind {
  /** Key of the mutable resource in MUTABLE_RESOURCE answers, e.g. "campaign". */
  responseKey: string;
  /** Parses the id out of a resource name of this kind for this customer. */
  idFrom(resourceName: string, customerId: string): { id: string } | 'malformed' | 'other_customer';
  find(world: GoogleWorld, customerId: string, id: string): MutableEntity | undefined;
  fields: Record<string, FieldSpec>;
  afterUpdate?(world: GoogleWorld, entity: MutableEntity): void;
  render(customerId: string, entity: MutableEntity): Record<string, unknown>;
}

const invalidValue = (message: string): UrlProblem => ({ family: 'fieldError', code: 'INVALID_VALUE', message });

function stringField(snake: string, check: (v: string) => UrlProblem | undefined, set: (e: MutableEntity, v: string | undefined) => void): FieldSpec {
  return {
    snake,
    check: (value) => {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') return invalidValue(`${snake} must be a string.`);
      return check(value);
    },
    apply: (entity, value) => set(entity, typeof value === 'string' && value !== '' ? value : undefined),
  };
}

type WithUrls = { trackingUrlTemplate?: string; finalUrlSuffix?: string; urlCustomParameters?: CustomParameter[] };

function urlFieldSpecs(level: UrlLevel, withCustomParameters: boolean): Record<string, FieldSpec> {
  const specs: Record<string, FieldSpec> = {
    trackingUrlTemplate: stringField(
      'tracking_url_template',
      (v) => trackingTemplateProblem(v, level),
      (e, v) => {
        (e as WithUrls).trackingUrlTemplate = v;
      },
    ),
    finalUrlSuffix: stringField('final_url_suffix', finalUrlSuffixProblem, (e, v) => {
      (e as WithUrls).finalUrlSuffix = v;
    }),
  };
  if (withCustomParameters) {
    specs.urlCustomParameters = {
      snake: 'url_custom_parameters',
      check: (value) => (value === undefined || value === null ? undefined : customParametersProblem(value)),
      // Repeated fields are replaced wholesale; masked but absent clears the list.
      apply: (entity, value) => {
        const list = Array.isArray(value) ? (value as CustomParameter[]) : [];
        (entity as WithUrls).urlCustomParameters = list.map((p) => ({ key: p.key, value: p.value }));
      },
    };
  }
  return specs;
}

function idParser(collection: string) {
  return (resourceName: string, customerId: string) => {
    const m = new RegExp(`^customers/(\\d+)/${collection}/(\\d+)$`).exec(resourceName);
    if (!m?.[2]) return 'malformed' as const;
    return m[1] === customerId ? { id: m[2] } : ('other_customer' as const);
  };
}

const nameSpec: FieldSpec = {
  snake: 'name',
  check: (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : { family: 'fieldError', code: 'REQUIRED', message: 'The required field was not present.' }),
  apply: (e, v) => {
    (e as Campaign).name = String(v);
  },
};
const statusSpec: FieldSpec = {
  snake: 'status',
  check: (v) => (v === 'ENABLED' || v === 'PAUSED' ? undefined : invalidValue('status must be ENABLED or PAUSED (use a remove operation to remove).')),
  apply: (e, v) => {
    (e as Campaign).status = v as Campaign['status'];
  },
};

function renderUrls(e: WithUrls): Record<string, unknown> {
  return {
    ...(e.trackingUrlTemplate ? { trackingUrlTemplate: e.trackingUrlTemplate } : {}),
    ...(e.finalUrlSuffix ? { finalUrlSuffix: e.finalUrlSuffix } : {}),
    ...(e.urlCustomParameters && e.urlCustomParameters.length > 0 ? { urlCustomParameters: e.urlCustomParameters } : {}),
  };
}

export const MUTABLE_KINDS = {
  campaigns: {
    responseKey: 'campaign',
    idFrom: idParser('campaigns'),
    find: (world, customerId, id) => {
      const c = world.campaigns.get(id);
      return c?.customerId === customerId ? c : undefined;
    },
    fields: { ...urlFieldSpecs('campaign', true), name: nameSpec, status: statusSpec },
    render: (cid, e) => {
      const c = e as Campaign;
      const rn = `customers/${cid}/campaigns/${c.id}`;
      return { resourceName: rn, id: c.id, name: c.name, status: c.status, advertisingChannelType: c.channelType, ...renderUrls(c) };
    },
  },
  adGroups: {
    responseKey: 'adGroup',
    idFrom: idParser('adGroups'),
    find: (world, customerId, id) => {
      const g = world.adGroups.get(id);
      return g?.customerId === customerId ? g : undefined;
    },
    fields: { ...urlFieldSpecs('adGroup', true), name: nameSpec, status: statusSpec },
    render: (cid, e) => {
      const g = e as AdGroup;
      return { resourceName: `customers/${cid}/adGroups/${g.id}`, id: g.id, name: g.name, status: g.status, ...renderUrls(g) };
    },
  },
  ads: {
    responseKey: 'ad',
    idFrom: idParser('ads'),
    find: (world, customerId, id) => {
      const a = world.ads.get(id);
      return a?.customerId === customerId ? a : undefined;
    },
    fields: {
      ...urlFieldSpecs('ad', true),
      finalUrls: {
        snake: 'final_urls',
        check: (v) => {
          if (!Array.isArray(v) || v.length === 0) return { family: 'fieldError', code: 'REQUIRED_NONEMPTY_LIST', message: 'Final URLs cannot be empty.' };
          for (const url of v) {
            const problem = typeof url === 'string' ? finalUrlProblem(url) : invalidValue('final_urls must be strings.');
            if (problem) return problem;
          }
          return undefined;
        },
        apply: (e, v) => {
          (e as Ad).finalUrls = [...(v as string[])];
        },
      },
    },
    // Editing an ad's URL fields sends it back to policy review (reference §3.1).
    afterUpdate: (_world, e) => {
      (e as Ad).reviewStatus = 'REVIEW_IN_PROGRESS';
    },
    render: (cid, e) => {
      const a = e as Ad;
      return { resourceName: `customers/${cid}/ads/${a.id}`, id: a.id, type: a.type, finalUrls: a.finalUrls, ...renderUrls(a) };
    },
  },
  customers: {
    responseKey: 'customer',
    idFrom: (resourceName, customerId) => {
      const m = /^customers\/(\d+)$/.exec(resourceName);
      if (!m?.[1]) return 'malformed';
      return m[1] === customerId ? { id: m[1] } : 'other_customer';
    },
    find: (world, customerId) => world.customers.get(customerId),
    fields: {
      ...urlFieldSpecs('customer', false),
      // unconfirmed: setting auto-tagging through customers:mutate (reference §4.1).
      autoTaggingEnabled: {
        snake: 'auto_tagging_enabled',
        check: (v) => (v === undefined || typeof v === 'boolean' ? undefined : invalidValue('auto_tagging_enabled must be a boolean.')),
        apply: (e, v) => {
          (e as Customer).autoTaggingEnabled = v === true;
        },
      },
    },
    render: (cid, e) => {
      const c = e as Customer;
      return { resourceName: `customers/${cid}`, id: c.id, autoTaggingEnabled: c.autoTaggingEnabled, ...renderUrls(c) };
    },
  },
} satisfies Record<string, MutableKind>;
