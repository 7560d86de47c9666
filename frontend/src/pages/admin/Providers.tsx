import { useState } from 'react';
import { Badge, Button } from 'design-react-kit';
import { api, asProblem, type Problem } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { useReference } from '../../api/reference';
import { FormSection, useApiForm } from '../../components/ApiForm';
import { RecordTable } from '../../components/DataTable';
import { Outcome } from '../../components/ErrorAlert';
import { ThemeChecklist } from '../../components/ThemeChecklist';
import { Field } from '../../Field';
import { day } from '../../format';
import { qualificationTag } from '../../labels';

const EMPTY = { name: '', tax_code: '', email: '', qualified_until: '' };
const LABELS = { name: 'Denominazione', tax_code: 'Codice fiscale o partita IVA', themes: 'Temi per cui è qualificato' };

/** Training providers: the network, their qualification and themes. Admin. */
export function Providers() {
  const providers = usePagedList('/providers');
  const themes = useReference('themes');
  const f = useApiForm(EMPTY, 'ente', LABELS);
  const [chosen, setChosen] = useState<string[]>([]);
  const [done, setDone] = useState<string>();
  const [problem, setProblem] = useState<Problem>();

  /** Lets a provider change its published editions alone, or asks it to propose again. */
  async function setAutonomy(id: number, name: string, needApproval: boolean) {
    const { data, error, response } = await api.PATCH('/providers/{id}', {
      params: { path: { id }, header: {} },
      body: { edition_changes_need_approval: needApproval },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (data) {
      setProblem(undefined);
      setDone(
        needApproval
          ? `«${name}»: posti, date e annullamenti delle edizioni pubblicate richiedono di nuovo la vostra approvazione.`
          : `«${name}»: da ora cambia posti, date e stato delle sue edizioni senza approvazione.`,
      );
      providers.reload();
    } else {
      setDone(undefined);
      setProblem(asProblem(error, response.status));
    }
  }

  async function submit() {
    const { form } = f;
    const body = {
      name: form.name,
      tax_code: form.tax_code,
      themes: chosen,
      qualification_status: 'qualified' as const,
      ...(form.email ? { email: form.email } : {}),
      ...(form.qualified_until ? { qualified_until: form.qualified_until } : {}),
    };
    if (await f.send(api.POST('/providers', { body }), (p) => `Ente «${p.name}» registrato.`)) {
      f.setForm(EMPTY);
      setChosen([]);
      providers.reload();
    }
  }

  return (
    <>
      <h1 className="mb-4">Enti formatori</h1>
      <Outcome done={done} problem={problem} />
      <RecordTable
        list={providers}
        noun={['ente', 'enti']}
        caption="Enti formatori"
        empty="Nessun ente registrato."
        columns={[
          { header: 'Ente', rowHeader: true, cell: (p) => p.name },
          { header: 'Codice fiscale', cell: (p) => p.tax_code },
          {
            header: 'Qualificazione',
            cell: (p) => (
              <>
                <Badge color={qualificationTag(p).color}>{qualificationTag(p).label}</Badge>
                {p.qualified_until && ` fino al ${day(p.qualified_until)}`}
              </>
            ),
          },
          { header: 'Temi', numeric: true, cell: (p) => p.themes.length },
          {
            header: 'Modifiche alle edizioni pubblicate',
            cell: (p) => (
              <span className="d-inline-flex flex-wrap gap-2 align-items-center">
                {p.edition_changes_need_approval ? 'Con approvazione' : 'In autonomia'}
                <Button color="secondary" outline size="xs" onClick={() => setAutonomy(p.id, p.name, !p.edition_changes_need_approval)}>
                  {p.edition_changes_need_approval ? 'Consenti in autonomia' : 'Richiedi approvazione'}
                  <span className="visually-hidden">: {p.name}</span>
                </Button>
              </span>
            ),
          },
        ]}
      />
      <FormSection form={f} id="nuovo-ente" title="Nuovo ente" submitLabel="Registra l'ente" onSubmit={submit}>
        <div className="row">
          <Field {...f.field('name')} required className="col-md-6" />
          <Field {...f.field('tax_code')} required className="col-md-6" />
          <Field {...f.field('email')} type="email" className="col-md-6" />
          <Field {...f.field('qualified_until')} type="date" className="col-md-6" />
        </div>
        <ThemeChecklist
          idPrefix="ente-tema"
          legend={LABELS.themes}
          themes={themes.items}
          chosen={chosen}
          onChange={setChosen}
          error={f.error('themes', `ente-tema-${themes.items[0]?.code ?? ''}`)}
        />
      </FormSection>
    </>
  );
}
