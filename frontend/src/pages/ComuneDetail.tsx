import { useEffect, useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Button } from 'design-react-kit';
import { Field } from '../Field';
import { api, asProblem, fieldError, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { Breadcrumbs } from '../components/Page';
import { degrees, number } from '../format';

type Comune = components['schemas']['ComuneResponse'];
type Contacts = { referente_email: string; pec: string; phone: string; unione: string };

const CONTACT_FIELDS = [
  ['referente_email', 'E-mail del referente per la formazione', 'email'],
  ['pec', 'PEC del comune', 'email'],
  ['phone', 'Telefono', 'tel'],
  ['unione', 'Unione di Comuni', 'text'],
] as const;

function contactsOf(c: Comune): Contacts {
  return {
    referente_email: c.contacts?.referente_email ?? '',
    pec: c.contacts?.pec ?? '',
    phone: c.contacts?.phone ?? '',
    unione: c.contacts?.unione ?? '',
  };
}

export function ComuneDetail() {
  const { istatCode = '' } = useParams();
  const { user, loading } = useAuth();
  const [comune, setComune] = useState<Comune>();
  const [etag, setEtag] = useState<string>();
  const [form, setForm] = useState<Contacts>({ referente_email: '', pec: '', phone: '', unione: '' });
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    // Once the session is known: the signed-in view carries the contacts, and a second
    // answer arriving later would overwrite what the user has started typing.
    if (loading) return;
    api.GET('/comuni/{istat_code}', { params: { path: { istat_code: istatCode } } }).then(({ data, error, response }) => {
      if (data) {
        setComune(data);
        setEtag(response.headers.get('ETag') ?? undefined);
        setForm(contactsOf(data));
      } else {
        setProblem(asProblem(error, response.status));
      }
    });
  }, [istatCode, user, loading]);

  const canEdit = user && (user.role === 'admin' || (user.role === 'referente' && user.comune_istat_code === istatCode));

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const body = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() === '' ? null : v.trim()]));
    const { data, error, response } = await api.PATCH('/comuni/{istat_code}', {
      params: { path: { istat_code: istatCode }, header: etag ? { 'If-Match': etag } : {} },
      body,
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (data) {
      setComune(data);
      setEtag(response.headers.get('ETag') ?? undefined);
      setForm(contactsOf(data));
      setProblem(undefined);
      setSaved(true);
    } else {
      setProblem(asProblem(error, response.status));
    }
  }

  if (!comune) {
    return problem ? <ErrorAlert problem={problem} /> : <p role="status">Caricamento…</p>;
  }
  return (
    <>
      <Breadcrumbs parent={{ to: '/comuni', label: 'Comuni' }} current={comune.name} />
      <h1>{comune.name}</h1>
      <dl className="row">
        <dt className="col-sm-4">Codice ISTAT</dt>
        <dd className="col-sm-8">{comune.istat_code}</dd>
        <dt className="col-sm-4">Codice catastale</dt>
        <dd className="col-sm-8">{comune.cadastral_code}</dd>
        <dt className="col-sm-4">CAP</dt>
        <dd className="col-sm-8">{comune.postal_code ?? '—'}</dd>
        <dt className="col-sm-4">Popolazione</dt>
        <dd className="col-sm-8">
          {comune.population !== undefined ? number.format(comune.population) : '—'}
          {comune.population_date && ` (ANPR, ${new Date(comune.population_date).toLocaleDateString('it-IT')})`}
        </dd>
        <dt className="col-sm-4">Distanza dal capoluogo</dt>
        <dd className="col-sm-8">{comune.distance_km !== undefined ? `${number.format(comune.distance_km)} km` : '—'}</dd>
        <dt className="col-sm-4">Coordinate</dt>
        <dd className="col-sm-8">
          latitudine {degrees(comune.latitude)}, longitudine {degrees(comune.longitude)}
        </dd>
      </dl>
      {comune.contacts && !canEdit && (
        <>
          <h2 className="h4 mt-4">Contatti</h2>
          <dl className="row">
            <dt className="col-sm-4">Referente per la formazione</dt>
            <dd className="col-sm-8">{comune.contacts.referente_email ?? '—'}</dd>
            <dt className="col-sm-4">PEC</dt>
            <dd className="col-sm-8">{comune.contacts.pec ?? '—'}</dd>
            <dt className="col-sm-4">Telefono</dt>
            <dd className="col-sm-8">{comune.contacts.phone ?? '—'}</dd>
            <dt className="col-sm-4">Unione di Comuni</dt>
            <dd className="col-sm-8">{comune.contacts.unione ?? '—'}</dd>
          </dl>
        </>
      )}
      {canEdit && (
        <form onSubmit={save} noValidate className="mt-4">
          <h2 className="h4 mb-4">Contatti</h2>
          <ErrorAlert problem={problem} fields={CONTACT_FIELDS.map(([field]) => field)} />
          {saved && <Alert color="success">Contatti salvati.</Alert>}
          {CONTACT_FIELDS.map(([field, label, type]) => (
            <Field
              key={field}
              id={field}
              type={type}
              label={label}
              value={form[field]}
              onChange={(value) => setForm({ ...form, [field]: value })}
              error={fieldError(problem, field)}
            />
          ))}
          <Button color="primary" type="submit">
            Salva i contatti
          </Button>
        </form>
      )}
    </>
  );
}
