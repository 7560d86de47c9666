import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Input } from 'design-react-kit';
import { usePagedList } from '../api/collections';
import { PagedTable } from '../components/DataTable';
import { SelectField } from '../components/SelectField';
import { count, number } from '../format';

type Sort = 'name' | '-population' | 'distance_km';

const SORTS: { value: Sort; label: string }[] = [
  { value: 'name', label: 'Nome' },
  { value: '-population', label: 'Popolazione (decrescente)' },
  { value: 'distance_km', label: 'Distanza dal capoluogo' },
];

export function ComuniList() {
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort>('name');
  const comuni = usePagedList('/comuni', { sort, ...(q.trim() ? { q: q.trim() } : {}) });

  return (
    <>
      <h1 className="mb-4">Comuni</h1>
      <div className="row">
        <div className="col-md-6">
          <Input id="cerca" type="search" label="Cerca per nome" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="col-md-6">
          <SelectField id="ordina" label="Ordina per" className="mb-4" value={sort} onChange={(v) => setSort(v as Sort)} options={SORTS} />
        </div>
      </div>
      <PagedTable
        list={comuni}
        count={(n) => count(n, 'comune', 'comuni')}
        caption="Elenco dei comuni della Provincia"
        captionHidden
        striped
        rowKey={(c) => c.istat_code}
        empty="Nessun comune corrisponde alla ricerca."
        columns={[
          { header: 'Comune', rowHeader: true, cell: (c) => <Link to={`/comuni/${c.istat_code}`}>{c.name}</Link> },
          { header: 'Codice ISTAT', cell: (c) => c.istat_code },
          { header: 'CAP', cell: (c) => c.postal_code ?? '—' },
          { header: 'Popolazione', numeric: true, cell: (c) => (c.population !== undefined ? number.format(c.population) : '—') },
          {
            header: 'Distanza dal capoluogo',
            numeric: true,
            cell: (c) => (c.distance_km !== undefined ? `${number.format(c.distance_km)} km` : '—'),
          },
        ]}
      />
    </>
  );
}
