// `/login` and `/register`: both end signed in and back where the person came from (`?next=`).
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSessionContext } from '../auth/session-context.tsx';
import { ErrorNotice } from '../components/Notices.tsx';
import { LoginMutation, RegisterMutation } from '../graphql/customers.ts';
import { usePageTitle } from './page-title.ts';

/** Where to go after signing in: a path of this app only (never another site). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  usePageTitle('Log in');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { signIn } = useSessionContext();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [login, { loading, error }] = useMutation(LoginMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { data } = await login({ variables: { email: email.trim(), password } });
      if (!data) return;
      signIn({ token: data.login.token, expiresAt: data.login.expiresAt });
      void navigate(next);
    } catch {
      // Shown by ErrorNotice.
    }
  };
  return (
    <div className="page page-auth">
      <h1>Log in</h1>
      <form className="card auth-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="email">E-mail</label>
          <input
            id="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" className="primary" disabled={loading}>
          {loading ? 'Logging in…' : 'Log in'}
        </button>
        <ErrorNotice error={error} />
        <p>
          New here? <Link to={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
        </p>
      </form>
    </div>
  );
}

export function RegisterPage() {
  usePageTitle('Register');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { signIn } = useSessionContext();
  const [form, setForm] = useState({ name: '', email: '', password: '', phone: '' });
  const [register, { loading, error }] = useMutation(RegisterMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { data } = await register({
        variables: {
          input: {
            name: form.name.trim(),
            email: form.email.trim(),
            password: form.password,
            ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
          },
        },
      });
      if (!data) return;
      signIn({ token: data.register.token, expiresAt: data.register.expiresAt });
      void navigate(next);
    } catch {
      // Shown by ErrorNotice.
    }
  };
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value });
  return (
    <div className="page page-auth">
      <h1>Create an account</h1>
      <form className="card auth-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="name">Full name</label>
          <input id="name" autoComplete="name" required value={form.name} onChange={set('name')} />
        </div>
        <div className="field">
          <label htmlFor="email">E-mail</label>
          <input
            id="email"
            type="email"
            autoComplete="email"
            required
            value={form.email}
            onChange={set('email')}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            aria-describedby="password-hint"
            value={form.password}
            onChange={set('password')}
          />
          <small id="password-hint" className="hint">
            10 to 128 characters, with at least one letter and one digit.
          </small>
        </div>
        <div className="field">
          <label htmlFor="phone">Mobile phone (optional, for text updates)</label>
          <input
            id="phone"
            type="tel"
            autoComplete="tel"
            placeholder="+447700900123"
            value={form.phone}
            onChange={set('phone')}
          />
        </div>
        <button type="submit" className="primary" disabled={loading}>
          {loading ? 'Creating your account…' : 'Create account'}
        </button>
        <ErrorNotice error={error} />
        <p>
          Already registered? <Link to={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
        </p>
      </form>
    </div>
  );
}
