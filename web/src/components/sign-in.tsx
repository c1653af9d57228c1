/** Sign-in with a private-app access token, pasted once and kept in this browser. */
import { useState } from 'preact/hooks';
import { ApiError, verifyToken } from '../lib/api.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const token = value.trim();
    if (!token) return setError('Paste an access token first.');
    setBusy(true);
    setError('');
    try {
      await verifyToken(token);
      onSignedIn(token);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? 'This server did not issue that token. Create one with: npx callscribe token create'
          : `Could not sign in: ${(e as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in">
      <h1>Sign in</h1>
      <p>
        Paste a private-app access token. Create one with <code>npx callscribe token create</code>; it stays
        in this browser until you sign out.
      </p>
      <form onSubmit={submit}>
        <label for="token">Access token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          aria-describedby={error ? 'token-error' : undefined}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {error && (
          <p id="token-error" class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
