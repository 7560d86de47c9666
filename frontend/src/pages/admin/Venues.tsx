import { useState, type FormEvent } from 'react';
import { Alert, Button } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { useReference } from '../../api/reference';
import { PagedTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useForm } from '../../components/Page';
import { SelectField } from '../../components/SelectField';
import { Field } from '../../Field';
import { count } from '../../format';

/** Rooms for in-person sessions. Admin. */
export function Venues() {
  const venues = usePagedList('/venues');
  const comuni = useReference('comuni');
  const { form, set } = useForm({ name: '', address: '', comune_istat_code: '', capacity: '25', accessibility_notes: '' });
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.POST('/venues', {
      body: { ...form, capacity: Number(form.capacity) },
    });
    if (data) {
      setCreated(`Sede «${data.name}» registrata.`);
      setProblem(undefined);
      venues.reload();
    } else setProblem(asProblem(error, response.status));
  }

  return (
    <>
      <h1 className="mb-4">Sedi</h1>
      <PagedTable
        list={venues}
        count={(n) => count(n, 'sede', 'sedi')}
        caption="Sedi"
        captionHidden
        size="sm"
        rowKey={(v) => v.id}
        empty="Nessuna sede registrata."
        columns={[
          { header: 'Sede', rowHeader: true, cell: (v) => v.name },
          { header: 'Indirizzo', cell: (v) => `${v.address}, ${comuni.find(v.comune_istat_code)?.name ?? v.comune_istat_code}` },
          { header: 'Posti', numeric: true, cell: (v) => v.capacity },
        ]}
      />
      <section aria-labelledby="nuova-sede" className="mt-5">
        <h2 id="nuova-sede" className="h4">
          Nuova sede
        </h2>
        {created && <Alert color="success">{created}</Alert>}
        <ErrorAlert problem={problem} fields={Object.keys(form)} />
        <form onSubmit={submit} noValidate className="mt-5">
          <div className="row">
            <div className="col-md-6">
              <Field id="sede-nome" label="Nome" value={form.name} onChange={set('name')} error={fieldError(problem, 'name')} required />
            </div>
            <div className="col-md-6">
              <Field id="sede-indirizzo" label="Indirizzo" value={form.address} onChange={set('address')} error={fieldError(problem, 'address')} required />
            </div>
            <SelectField
              id="sede-comune"
              label="Comune"
              className="col-md-6 mb-4"
              value={form.comune_istat_code}
              onChange={set('comune_istat_code')}
              options={comuni.options}
              error={fieldError(problem, 'comune_istat_code')}
              required
            />
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
