import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Button } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { useReference } from '../../api/reference';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { PagedTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useForm } from '../../components/Page';
import { SelectField } from '../../components/SelectField';
import { Field } from '../../Field';
import { count } from '../../format';
import { COURSE_STATUS, MODALITY, optionsOf, type Modality } from '../../labels';

type Course = components['schemas']['CourseResponse'];

/** Courses of the catalogue: the admin's all, a provider's own; the admin creates them. */
export function Courses() {
  const { user } = useAuth();
  const admin = user?.role === 'admin';
  const courses = usePagedList('/courses', {}, { enabled: !!user });
  const themes = useReference('themes');
  const providers = useReference('providers', admin);
  const { form, set } = useForm({ title: '', theme_code: '', provider_id: '', hours: '6', modality: 'in_person', min_attendance_percent: '80', description: '' });
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<Course>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.POST('/courses', {
      body: {
        title: form.title,
        theme_code: form.theme_code,
        provider_id: Number(form.provider_id),
        hours: Number(form.hours.replace(',', '.')),
        modality: form.modality as Modality,
        min_attendance_percent: Number(form.min_attendance_percent),
        description: form.description,
      },
    });
    if (data) {
      setCreated(data);
      setProblem(undefined);
      courses.reload();
    } else setProblem(asProblem(error, response.status));
  }

  return (
    <>
      <h1 className="mb-4">Corsi ed edizioni</h1>
      <PagedTable
        list={courses}
        count={(n) => count(n, 'corso', 'corsi')}
        caption="Corsi"
        captionHidden
        size="sm"
        rowKey={(c) => c.id}
        empty="Nessun corso."
        columns={[
          { header: 'Corso', rowHeader: true, cell: (c) => <Link to={`/gestione/corsi/${c.id}`}>{c.title}</Link> },
          { header: 'Tema', cell: (c) => themes.find(c.theme_code)?.name ?? c.theme_code },
          admin && { header: 'Ente', cell: (c) => providers.find(c.provider_id)?.name ?? `ente ${c.provider_id}` },
          { header: 'Ore', cell: (c) => c.hours.toLocaleString('it-IT') },
          { header: 'Stato', cell: (c) => <Badge color={COURSE_STATUS[c.status].color}>{COURSE_STATUS[c.status].label}</Badge> },
        ]}
      />
      {admin && (
        <section aria-labelledby="nuovo-corso" className="mt-5">
          <h2 id="nuovo-corso" className="h4">
            Nuovo corso
          </h2>
          {created && (
            <Alert color="success">
              Corso creato in bozza: <Link to={`/gestione/corsi/${created.id}`}>aggiungere le edizioni e pubblicarlo</Link>.
            </Alert>
          )}
          <ErrorAlert problem={problem} fields={Object.keys(form)} />
          <form onSubmit={submit} noValidate className="mt-5">
            <Field id="corso-titolo" label="Titolo" value={form.title} onChange={set('title')} error={fieldError(problem, 'title')} required />
            <div className="row">
              <SelectField
                id="corso-tema"
                label="Tema"
                className="col-md-6 mb-4"
                value={form.theme_code}
                onChange={set('theme_code')}
                options={themes.options}
                error={fieldError(problem, 'theme_code')}
                required
              />
              <SelectField
                id="corso-ente"
                label="Ente formatore"
                className="col-md-6 mb-4"
                value={form.provider_id}
                onChange={set('provider_id')}
                options={providers.options}
                error={fieldError(problem, 'provider_id')}
                required
              />
              <div className="col-md-4">
                <Field id="corso-ore" label="Ore" value={form.hours} onChange={set('hours')} error={fieldError(problem, 'hours')} required />
              </div>
              <SelectField
                id="corso-modalita"
                label="Modalità"
                className="col-md-4 mb-4"
                value={form.modality}
                onChange={set('modality')}
                options={optionsOf(MODALITY)}
                error={fieldError(problem, 'modality')}
                required
              />
              <div className="col-md-4">
                <Field id="corso-frequenza" label="Frequenza minima (%)" type="number" value={form.min_attendance_percent} onChange={set('min_attendance_percent')} error={fieldError(problem, 'min_attendance_percent')} />
              </div>
            </div>
            <Field id="corso-descrizione" label="Descrizione" value={form.description} onChange={set('description')} error={fieldError(problem, 'description')} />
            <Button color="primary" type="submit">
              Crea il corso
            </Button>
          </form>
        </section>
      )}
    </>
  );
}
