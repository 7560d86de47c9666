import { api } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { useReference } from '../../api/reference';
import { FormSection, useApiForm } from '../../components/ApiForm';
import { RecordTable } from '../../components/DataTable';
import { SelectField } from '../../components/SelectField';
import { Field } from '../../Field';
import { address } from '../../format';

/** Rooms for in-person sessions. Admin. */
export function Venues() {
  const venues = usePagedList('/venues');
  const comuni = useReference('comuni');
  const f = useApiForm({ name: '', address: '', comune_istat_code: '', capacity: '25', accessibility_notes: '' }, 'sede');

  async function submit() {
    const body = { ...f.form, capacity: Number(f.form.capacity) };
    if (await f.send(api.POST('/venues', { body }), (v) => `Sede «${v.name}» registrata.`)) venues.reload();
  }

  return (
    <>
      <h1 className="mb-4">Sedi</h1>
      <RecordTable
        list={venues}
        noun={['sede', 'sedi']}
        caption="Sedi"
        empty="Nessuna sede registrata."
        columns={[
          { header: 'Sede', rowHeader: true, cell: (v) => v.name },
          { header: 'Indirizzo', cell: (v) => address(v.address, comuni.find(v.comune_istat_code)?.name ?? v.comune_istat_code) },
          { header: 'Posti', numeric: true, cell: (v) => v.capacity },
        ]}
      />
      <FormSection form={f} id="nuova-sede" title="Nuova sede" submitLabel="Registra la sede" onSubmit={submit}>
        <div className="row">
          <Field {...f.field('name')} required className="col-md-6" />
          <Field {...f.field('address')} required className="col-md-6" />
          <SelectField {...f.field('comune_istat_code')} className="col-md-6 mb-4" options={comuni.options} required />
          <Field {...f.field('capacity')} type="number" required className="col-md-6" />
        </div>
        <Field {...f.field('accessibility_notes')} />
      </FormSection>
    </>
  );
}
