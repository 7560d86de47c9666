import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Button } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { useReference } from '../api/reference';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { SignInPrompt, useForm } from '../components/Page';
import { ThemeChecklist } from '../components/ThemeChecklist';
import { Field } from '../Field';
import { day } from '../format';
import { CAMPAIGN_STATUS } from '../labels';

type Campaign = components['schemas']['CampaignResponse'];

/** The needs-survey campaigns; the admin creates them here. */
export function Campaigns() {
  const { user } = useAuth();
  const { data, problem, reload } = useApi(() => api.GET('/campaigns'), [], !!user);
  const campaigns = data?.items;

  if (!user) return <SignInPrompt purpose="Per vedere le rilevazioni dei fabbisogni" />;

  return (
    <>
      <h1 className="mb-4">Rilevazione dei fabbisogni formativi</h1>
      <ErrorAlert problem={problem} />
      {campaigns && (
        <DataTable
          caption="Rilevazioni"
          captionHidden
          items={campaigns}
          rowKey={(c) => c.id}
          empty="Non ci sono ancora rilevazioni."
          columns={[
            { header: 'Anno', cell: (c) => c.year },
            { header: 'Titolo', rowHeader: true, cell: (c) => <Link to={`/campagne/${c.id}`}>{c.title}</Link> },
            { header: 'Periodo', cell: (c) => `dal ${day(c.opens_on)} al ${day(c.closes_on)}` },
            {
              header: 'Stato',
              cell: (c) => <Badge color={CAMPAIGN_STATUS[c.status].color}>{CAMPAIGN_STATUS[c.status].label}</Badge>,
            },
          ]}
        />
      )}
      {user.role === 'admin' && <NewCampaign onCreated={reload} />}
    </>
  );
}

function NewCampaign({ onCreated }: { onCreated: () => void }) {
  const year = new Date().getFullYear() + 1;
  const themes = useReference('themes');
  const { form, set } = useForm({
    year: String(year),
    title: `Fabbisogni formativi ${year}`,
    opens_on: `${year}-01-15`,
    closes_on: `${year}-02-28`,
    instructions: 'Indicare per ogni tema quante persone di quali uffici hanno bisogno di formazione.',
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<Campaign>();

  // The Province's priority themes are proposed to begin with.
  useEffect(() => {
    setChosen(themes.items.filter((t) => t.priority).map((t) => t.code));
  }, [themes.items]);

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

  return (
    <section aria-labelledby="nuova" className="mt-5">
      <h2 id="nuova" className="h4">
        Nuova rilevazione
      </h2>
      {created && <Alert color="success">Rilevazione «{created.title}» creata: apritela quando è pronta.</Alert>}
      <ErrorAlert problem={problem} fields={Object.keys(form)} />
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
        <ThemeChecklist
          idPrefix="tema"
          legend="Temi proposti ai comuni"
          themes={themes.items}
          chosen={chosen}
          onChange={setChosen}
          error={fieldError(problem, 'themes')}
        />
        <Button color="primary" type="submit">
          Crea la rilevazione
        </Button>
      </form>
    </section>
  );
}
