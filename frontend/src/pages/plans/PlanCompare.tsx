import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button } from 'design-react-kit';
import { api, asProblem, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { useApi } from '../../api/useApi';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SelectField } from '../../components/SelectField';
import { decimal, euro, euroChange, number, percent } from '../../format';
import type { Plan } from './figures';
import { gapText } from './figures';
import { parameterName, parameterValue } from './parameters';

type Comparison = components['schemas']['PlanComparison'];
type Side = components['schemas']['ComparedPlan'];

interface Row {
  label: string;
  value: (s: Side) => number;
  show: (n: number, s: Side) => string;
  change: (d: number) => string;
  /** Whether more is better (a saving) or worse (a cost). */
  better: 'more' | 'less' | 'neither';
}

const signed = (format: (n: number) => string) => (d: number) => (d === 0 ? format(0) : `${d > 0 ? '+' : '−'}${format(Math.abs(d))}`);

const ROWS: Row[] = [
  { label: 'Persone servite', value: (s) => s.people_served, show: (n) => number.format(n), change: signed((n) => number.format(n)), better: 'more' },
  { label: 'Costo totale', value: (s) => s.total_cents, show: euro, change: euroChange, better: 'less' },
  { label: 'Spesa dei comuni da soli', value: (s) => s.standalone_cents, show: euro, change: euroChange, better: 'neither' },
  { label: 'Risparmio', value: (s) => s.saving_cents, show: euro, change: euroChange, better: 'more' },
  { label: 'Limite inferiore', value: (s) => s.lower_bound_cents, show: euro, change: euroChange, better: 'neither' },
  { label: 'Scarto massimo', value: (s) => s.gap, show: (g, s) => gapText(g, true, { total: s.total_cents, bound: s.lower_bound_cents }), change: signed((g) => percent(g)), better: 'less' },
  { label: 'Edizioni in presenza', value: (s) => s.figures.editions_in_person, show: (n) => number.format(n), change: signed((n) => number.format(n)), better: 'neither' },
  { label: 'Edizioni webinar', value: (s) => s.figures.editions_webinar, show: (n) => number.format(n), change: signed((n) => number.format(n)), better: 'neither' },
  { label: 'Km-persona', value: (s) => s.figures.person_km, show: (n) => decimal(n, 0), change: signed((n) => decimal(n, 0)), better: 'less' },
  { label: 'Ore di viaggio', value: (s) => s.figures.travel_hours, show: (n) => decimal(n, 1), change: signed((n) => decimal(n, 1)), better: 'less' },
];

/** Whether a difference is good news, bad news, or just a difference. */
function judgement(row: Row, d: number): { className: string; words: string } {
  if (Math.abs(d) < 1e-9) return { className: '', words: 'uguale' };
  if (row.better === 'neither') return { className: 'fw-semibold', words: d > 0 ? 'di più' : 'di meno' };
  const good = row.better === 'more' ? d > 0 : d < 0;
  return good ? { className: 'fw-semibold plan-better', words: 'meglio' } : { className: 'fw-semibold plan-worse', words: 'peggio' };
}

/** Two plans of a campaign side by side: headline figures, differences, changed parameters. */
export function PlanCompare({ plan, themeName }: { plan: Plan; themeName: (code: string) => string }) {
  const others = useApi(() => api.GET('/plans', { params: { query: { campaign_id: plan.campaign_id, limit: 200 } } }), [plan.campaign_id]);
  const options = (others.data?.items ?? []).filter((p) => p.id !== plan.id).map((p) => ({ value: p.id, label: p.name }));
  const [other, setOther] = useState('');
  const [comparison, setComparison] = useState<Comparison>();
  const [problem, setProblem] = useState<Problem>();

  async function compare(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.GET('/plans/{id}/comparison', { params: { path: { id: plan.id }, query: { with: Number(other) } } });
    setComparison(data);
    setProblem(data ? undefined : asProblem(error, response.status));
  }

  return (
    <section aria-labelledby="confronta" className="mb-4">
      <h2 id="confronta" className="h4">
        Confronta con un altro piano
      </h2>
      <ErrorAlert problem={others.problem ?? problem} />
      {others.data && options.length === 0 ? (
        <p>Non ci sono altri piani della stessa rilevazione: generatene uno con parametri diversi dalla pagina dei <Link to="/piani">piani</Link>.</p>
      ) : (
        <form className="row align-items-end mt-5" onSubmit={compare} noValidate>
          <SelectField id="confronta-con" className="col-md-6 mb-4" label="Altro piano della stessa rilevazione" value={other} onChange={setOther} options={options} />
          <div className="col-md-6 mb-4">
            <Button color="primary" type="submit" disabled={!other}>
              Confronta
            </Button>
          </div>
        </form>
      )}
      {comparison && <ComparisonView comparison={comparison} themeName={themeName} />}
    </section>
  );
}

function ComparisonView({ comparison, themeName }: { comparison: Comparison; themeName: (code: string) => string }) {
  const { first, second } = comparison;
  return (
    <div aria-live="polite">
      <div className="table-responsive" role="region" aria-labelledby="confronto-titolo" tabIndex={0}>
        <table className="table table-sm plan-comparison">
          <caption id="confronto-titolo">
            «{first.name}» e «{second.name}»: la differenza è il secondo meno il primo
          </caption>
          <thead>
            <tr>
              <th scope="col">Dato</th>
              <th scope="col" className="numeric">
                {first.name}
              </th>
              <th scope="col" className="numeric">
                {second.name}
              </th>
              <th scope="col" className="numeric">
                Differenza
              </th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => {
              const d = row.value(second) - row.value(first);
              const j = judgement(row, d);
              return (
                <tr key={row.label} className={j.words === 'uguale' ? undefined : 'plan-changed'}>
                  <th scope="row">{row.label}</th>
                  <td className="numeric">{row.show(row.value(first), first)}</td>
                  <td className="numeric">{row.show(row.value(second), second)}</td>
                  <td className={`numeric ${j.className}`}>
                    {j.words === 'uguale' ? 'uguale' : `${row.change(d)} (${j.words})`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h3 className="h6">Parametri cambiati</h3>
      {comparison.changed_parameters.length === 0 ? (
        <p>Nessuno: i due piani hanno gli stessi parametri.</p>
      ) : (
        <ul>
          {comparison.changed_parameters.map((path) => {
            const [a, b] = [parameterValue(first.parameters, path), parameterValue(second.parameters, path)];
            return (
              <li key={path}>
                <strong>{parameterName(path, themeName)}</strong>
                {a !== undefined && b !== undefined && `: ${a} → ${b}`}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
