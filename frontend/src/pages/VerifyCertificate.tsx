import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Button } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../Field';
import { day, duration } from '../format';

type Check = components['schemas']['CertificateCheck'];

/** Public: anyone checks that a certificate number is genuine and still valid. */
export function VerifyCertificate() {
  const params = useParams();
  const [number, setNumber] = useState(params.number ?? '');
  const [check, setCheck] = useState<Check | null>();
  const [problem, setProblem] = useState<Problem>();

  async function verify(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.GET('/certificates/{number}', { params: { path: { number: number.trim().toUpperCase() } } });
    // Not found is an answer (no such certificate); anything else is a problem to show.
    setCheck(data ?? (response.status === 404 ? null : undefined));
    setProblem(data || response.status === 404 ? undefined : asProblem(error, response.status));
  }

  return (
    <>
      <h1 className="mb-4">Verifica un attestato</h1>
      <p>Il numero è stampato sull'attestato, per esempio IM-2027-000901-5F3A9C0B7E.</p>
      <form onSubmit={verify} className="mb-4" style={{ maxWidth: '28rem' }}>
        <Field id="numero" label="Numero dell'attestato" value={number} onChange={setNumber} required />
        <Button color="primary" type="submit">
          Verifica
        </Button>
      </form>
      <div aria-live="polite">
        <ErrorAlert problem={problem} />
        {check === null && <Alert color="danger">Nessun attestato con questo numero.</Alert>}
        {check && !check.valid && (
          <Alert color="warning">L'attestato {check.number} non è più valido: la frequenza è stata corretta.</Alert>
        )}
        {check?.valid && (
          <Alert color="success">
            <p className="mb-1">
              <strong>Attestato {check.number} valido.</strong>
            </p>
            <p className="mb-0">
              {check.holder_initials} ha completato «{check.course_title}» ({check.edition_title}) con {check.provider_name}:{' '}
              {check.hours !== undefined && duration(check.hours)}{check.completed_on ? `, il ${day(check.completed_on)}` : ''}.
            </p>
          </Alert>
        )}
      </div>
    </>
  );
}
