import { useState } from 'react';
import { Badge } from 'design-react-kit';
import { api } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { useReference } from '../../api/reference';
import { FormSection, useApiForm } from '../../components/ApiForm';
import { RecordTable } from '../../components/DataTable';
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
