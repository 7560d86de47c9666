import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Button, Table } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { Field } from '../Field';
import { day } from '../download';

type Campaign = components['schemas']['CampaignResponse'];
type Theme = components['schemas']['ThemeResponse'];

export const CAMPAIGN_STATUS: Record<Campaign['status'], { label: string; color: string }> = {
  draft: { label: 'In preparazione', color: 'secondary' },
  open: { label: 'Aperta', color: 'success' },
  closed: { label: 'Chiusa', color: 'dark' },
};

/** The needs-survey campaigns; the admin creates them here. */
export function Campaigns() {
  const { user } = useAuth();
  const [campaigns, setCampaigns] = useState<Campaign[]>();
  const [problem, setProblem] = useState<Problem>();

  const load = useCallback(() => {
    api.GET('/campaigns').then(({ data, error, response }) => {
      if (data) setCampaigns(data.items);
      else setProblem(asProblem(error, response.status));
    });
  }, []);

  useEffect(() => {
    if (user) load();
  }, [user, load]);

  if (!user) {
    return (
      <p>
        Per vedere le rilevazioni dei fabbisogni occorre <Link to="/accesso">accedere</Link>.
      </p>
    );
  }

  return (
    <>
      <h1 className="mb-4">Rilevazione dei fabbisogni formativi</h1>
      {problem && <Alert color="danger">{problem.detail}</Alert>}
      {campaigns && campaigns.length === 0 && <p>Non ci sono ancora rilevazioni.</p>}
      {campaigns && campaigns.length > 0 && (
        <Table responsive>
          <caption className="visually-hidden">Rilevazioni</caption>
          <thead>
            <tr>
              <th scope="col">Anno</th>
              <th scope="col">Titolo</th>
              <th scope="col">Periodo</th>
              <th scope="col">Stato</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <td>{c.year}</td>
                <th scope="row">
                  <Link to={`/campagne/${c.id}`}>{c.title}</Link>
                </th>
                <td>
                  dal {day(c.opens_on)} al {day(c.closes_on)}
                </td>
                <td>
                  <Badge color={CAMPAIGN_STATUS[c.status].color}>{CAMPAIGN_STATUS[c.status].label}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {user.role === 'admin' && <NewCampaign onCreated={load} />}
    </>
  );
}

function NewCampaign({ onCreated }: { onCreated: () => void }) {
  const year = new Date().getFullYear() + 1;
  const [themes, setThemes] = useState<Theme[]>([]);
  const [form, setForm] = useState({
    year: String(year),
    title: `Fabbisogni formativi ${year}`,
    opens_on: `${year}-01-15`,
    closes_on: `${year}-02-28`,
    instructions: 'Indicare per ogni tema quante persone di quali uffici hanno bisogno di formazione.',
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<Campaign>();

  useEffect(() => {
    api.GET('/themes').then(({ data }) => {
      if (data) {
        setThemes(data.items);
        setChosen(data.items.filter((t) => t.priority).map((t) => t.code));
      }
    });
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.POST('/campaigns', {
      body: { ...form, year: Number(form.year), themes: chosen },
    });
    if (data) {
      setCreated(data);
      setProblem(undefined);
      onCreated();
    } else {
      setProblem(asProblem(error, response.status));
    }
  }

  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <section aria-labelledby="nuova" className="mt-5">
      <h2 id="nuova" className="h4">
        Nuova rilevazione
      </h2>
      {created && <Alert color="success">Rilevazione «{created.title}» creata: apritela quando è pronta.</Alert>}
      {problem && <Alert color="danger">{problem.detail}</Alert>}
      <form onSubmit={submit} noValidate className="mt-5">
        <div className="row">
          <div className="col-md-2">
            <Field id="anno" label="Anno" type="number" value={form.year} onChange={set('year')} error={fieldError(problem, 'year')} />
          </div>
          <div className="col-md-10">
            <Field id="titolo" label="Titolo" value={form.title} onChange={set('title')} error={fieldError(problem, 'title')} />
          </div>
          <div className="col-md-6">
            <Field id="apre" label="Apertura" type="date" value={form.opens_on} onChange={set('opens_on')} error={fieldError(problem, 'opens_on')} />
          </div>
          <div className="col-md-6">
            <Field id="chiude" label="Chiusura" type="date" value={form.closes_on} onChange={set('closes_on')} error={fieldError(problem, 'closes_on')} />
          </div>
        </div>
        <Field id="istruzioni" label="Istruzioni per i referenti" value={form.instructions} onChange={set('instructions')} error={fieldError(problem, 'instructions')} />
        <fieldset className="mb-4">
          <legend className="h6">Temi proposti ai comuni</legend>
          {fieldError(problem, 'themes') && <p className="text-danger">{fieldError(problem, 'themes')}</p>}
          <div className="row">
            {themes.map((t) => (
              <div className="col-md-6 form-check" key={t.code}>
                <input
                  id={`tema-${t.code}`}
                  type="checkbox"
                  checked={chosen.includes(t.code)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, t.code] : chosen.filter((c) => c !== t.code))}
                />
                <label htmlFor={`tema-${t.code}`}>{t.name}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <Button color="primary" type="submit">
          Crea la rilevazione
        </Button>
      </form>
    </section>
  );
}
