import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { useReference } from '../../api/reference';
import { PagedTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useForm } from '../../components/Page';
import { ThemeChecklist } from '../../components/ThemeChecklist';
import { Field } from '../../Field';
import { count, day } from '../../format';
import { qualificationTag } from '../../labels';

const EMPTY = { name: '', tax_code: '', email: '', qualified_until: '' };

/** Training providers: the network, their qualification and themes. Admin. */
export function Providers() {
  const providers = usePagedList('/providers');
  const themes = useReference('themes');
  const { form, set, setForm } = useForm(EMPTY);
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.POST('/providers', {
      body: {
        name: form.name,
        tax_code: form.tax_code,
        themes: chosen,
        qualification_status: 'qualified',
        ...(form.email ? { email: form.email } : {}),
        ...(form.qualified_until ? { qualified_until: form.qualified_until } : {}),
      },
    });
    if (data) {
      setCreated(`Ente «${data.name}» registrato.`);
      setProblem(undefined);
      setForm(EMPTY);
      setChosen([]);
      providers.reload();
    } else setProblem(asProblem(error, response.status));
  }

  return (
    <>
      <h1 className="mb-4">Enti formatori</h1>
      <PagedTable
        list={providers}
        count={(n) => count(n, 'ente', 'enti')}
        caption="Enti formatori"
        captionHidden
        size="sm"
        rowKey={(p) => p.id}
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
        ]}
      />
      <section aria-labelledby="nuovo-ente" className="mt-5">
        <h2 id="nuovo-ente" className="h4">
          Nuovo ente
        </h2>
        {created && <Alert color="success">{created}</Alert>}
        <ErrorAlert problem={problem} fields={[...Object.keys(EMPTY), 'themes']} />
        <form onSubmit={submit} noValidate className="mt-5">
          <div className="row">
            <div className="col-md-6">
              <Field id="ente-nome" label="Denominazione" value={form.name} onChange={set('name')} error={fieldError(problem, 'name')} required />
            </div>
            <div className="col-md-6">
              <Field id="ente-cf" label="Codice fiscale o partita IVA" value={form.tax_code} onChange={set('tax_code')} error={fieldError(problem, 'tax_code')} required />
            </div>
            <div className="col-md-6">
              <Field id="ente-email" label="E-mail" type="email" value={form.email} onChange={set('email')} error={fieldError(problem, 'email')} />
            </div>
            <div className="col-md-6">
              <Field id="ente-scadenza" label="Qualificato fino al" type="date" value={form.qualified_until} onChange={set('qualified_until')} error={fieldError(problem, 'qualified_until')} />
            </div>
          </div>
          <ThemeChecklist
            idPrefix="ente-tema"
            legend="Temi per cui è qualificato"
            themes={themes.items}
            chosen={chosen}
            onChange={setChosen}
            error={fieldError(problem, 'themes')}
          />
          <Button color="primary" type="submit">
            Registra l'ente
          </Button>
        </form>
      </section>
    </>
  );
}
