import { useState, type ChangeEvent } from 'react';
import { Alert, Button, Input } from 'design-react-kit';
import { uploadCsv, usePagedList, type ImportReportOf } from '../api/collections';
import type { Problem } from '../api/client';
import { useAuth } from '../auth';
import { DataTable, PagedTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { SignInPrompt } from '../components/Page';
import { download } from '../download';
import { count } from '../format';

type ImportReport = ImportReportOf<'/employee-imports'>;

/** Sends the chosen CSV to the import endpoint, as a dry run or for real. */
const sendImport = (file: File, dryRun: boolean) => uploadCsv('/employee-imports', { query: { dry_run: dryRun } }, file);

export function Employees() {
  const { user } = useAuth();
  const [q, setQ] = useState('');
  const employees = usePagedList('/employees', q.trim() ? { q: q.trim() } : {}, { enabled: !!user });
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<ImportReport>();
  const [result, setResult] = useState<ImportReport>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  if (!user) return <SignInPrompt purpose="Per gestire i dipendenti" />;

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
    employees.reload();
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
        <ErrorAlert problem={problem} />
        {preview && (
          <div aria-live="polite">
            <p>
              {rows(preview.rows)} {preview.rows === 1 ? 'valida' : 'valide'}: {preview.created} da aggiungere,{' '}
              {preview.updated} da aggiornare.
              {preview.errors.length > 0 && ` Errori da correggere prima di importare: ${preview.errors.length}.`}
            </p>
            {preview.mapped_job_titles.length > 0 && (
              <>
                <p className="mb-1">Profili scritti a modo vostro, letti così (controllate prima di importare):</p>
                <ul>
                  {preview.mapped_job_titles.map((m) => (
                    <li key={m.title}>
                      «{m.title}» → {m.job_profile_label}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {preview.errors.length > 0 && (
              <DataTable
                caption="Righe da correggere"
                size="sm"
                items={preview.errors}
                rowKey={(e) => `${e.line}-${e.field}`}
                columns={[
                  { header: 'Riga', cell: (e) => e.line },
                  { header: 'Campo', cell: (e) => e.field },
                  { header: 'Problema', cell: (e) => e.detail },
                ]}
              />
            )}
            <Button color="primary" onClick={confirm} disabled={busy || preview.errors.length > 0 || preview.rows === 0}>
              Importa {rows(preview.rows)}
            </Button>
          </div>
        )}
        {result && (
          <Alert color="success">
            Importazione completata: {count(result.created, 'nuovo', 'nuovi')}, {count(result.updated, 'aggiornato', 'aggiornati')}.
          </Alert>
        )}
      </section>
      <section aria-labelledby="elenco">
        <h2 id="elenco" className="h4 mb-4">
          Elenco
        </h2>
        <Input id="cerca-dipendenti" type="search" label="Cerca per nome o codice fiscale" value={q} onChange={(e) => setQ(e.target.value)} />
        <p>
          <a
            href="/api/v1/employees"
            onClick={(event) => {
              event.preventDefault();
              download('/employees', 'text/csv', 'dipendenti.csv');
            }}
          >
            Scarica l'elenco completo in CSV
          </a>
        </p>
        <PagedTable
          list={employees}
          count={(n) => count(n, 'dipendente', 'dipendenti')}
          caption="Dipendenti"
          captionHidden
          striped
          rowKey={(e) => e.id}
          empty={q.trim() ? 'Nessun dipendente corrisponde alla ricerca.' : 'Nessun dipendente registrato: importare il foglio di calcolo.'}
          columns={[
            { header: 'Cognome e nome', rowHeader: true, cell: (e) => `${e.family_name} ${e.given_name}` },
            { header: 'Codice fiscale', cell: (e) => e.tax_code },
            { header: 'Area', cell: (e) => e.office_area },
            { header: 'Profilo', cell: (e) => e.job_profile },
            { header: 'Attivo', cell: (e) => (e.active ? 'Sì' : 'No') },
          ]}
        />
      </section>
    </>
  );
}

function rows(n: number): string {
  return n === 1 ? '1 riga' : `${n} righe`;
}
