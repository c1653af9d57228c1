/**
 * Rules that span several call properties (reference §3 "Flow", §5.2): a call from the
 * integrations platform must carry its external id, external account id and app id, because the
 * recording fetch needs all three; `hs_body_preview` follows `hs_call_body` with markup removed.
 */
import type { ErrorDetail } from '../../core/errors.js';

const PLATFORM_FIELDS = ['hs_call_external_id', 'hs_call_external_account_id', 'hs_call_app_id'] as const;

/** Problems with the merged properties of a call (empty when it is consistent). */
export function checkCallProperties(properties: Record<string, string>): ErrorDetail[] {
  if (properties['hs_call_source'] !== 'INTEGRATIONS_PLATFORM') return [];
  return PLATFORM_FIELDS.filter((name) => !properties[name]).map((name) => ({
    message: `${name} is required when hs_call_source is INTEGRATIONS_PLATFORM.`,
    code: 'REQUIRED_PROPERTY',
    in: name,
    context: { propertyName: [name] },
  }));
}

/** The plain-text preview HubSpot derives from the call notes. */
export function bodyPreview(body: string | undefined): string | undefined {
  if (!body) return undefined;
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? undefined : text.slice(0, 500);
}
