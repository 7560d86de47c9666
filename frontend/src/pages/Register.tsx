import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Table } from 'design-react-kit';
import { api, asProblem, storedToken, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { download, when } from '../download';

type Register = components['schemas']['AttendanceRegister'];
type ImportReport = components['schemas']['AttendanceImportReport'];

interface Row {
  present: boolean;
  hours: string;
}

async function sendReport(session: number, file: File, dryRun: boolean) {
  const response = await fetch(`/api/v1/sessions/${session}/attendance-imports?dry_run=${dryRun}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${storedToken() ?? ''}` },
    body: file,
  });
  const body = await response.json();
  return response.ok ? { report: body as ImportReport } : { problem: asProblem(body, response.status) };
}

/** The register of one session: presence and hours by hand, or from a webinar report. */
export function RegisterPage() {
  const { id } = useParams();
  const sessionId = Number(id);
  const [register, setRegister] = useState<Register>();
  const [rows, setRows] = useState<Record<number, Row>>({});
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState<string>();
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<ImportReport>();

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/sessions/{id}/attendance', { params: { path: { id: sessionId } } });
    if (data && typeof data !== 'string') {
      setRegister(data);
      setRows(
        Object.fromEntries(
          data.entries.map((e) => [e.enrolment_id, { present: e.present ?? false, hours: String(e.hours ?? data.session.hours) }]),
        ),
      );
    } else setProblem(asProblem(error, response.status));
  }, [sessionId]);

  useEffect(() => {
    load();
  }, [load]);

  async function save() {
    if (!register) return;
    const records = register.entries.map((e) => {
      const row = rows[e.enrolment_id];
      return { enrolment_id: e.enrolment_id, present: row.present, hours: row.present ? Number(row.hours.replace(',', '.')) : 0 };
    });
    const { data, error, response } = await api.PUT('/sessions/{id}/attendance', {
      params: { path: { id: sessionId } },
      body: { records },
    });
    if (data) {
      setProblem(undefined);
      setSaved('Registro salvato.');
      await load();
    } else setProblem(asProblem(error, response.status));
  }

  async function check(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setFile(chosen);
    setPreview(undefined);
    if (!chosen) return;
    const { report, problem } = await sendReport(sessionId, chosen, true);
    setPreview(report);
    setProblem(problem);
  }

  async function importReport() {
    if (!file) return;
    const { problem } = await sendReport(sessionId, file, false);
    setProblem(problem);
    if (!problem) {
      setSaved('Presenze importate dal report.');
      setPreview(undefined);
      await load();
    }
  }

  if (!register) return problem ? <Alert color="danger">{problem.detail}</Alert> : <p role="status">Caricamento…</p>;
  return (
    <>
      <nav aria-label="Percorso" className="breadcrumb-container">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link to={`/edizioni/${register.edition_id}`}>Edizione</Link>
            <span className="separator">/</span>
          </li>
          <li className="breadcrumb-item active" aria-current="page">
            Registro
          </li>
        </ol>
      </nav>
      <h1>Registro della sessione del {when(register.session.starts_at)}</h1>
      <p>
        Durata: {register.session.hours.toLocaleString('it-IT')} ore ·{' '}
        <Button
          color="primary"
          outline
          size="sm"
          onClick={() => download(`/sessions/${sessionId}/attendance`, 'application/pdf', 'foglio-firme.pdf')}
        >
          Scarica il foglio firme (PDF)
        </Button>
      </p>
      {saved && (
        <Alert color="success" role="status">
          {saved}
        </Alert>
      )}
      {problem && (
        <Alert color="danger">
          {problem.detail}
          {problem.errors && (
            <ul className="mb-0">
              {problem.errors.map((e) => (
                <li key={`${e.pointer}`}>{e.detail}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <Table responsive size="sm">
        <caption>Presenti e ore frequentate</caption>
        <thead>
          <tr>
            <th scope="col">Persona</th>
            <th scope="col">Presente</th>
            <th scope="col">Ore</th>
          </tr>
        </thead>
        <tbody>
          {register.entries.map((e) => {
            const row = rows[e.enrolment_id];
            return (
              <tr key={e.enrolment_id}>
                <th scope="row">{e.employee_name}</th>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Presente: ${e.employee_name}`}
                    checked={row?.present ?? false}
                    onChange={(ev) => setRows({ ...rows, [e.enrolment_id]: { ...row, present: ev.target.checked } })}
                  />
                </td>
                <td>
                  <input
                    className="form-control form-control-sm"
                    style={{ maxWidth: '6rem' }}
                    inputMode="decimal"
                    aria-label={`Ore: ${e.employee_name}`}
                    value={row?.hours ?? ''}
                    disabled={!row?.present}
                    onChange={(ev) => setRows({ ...rows, [e.enrolment_id]: { ...row, hours: ev.target.value } })}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <Button color="primary" onClick={save} className="mb-5">
        Salva il registro
      </Button>
      <section aria-labelledby="report">
        <h2 id="report" className="h4">
          Importa il report del webinar
        </h2>
        <p>Il file CSV esportato da Zoom, Teams, GoToWebinar o Webex: si abbinano gli indirizzi e-mail degli iscritti.</p>
        <label htmlFor="file-report" className="form-label d-block">
          Report delle presenze (CSV)
        </label>
        <input id="file-report" type="file" accept=".csv,text/csv" onChange={check} />
        {preview && (
          <div aria-live="polite" className="mt-3">
            <p>
              Presenti trovati: {preview.present.length}. Righe non abbinate (ospiti, docenti): {preview.skipped.length}.
            </p>
            <Button color="primary" onClick={importReport} disabled={preview.present.length === 0}>
              Registra {preview.present.length} presenze
            </Button>
          </div>
        )}
      </section>
    </>
  );
}
