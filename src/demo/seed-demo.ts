/** The demo `npm start` shows: a token and a paid-seat owner, created once per data dir. */
import type { Callscribe } from '../main.js';

export async function seedDemo(system: Callscribe, out: (line: string) => void): Promise<void> {
  const existing = await system.owners.list({ email: 'demo.owner@example.com' });
  if (existing.results.length === 0) {
    await system.owners.add({
      email: 'demo.owner@example.com',
      seat: 'sales',
      firstName: 'Dana',
      lastName: 'Demo',
    });
  }
  const token = await system.tokens.create('private_app', 'demo');
  out(`Demo access token: ${token}`);
}
