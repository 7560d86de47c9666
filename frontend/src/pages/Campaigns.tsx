import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge } from 'design-react-kit';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { useReference } from '../api/reference';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth';
import { FormSection, useApiForm } from '../components/ApiForm';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { SignInPrompt } from '../components/Page';
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
  const f = useApiForm(
    {
      year: String(year),
      title: `Fabbisogni formativi ${year}`,
      opens_on: `${year}-01-15`,
      closes_on: `${year}-02-28`,
      instructions: 'Indicare per ogni tema quante persone di quali uffici hanno bisogno di formazione.',
    },
    'rilevazione',
    { themes: 'Temi proposti ai comuni' },
  );
  const [chosen, setChosen] = useState<string[]>([]);

  // The Province's priority themes are proposed to begin with.
  useEffect(() => {
    setChosen(themes.items.filter((t) => t.priority).map((t) => t.code));
  }, [themes.items]);

  async function submit() {
    const body = { ...f.form, year: Number(f.form.year), themes: chosen };
    const created = (c: Campaign) => `Rilevazione «${c.title}» creata: apritela quando è pronta.`;
    if (await f.send(api.POST('/campaigns', { body }), created)) onCreated();
  }

  return (
    <FormSection form={f} id="nuova" title="Nuova rilevazione" submitLabel="Crea la rilevazione" onSubmit={submit}>
      <div className="row">
        <Field {...f.field('year')} type="number" className="col-md-2" />
        <Field {...f.field('title')} className="col-md-10" />
        <Field {...f.field('opens_on')} type="date" className="col-md-6" />
        <Field {...f.field('closes_on')} type="date" className="col-md-6" />
      </div>
      <Field {...f.field('instructions')} />
      <ThemeChecklist
        idPrefix="tema"
        legend="Temi proposti ai comuni"
        themes={themes.items}
        chosen={chosen}
        onChange={setChosen}
        error={f.error('themes', `tema-${themes.items[0]?.code ?? ''}`)}
      />
    </FormSection>
  );
}
