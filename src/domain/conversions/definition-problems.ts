/**
 * Why a conversion-event definition was refused, each with the HTTP status the API answers with:
 * 422 for a request that is wrong in itself, 409 for an ad account that is not ready (CONV-3),
 * 403 for the plan limit (CONV-6). Messages say what is wrong and what the admin can do.
 */
export type DefinitionProblemCode =
  | 'NETWORK_UNSUPPORTED'
  | 'AD_ACCOUNT_REQUIRED'
  | 'AD_ACCOUNT_NOT_CONNECTED'
  | 'TRIGGER_INVALID'
  | 'STAGES_REQUIRED'
  | 'STAGE_UNKNOWN'
  | 'STAGE_NOT_SUPPORTED'
  | 'FORM_REQUIRED'
  | 'FORM_NOT_ELIGIBLE'
  | 'AUDIENCE_INVALID'
  | 'OPTION_NOT_FOR_TRIGGER'
  | 'OPTION_NOT_FOR_NETWORK'
  | 'EVENT_NAME_INVALID'
  | 'VALUE_INVALID'
  | 'VALUE_WITHOUT_CURRENCY'
  | 'CURRENCY_WITHOUT_VALUE'
  | 'CURRENCY_INVALID'
  | 'CONSENT_INCOMPLETE'
  | 'SHARED_FIELD_UNKNOWN'
  | 'MANDATORY_FIELD_REMOVED'
  | 'LEAD_SYNC_OFF'
  | 'PIXEL_REQUIRED'
  | 'NO_BUSINESS_MANAGER'
  | 'CONVERSION_ACTION_REQUIRED'
  | 'CONVERSION_ACTION_INVALID'
  | 'CONVERSION_RULE_REQUIRED'
  | 'CONVERSION_RULE_INVALID'
  | 'PLAN_LIMIT_REACHED';

export interface DefinitionProblem {
  code: DefinitionProblemCode;
  /** The request field the problem is about (dotted path). */
  field: string;
  message: string;
  httpStatus: 403 | 409 | 422;
}

const NOT_READY: ReadonlySet<DefinitionProblemCode> = new Set(['AD_ACCOUNT_NOT_CONNECTED', 'LEAD_SYNC_OFF', 'NO_BUSINESS_MANAGER']);

export function problem(code: DefinitionProblemCode, field: string, message: string): DefinitionProblem {
  const httpStatus = code === 'PLAN_LIMIT_REACHED' ? 403 : NOT_READY.has(code) ? 409 : 422;
  return { code, field, message, httpStatus };
}

/**
 * The status for a whole list: a request that is wrong in itself is reported as such first (422),
 * then an account that is not ready (409), then the plan limit (403).
 */
export function httpStatusOf(problems: readonly DefinitionProblem[]): 403 | 409 | 422 {
  if (problems.some((p) => p.httpStatus === 422)) return 422;
  if (problems.some((p) => p.httpStatus === 409)) return 409;
  return 403;
}
