import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Button } from 'design-react-kit';
import { Field } from '../Field';
import { api, asProblem, fieldError, type Problem } from '../api/client';
import { useAuth } from '../auth';
import { ErrorAlert, StatusAlert } from '../components/ErrorAlert';

export function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const { signIn } = useAuth();
  const navigate = useNavigate();
  // A message from the screen that sent here ("Password impostata: …").
  const notice = (useLocation().state as { notice?: string } | null)?.notice;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const { data, error, response } = await api.POST('/auth/login', { body: { email, password } });
    setBusy(false);
    if (data) {
      await signIn(data.access_token);
      navigate('/');
    } else {
      setProblem(asProblem(error, response.status));
    }
  }

  return (
    <div className="row justify-content-center">
      <div className="col-md-8 col-lg-5">
        <h1 className="mb-4">Accedi</h1>
        <StatusAlert>{!problem && notice}</StatusAlert>
        <ErrorAlert problem={problem} fields={['email', 'password']} title="Accesso non riuscito" />
        <form onSubmit={submit} noValidate>
          <Field
            id="email"
            type="email"
            label="Indirizzo e-mail"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            error={fieldError(problem, 'email')}
            required
          />
          <Field
            id="password"
            type="password"
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={fieldError(problem, 'password')}
            required
          />
          <div className="d-flex flex-wrap align-items-center gap-3">
            <Button color="primary" type="submit" disabled={busy}>
              Accedi
            </Button>
            <Link to="/password-dimenticata">Password dimenticata?</Link>
          </div>
        </form>
        <p className="mt-4 small">
          Chi non ha ancora un accesso lo riceve dal referente del proprio comune: un invito per e-mail con un link per
          scegliere la password.
        </p>
      </div>
    </div>
  );
}
