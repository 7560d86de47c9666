import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Button } from 'design-react-kit';
import { Field } from '../Field';
import { api, asProblem, type FieldError } from '../api/client';
import { useApiForm } from '../components/ApiForm';
import { ErrorAlert, isAbout } from '../components/ErrorAlert';

/** The API's shortest password (AccountPasswordRequest). */
export const MIN_PASSWORD_CHARS = 12;
/** The secret of a link, as the API issues it: 43 characters of base64url. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

const LABELS = { password: 'Nuova password', confirmation: 'Ripetete la nuova password' };

/** What the login page says to whoever arrives from here. */
export const PASSWORD_SET = 'Password impostata: ora potete accedere con il vostro indirizzo e-mail e la nuova password.';

/** What is wrong with the two passwords before anything is sent, in the API's terms. */
function check({ password, confirmation }: { password: string; confirmation: string }): FieldError[] {
  const errors: FieldError[] = [];
  if ([...password].length < MIN_PASSWORD_CHARS) errors.push({ pointer: '#/password', detail: `almeno ${MIN_PASSWORD_CHARS} caratteri` });
  if (confirmation !== password) errors.push({ pointer: '#/confirmation', detail: 'non coincide con la nuova password' });
  return errors;
}

/**
 * Where the link of an invitation or of "password dimenticata" leads: the secret is in the
 * fragment (`/imposta-password#…`), which no server sees. It is read once and taken out of
 * the address bar, so that it stays neither in the history nor in a screenshot.
 */
export function SetPassword() {
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => location.hash.replace(/^#/, '').trim());
  useEffect(() => {
    // A replaceState through the router: the address loses the fragment, the router knows.
    if (location.hash) navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: location.state });
  }, [location, navigate]);

  const form = useApiForm({ password: '', confirmation: '' }, 'imposta', LABELS);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors = check(form.form);
    if (errors.length > 0) {
      form.setProblem({ type: 'about:blank', status: 422, title: 'Dati da correggere', detail: 'La password non è stata impostata:', errors });
      return;
    }
    setBusy(true);
    const { error, response } = await api.POST('/account-passwords', { body: { token, password: form.form.password } });
    setBusy(false);
    if (response.ok) navigate('/accesso', { state: { notice: PASSWORD_SET } });
    else form.setProblem(asProblem(error, response.status));
  }

  if (!SECRET.test(token))
    return (
      <Layout>
        <p>
          Questa pagina si apre dal link ricevuto per e-mail, con l'invito a cabina o con la richiesta di una nuova
          password. {token ? 'Il link usato è incompleto' : 'Manca il codice del link'}: forse il programma di posta lo
          ha spezzato su due righe.
        </p>
        <p>
          Aprite di nuovo il link dal messaggio, oppure copiatelo per intero nella barra degli indirizzi. Se non lo avete
          più, chiedetene uno nuovo da <Link to="/password-dimenticata">Password dimenticata?</Link>
        </p>
      </Layout>
    );

  const linkSpent = (form.problem?.errors ?? []).some((e) => isAbout(e, 'token'));
  const password = form.field('password');
  const confirmation = form.field('confirmation');
  return (
    <Layout>
      <ErrorAlert {...form.alert()} title={linkSpent ? 'Link non valido o scaduto' : undefined} />
      {linkSpent ? (
        <p>
          Il link è già stato usato o è scaduto (quello di un invito vale 14 giorni, quello per una nuova password un'ora).
          Chiedetene uno nuovo da <Link to="/password-dimenticata">Password dimenticata?</Link>: arriverà allo stesso
          indirizzo e-mail.
        </p>
      ) : (
        <>
          <p className="mb-5">Scegliete la password con cui accederete a cabina, e scrivetela due volte.</p>
          <form onSubmit={submit} noValidate>
            <Field {...password} type="password" autoComplete="new-password" hint={`Almeno ${MIN_PASSWORD_CHARS} caratteri.`} required />
            <Field {...confirmation} type="password" autoComplete="new-password" required />
            <Button color="primary" type="submit" disabled={busy}>
              Imposta la password
            </Button>
          </form>
        </>
      )}
    </Layout>
  );
}

function Layout({ children }: { children: ReactNode }) {
  return (
    <div className="row justify-content-center">
      <div className="col-md-8 col-lg-6">
        <h1 className="mb-4">Imposta la password</h1>
        {children}
      </div>
    </div>
  );
}
