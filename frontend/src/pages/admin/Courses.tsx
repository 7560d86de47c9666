import { Link } from 'react-router-dom';
import { Badge } from 'design-react-kit';
import { api } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { useReference } from '../../api/reference';
import { useAuth } from '../../auth';
import { FormSection, useApiForm } from '../../components/ApiForm';
import { RecordTable } from '../../components/DataTable';
import { SelectField } from '../../components/SelectField';
import { Field } from '../../Field';

import { duration, fee } from '../../format';
import { COURSE_STATUS, LANGUAGE, MODALITY, optionsOf, type Language, type Modality } from '../../labels';

/** Courses of the catalogue: the admin's all, a provider's own; the admin creates them. */
export function Courses() {
  const { user } = useAuth();
  const admin = user?.role === 'admin';
  const courses = usePagedList('/courses', {}, { enabled: !!user });
  const themes = useReference('themes');
  const providers = useReference('providers', admin);
  const f = useApiForm({ title: '', theme_code: '', provider_id: '', hours: '6', modality: 'in_person', min_attendance_percent: '80', participant_fee_eur: '0', language: 'it', description: '' }, 'corso');

  async function submit() {
    const { form } = f;
    const body = {
      title: form.title,
      theme_code: form.theme_code,
      provider_id: Number(form.provider_id),
      hours: Number(form.hours.replace(',', '.')),
      modality: form.modality as Modality,
      min_attendance_percent: Number(form.min_attendance_percent),
      participant_fee_eur: Number(form.participant_fee_eur.replace(',', '.')),
      language: form.language as Language,
      description: form.description,
    };
    const created = (c: { id: number }) => (
      <>
        Corso creato in bozza: <Link to={`/gestione/corsi/${c.id}`}>aggiungere le edizioni e pubblicarlo</Link>.
      </>
    );
    if (await f.send(api.POST('/courses', { body }), created)) courses.reload();
  }

  return (
    <>
      <h1 className="mb-4">Corsi ed edizioni</h1>
      <RecordTable
        list={courses}
        noun={['corso', 'corsi']}
        caption="Corsi"
        empty="Nessun corso."
        columns={[
          { header: 'Corso', rowHeader: true, cell: (c) => <Link to={`/gestione/corsi/${c.id}`}>{c.title}</Link> },
          { header: 'Tema', cell: (c) => themes.find(c.theme_code)?.name ?? c.theme_code },
          admin && { header: 'Ente', cell: (c) => providers.find(c.provider_id)?.name ?? `ente ${c.provider_id}` },
          { header: 'Ore', numeric: true, cell: (c) => duration(c.hours) },
          { header: 'Costo', cell: (c) => fee(c.participant_fee_eur) },
          { header: 'Stato', cell: (c) => <Badge color={COURSE_STATUS[c.status].color}>{COURSE_STATUS[c.status].label}</Badge> },
        ]}
      />
      {admin && (
        <FormSection form={f} id="nuovo-corso" title="Nuovo corso" submitLabel="Crea il corso" onSubmit={submit}>
          <Field {...f.field('title')} required />
          <div className="row">
            <SelectField {...f.field('theme_code')} className="col-md-6 mb-4" options={themes.options} required />
            <SelectField {...f.field('provider_id')} className="col-md-6 mb-4" options={providers.options} required />
            <Field {...f.field('hours')} required className="col-md-4" />
            <SelectField {...f.field('modality')} className="col-md-4 mb-4" options={optionsOf(MODALITY)} required />
            <Field {...f.field('min_attendance_percent')} type="number" className="col-md-4" />
            <Field {...f.field('participant_fee_eur')} type="number" decimals hint="0 se gratuito" className="col-md-4" />
            <SelectField {...f.field('language')} className="col-md-4 mb-4" options={optionsOf(LANGUAGE)} required />
          </div>
          <Field {...f.field('description')} />
        </FormSection>
      )}
    </>
  );
}
