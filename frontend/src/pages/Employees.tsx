import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Input, Table } from 'design-react-kit';
import { api, asProblem, storedToken, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { download } from '../download';

type Employee = components['schemas']['EmployeeResponse'];
type ImportReport = components['schemas']['ImportReport'];

/** Sends the chosen CSV to the import endpoint, as a dry run or for real. */
async function sendImport(file: File, dryRun: boolean): Promise<{ report?: ImportReport; problem?: Problem }> {
  const response = await fetch(`/api/v1/employee-imports?dry_run=${dryRun}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${storedToken() ?? ''}` },
    body: file,
  });
  const body = await response.json();
  return response.ok ? { report: body as ImportReport } : { problem: asProblem(body, response.status) };
}

export function Employees() {
  const { user } = useAuth();
  const [q, setQ] = useState('');
  const [employees, setEmployees] = useState<Employee[]>([]);
  const [total, setTotal] = useState(0);
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<ImportReport>();
  const [result, setResult] = useState<ImportReport>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    const query = { limit: 200, ...(q.trim() ? { q: q.trim() } : {}) };
    api.GET('/employees', { params: { query } }).then(({ data, error, response }) => {
      if (data && typeof data !== 'string') {
        setEmployees(data.items);
        setTotal(data.total);
      } else {
        setProblem(asProblem(error, response.status));
      }
    });
  }, [q]);

  useEffect(() => {
    if (user) load();
  }, [user, load]);

  if (!user) {
    return (
      <p>
        Per gestire i dipendenti occorre <Link to="/accesso">accedere</Link>.
      </p>
    );
  }

  async function check(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setFile(chosen);
    setPreview(undefined);
    setResult(undefined);
    setProblem(undefined);
    if (!chosen) return;
    setBusy(true);
    const { report, problem } = await sendImport(chosen, true);
    setBusy(false);
    setPreview(report);
    setProblem(problem);
  }

  async function confirm() {
    if (!file) return;
    setBusy(true);
    const { report, problem } = await sendImport(file, false);
    setBusy(false);
    setResult(report);
    setProblem(problem);
    setPreview(undefined);
    load();
  }

  return (
    <>
      <h1 className="mb-4">Dipendenti</h1>
      <section aria-labelledby="importa" className="mb-5">
        <h2 id="importa" className="h4">
          Importa da foglio di calcolo (CSV)
        </h2>
        <p>
          Colonne: codice_fiscale, nome, cognome, area, profilo; facoltative email, ruoli_sicurezza, classe_rischio,
          data_assunzione (gg/mm/aaaa), attivo. Vanno bene i file salvati da Excel (separati da punto e virgola).
          Prima dell'importazione il file viene controllato e le righe errate sono elencate.
        </p>
        <div className="mb-3">
          <label htmlFor="file-csv" className="form-label d-block">
            File CSV dei dipendenti
          </label>
          <input id="file-csv" type="file" accept=".csv,text/csv" onChange={check} disabled={busy} />
        </div>
        {busy && <p role="status">Controllo in corso…</p>}
        {problem && (
          <Alert color="danger" role="alert">
            {problem.detail}
            {problem.errors && problem.errors.length > 0 && (
              <ul className="mb-0">
                {problem.errors.map((e) => (
                  <li key={`${e.pointer}`}>
                    {e.pointer?.replace('#/rows/', 'riga ').replace('/', ', campo ')}: {e.detail}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        {preview && (
          <div aria-live="polite">
            <p>
              {rows(preview.rows)} {preview.rows === 1 ? 'valida' : 'valide'}: {preview.created} da aggiungere,{' '}
              {preview.updated} da aggiornare.
              {preview.errors.length > 0 && ` Errori da correggere prima di importare: ${preview.errors.length}.`}
            </p>
            {preview.errors.length > 0 && (
              <Table responsive size="sm">
                <caption>Righe da correggere</caption>
                <thead>
                  <tr>
                    <th scope="col">Riga</th>
                    <th scope="col">Campo</th>
                    <th scope="col">Problema</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e) => (
                    <tr key={`${e.line}-${e.field}`}>
                      <td>{e.line}</td>
                      <td>{e.field}</td>
                      <td>{e.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
            <Button color="primary" onClick={confirm} disabled={busy || preview.errors.length > 0 || preview.rows === 0}>
              Importa {rows(preview.rows)}
            </Button>
          </div>
        )}
        {result && (
          <Alert color="success">
            Importazione completata: {result.created} nuovi, {result.updated} aggiornati.
          </Alert>
        )}
      </section>
      <section aria-labelledby="elenco">
        <h2 id="elenco" className="h4">
          Elenco
        </h2>
        <Input id="cerca-dipendenti" type="search" label="Cerca per nome o codice fiscale" value={q} onChange={(e) => setQ(e.target.value)} />
        <p>
          {total === 1 ? '1 dipendente' : `${total} dipendenti`} ·{' '}
          <a
            href="/api/v1/employees"
            onClick={(event) => {
              event.preventDefault();
              download('/employees', 'text/csv', 'dipendenti.csv');
            }}
          >
            Scarica in CSV
          </a>
        </p>
        <Table responsive striped>
          <caption className="visually-hidden">Dipendenti</caption>
          <thead>
            <tr>
              <th scope="col">Cognome e nome</th>
              <th scope="col">Codice fiscale</th>
              <th scope="col">Area</th>
              <th scope="col">Profilo</th>
              <th scope="col">Attivo</th>
            </tr>
          </thead>
          <tbody>
            {employees.map((e) => (
              <tr key={e.id}>
                <th scope="row">
                  {e.family_name} {e.given_name}
                </th>
                <td>{e.tax_code}</td>
                <td>{e.office_area}</td>
                <td>{e.job_profile}</td>
                <td>{e.active ? 'Sì' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </section>
    </>
  );
}

function rows(n: number): string {
  return n === 1 ? '1 riga' : `${n} righe`;
}
