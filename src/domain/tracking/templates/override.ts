/** TRK-9: per network, the admin may replace the default utm_source and/or utm_medium. */
import type { TemplateOverride } from '../types';

export interface UtmDefaults {
  utmSource: string;
  utmMedium: string;
}

/** The defaults with the override's non-blank values on top. */
export function resolveUtmDefaults(defaults: UtmDefaults, override?: TemplateOverride): UtmDefaults {
  const pick = (value: string | undefined, fallback: string): string => {
    const trimmed = value?.trim();
    return trimmed === undefined || trimmed === '' ? fallback : trimmed;
  };
  return {
    utmSource: pick(override?.utmSource, defaults.utmSource),
    utmMedium: pick(override?.utmMedium, defaults.utmMedium),
  };
}
