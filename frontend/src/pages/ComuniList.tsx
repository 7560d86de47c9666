import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Input, Table } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components } from '../api/schema';

type Comune = components['schemas']['ComuneResponse'];
type Sort = 'name' | '-population' | 'distance_km';

const SORT_LABELS: Record<Sort, string> = {
  name: 'Nome',
  '-population': 'Popolazione (decrescente)',
  distance_km: 'Distanza dal capoluogo',
};

const number = new Intl.NumberFormat('it-IT');

export function ComuniList() {
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort>('name');
  const [comuni, setComuni] = useState<Comune[]>([]);
  const [total, setTotal] = useState(0);
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    const query = { limit: 200, sort, ...(q.trim() ? { q: q.trim() } : {}) };
    api.GET('/comuni', { params: { query } }).then(({ data, error, response }) => {
      if (data) {
        setComuni(data.items);
        setTotal(data.total);
        setProblem(undefined);
      } else {
        setProblem(asProblem(error, response.status));
      }
    });
  }, [q, sort]);

  return (
    <>
      <h1 className="mb-4">Comuni</h1>
      <div className="row">
        <div className="col-md-6">
          <Input id="cerca" type="search" label="Cerca per nome" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="col-md-6">
          <div className="select-wrapper">
            <label htmlFor="ordina">Ordina per</label>
            <select id="ordina" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              {Object.entries(SORT_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      {problem && <Alert color="danger">{problem.detail}</Alert>}
      <p aria-live="polite">{total === 1 ? '1 comune' : `${number.format(total)} comuni`}</p>
      <Table responsive striped>
        <caption className="visually-hidden">Elenco dei comuni della Provincia</caption>
        <thead>
          <tr>
            <th scope="col">Comune</th>
            <th scope="col">Codice ISTAT</th>
            <th scope="col">CAP</th>
            <th scope="col" className="numeric">
              Popolazione
            </th>
            <th scope="col" className="numeric">
              Distanza dal capoluogo
            </th>
          </tr>
        </thead>
        <tbody>
          {comuni.map((c) => (
            <tr key={c.istat_code}>
              <th scope="row">
                <Link to={`/comuni/${c.istat_code}`}>{c.name}</Link>
              </th>
              <td>{c.istat_code}</td>
              <td>{c.postal_code ?? '—'}</td>
              <td className="numeric">{c.population !== undefined ? number.format(c.population) : '—'}</td>
              <td className="numeric">{c.distance_km !== undefined ? `${number.format(c.distance_km)} km` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
