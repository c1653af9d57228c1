/** Runs once before the test files: the local PostgreSQL and Redis servers must be up. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('bash', ['scripts/ensure-services.sh'], { stdio: 'inherit' });
}
