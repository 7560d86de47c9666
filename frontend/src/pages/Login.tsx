import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button } from 'design-react-kit';
import { Field } from '../Field';
import { api, asProblem, fieldError, type Problem } from '../api/client';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';

export function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const { signIn } = useAuth();
  const navigate = useNavigate();

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
          <Button color="primary" type="submit" disabled={busy}>
            Accedi
          </Button>
        </form>
      </div>
    </div>
  );
}
