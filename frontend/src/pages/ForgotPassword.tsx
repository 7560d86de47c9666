import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button } from 'design-react-kit';
import { Field } from '../Field';
import { api, asProblem } from '../api/client';
import { useApiForm } from '../components/ApiForm';
import { ErrorAlert, StatusAlert } from '../components/ErrorAlert';

/**
 * "Password dimenticata": asks for a link to choose a new password. The answer is the same
 * whether or not an account has that address, so the page never tells who is registered.
 */
export function ForgotPassword() {
  const form = useApiForm({ email: '' }, 'recupero', { email: 'Indirizzo e-mail' });
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const { error, response } = await api.POST('/password-resets', { body: { email: form.form.email.trim() } });
    setBusy(false);
    if (response.ok) {
      form.setProblem(undefined);
      setSent(true);
    } else form.setProblem(asProblem(error, response.status));
  }

  const email = form.field('email');
  return (
    <div className="row justify-content-center">
      <div className="col-md-8 col-lg-6">
        <h1 className="mb-4">Password dimenticata</h1>
        <StatusAlert>
          {sent && (
            <>
              <strong className="d-block">Richiesta ricevuta</strong>
              Se l'indirizzo corrisponde a un account attivo, riceverete un messaggio con un link valido un'ora per scegliere
              una nuova password. Se non arriva entro qualche minuto, controllate la posta indesiderata; per un nuovo
              link attendete almeno due minuti.
            </>
          )}
        </StatusAlert>
        {sent ? (
          <p>
            <Link to="/accesso">Torna all'accesso</Link>
          </p>
        ) : (
          <>
            <p>
              Indicate l'indirizzo e-mail con cui accedete a cabina: vi manderemo un link per scegliere una nuova password.
            </p>
            <ErrorAlert {...form.alert()} title="Richiesta non inviata" />
            <form onSubmit={submit} noValidate>
              <Field {...email} type="email" autoComplete="username" required />
              <div className="d-flex flex-wrap align-items-center gap-3">
                <Button color="primary" type="submit" disabled={busy}>
                  Invia il link
                </Button>
                <Link to="/accesso">Torna all'accesso</Link>
              </div>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
