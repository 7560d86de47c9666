import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Table } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { Field } from '../../Field';

type Venue = components['schemas']['VenueResponse'];
type Comune = components['schemas']['ComuneResponse'];

/** Rooms for in-person sessions. Admin. */
export function Venues() {
  const [venues, setVenues] = useState<Venue[]>([]);
  const [comuni, setComuni] = useState<Comune[]>([]);
  const [form, setForm] = useState({ name: '', address: '', comune_istat_code: '', capacity: '25', accessibility_notes: '' });
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<string>();

  const load = useCallback(() => {
    api.GET('/venues', { params: { query: { limit: 200 } } }).then(({ data }) => data && setVenues(data.items));
  }, []);
  useEffect(() => {
    load();
    api.GET('/comuni', { params: { query: { limit: 200 } } }).then(({ data }) => {
      if (data) {
        setComuni(data.items);
        setForm((f) => ({ ...f, comune_istat_code: data.items[0]?.istat_code ?? '' }));
      }
    });
  }, [load]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.POST('/venues', {
      body: { ...form, capacity: Number(form.capacity) },
    });
    if (data) {
      setCreated(`Sede «${data.name}» registrata.`);
      setProblem(undefined);
      load();
    } else setProblem(asProblem(error, response.status));
  }

  const name = (code: string) => comuni.find((c) => c.istat_code === code)?.name ?? code;
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <>
      <h1 className="mb-4">Sedi</h1>
      <Table responsive size="sm">
        <caption>{venues.length} sedi</caption>
        <thead>
          <tr>
            <th scope="col">Sede</th>
            <th scope="col">Indirizzo</th>
            <th scope="col" className="numeric">
              Posti
            </th>
          </tr>
        </thead>
        <tbody>
          {venues.map((v) => (
            <tr key={v.id}>
              <th scope="row">{v.name}</th>
              <td>
                {v.address}, {name(v.comune_istat_code)}
              </td>
              <td className="numeric">{v.capacity}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <section aria-labelledby="nuova-sede" className="mt-5">
        <h2 id="nuova-sede" className="h4">
          Nuova sede
        </h2>
        {created && <Alert color="success">{created}</Alert>}
        {problem && <Alert color="danger">{problem.detail}</Alert>}
        <form onSubmit={submit} noValidate className="mt-5">
          <div className="row">
            <div className="col-md-6">
              <Field id="sede-nome" label="Nome" value={form.name} onChange={set('name')} error={fieldError(problem, 'name')} required />
            </div>
            <div className="col-md-6">
              <Field id="sede-indirizzo" label="Indirizzo" value={form.address} onChange={set('address')} error={fieldError(problem, 'address')} required />
            </div>
            <div className="col-md-6 select-wrapper mb-4">
              <label htmlFor="sede-comune">Comune</label>
              <select id="sede-comune" value={form.comune_istat_code} onChange={(e) => set('comune_istat_code')(e.target.value)}>
                {comuni.map((c) => (
                  <option key={c.istat_code} value={c.istat_code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="col-md-6">
              <Field id="sede-posti" label="Posti" type="number" value={form.capacity} onChange={set('capacity')} error={fieldError(problem, 'capacity')} required />
            </div>
          </div>
          <Field id="sede-accessibilita" label="Accessibilità" value={form.accessibility_notes} onChange={set('accessibility_notes')} error={fieldError(problem, 'accessibility_notes')} />
          <Button color="primary" type="submit">
            Registra la sede
          </Button>
        </form>
      </section>
    </>
  );
}
