import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CATALOG } from './errors.js';

describe('error catalog', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

  it.each(Object.keys(ERROR_CATALOG))('%s is documented in docs/errors.md', (code) => {
    expect(doc).toContain(`\`${code}\``);
  });

  it('AppError takes status and category from the catalog unless overridden', () => {
    const e = new AppError('E_NOT_FOUND', 'Call 1 was not found.');
    expect([e.status, e.category, e.exitCode]).toEqual([404, 'OBJECT_NOT_FOUND', 4]);
    expect(new AppError('E_VALIDATION', 'x', { status: 416 }).status).toBe(416);
  });
});
