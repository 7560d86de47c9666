import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Button, Table } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { Field } from '../../Field';

type Course = components['schemas']['CourseResponse'];
type Theme = components['schemas']['ThemeResponse'];
type Provider = components['schemas']['ProviderResponse'];
type Modality = Course['modality'];

export const MODALITY_LABELS: Record<Modality, string> = {
  in_person: 'In presenza',
  live_webinar: 'Webinar in diretta',
  async_webinar: 'Webinar asincrono',
  blended: 'Mista',
};
export const COURSE_STATUS: Record<Course['status'], { label: string; color: string }> = {
  draft: { label: 'Bozza', color: 'secondary' },
  published: { label: 'Pubblicato', color: 'success' },
  archived: { label: 'Archiviato', color: 'dark' },
};

/** Courses of the catalogue: the admin's all, a provider's own; the admin creates them. */
export function Courses() {
  const { user } = useAuth();
  const [courses, setCourses] = useState<Course[]>([]);
  const [themes, setThemes] = useState<Theme[]>([]);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [form, setForm] = useState({ title: '', theme_code: '', provider_id: '', hours: '6', modality: 'in_person' as Modality, min_attendance_percent: '80', description: '' });
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<Course>();

  const load = useCallback(() => {
    api.GET('/courses', { params: { query: { limit: 200 } } }).then(({ data }) => data && setCourses(data.items));
  }, []);
  useEffect(() => {
    load();
    api.GET('/themes').then(({ data }) => data && setThemes(data.items));
    if (user?.role === 'admin') api.GET('/providers', { params: { query: { limit: 200 } } }).then(({ data }) => data && setProviders(data.items));
  }, [load, user]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.POST('/courses', {
      body: {
        title: form.title,
        theme_code: form.theme_code || themes[0]?.code,
        provider_id: Number(form.provider_id || providers[0]?.id),
        hours: Number(form.hours.replace(',', '.')),
        modality: form.modality,
        min_attendance_percent: Number(form.min_attendance_percent),
        description: form.description,
      },
    });
    if (data) {
      setCreated(data);
      setProblem(undefined);
      load();
    } else setProblem(asProblem(error, response.status));
  }

  const provider = (id: number) => providers.find((p) => p.id === id)?.name ?? `ente ${id}`;
  const theme = (code: string) => themes.find((t) => t.code === code)?.name ?? code;
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <>
      <h1 className="mb-4">Corsi ed edizioni</h1>
      <Table responsive size="sm">
        <caption>{courses.length} corsi</caption>
        <thead>
          <tr>
            <th scope="col">Corso</th>
            <th scope="col">Tema</th>
            {user?.role === 'admin' && <th scope="col">Ente</th>}
            <th scope="col">Ore</th>
            <th scope="col">Stato</th>
          </tr>
        </thead>
        <tbody>
          {courses.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <Link to={`/gestione/corsi/${c.id}`}>{c.title}</Link>
              </th>
              <td>{theme(c.theme_code)}</td>
              {user?.role === 'admin' && <td>{provider(c.provider_id)}</td>}
              <td>{c.hours.toLocaleString('it-IT')}</td>
              <td>
                <Badge color={COURSE_STATUS[c.status].color}>{COURSE_STATUS[c.status].label}</Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {user?.role === 'admin' && (
        <section aria-labelledby="nuovo-corso" className="mt-5">
          <h2 id="nuovo-corso" className="h4">
            Nuovo corso
          </h2>
          {created && (
            <Alert color="success">
              Corso creato in bozza: <Link to={`/gestione/corsi/${created.id}`}>aggiungere le edizioni e pubblicarlo</Link>.
            </Alert>
          )}
          {problem && <Alert color="danger">{problem.detail}</Alert>}
          <form onSubmit={submit} noValidate className="mt-5">
            <Field id="corso-titolo" label="Titolo" value={form.title} onChange={set('title')} error={fieldError(problem, 'title')} required />
            <div className="row">
              <div className="col-md-6 select-wrapper mb-4">
                <label htmlFor="corso-tema">Tema</label>
                <select id="corso-tema" value={form.theme_code} onChange={(e) => set('theme_code')(e.target.value)}>
                  {themes.map((t) => (
                    <option key={t.code} value={t.code}>
                      {t.name}
                    </option>
                  ))}
                </select>
                {fieldError(problem, 'theme_code') && <small className="text-danger">{fieldError(problem, 'theme_code')}</small>}
              </div>
              <div className="col-md-6 select-wrapper mb-4">
                <label htmlFor="corso-ente">Ente formatore</label>
                <select id="corso-ente" value={form.provider_id} onChange={(e) => set('provider_id')(e.target.value)}>
                  {providers.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
                {fieldError(problem, 'provider_id') && <small className="text-danger">{fieldError(problem, 'provider_id')}</small>}
              </div>
              <div className="col-md-4">
                <Field id="corso-ore" label="Ore" value={form.hours} onChange={set('hours')} error={fieldError(problem, 'hours')} required />
              </div>
              <div className="col-md-4 select-wrapper mb-4">
                <label htmlFor="corso-modalita">Modalità</label>
                <select id="corso-modalita" value={form.modality} onChange={(e) => set('modality')(e.target.value)}>
                  {(Object.keys(MODALITY_LABELS) as Modality[]).map((m) => (
                    <option key={m} value={m}>
                      {MODALITY_LABELS[m]}
                    </option>
                  ))}
                </select>
              </div>
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
