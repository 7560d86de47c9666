import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { useParams } from 'react-router-dom';
import { Button } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import { uploadCsv, type ImportReportOf } from '../api/collections';
import type { components } from '../api/schema';
import { DataTable } from '../components/DataTable';
import { ErrorAlert, Outcome } from '../components/ErrorAlert';
import { Breadcrumbs } from '../components/Page';
import { download } from '../download';
import { when } from '../format';

type Register = components['schemas']['AttendanceRegister'];
type ImportReport = ImportReportOf<'/sessions/{id}/attendance-imports'>;

interface Row {
  present: boolean;
  hours: string;
}

const sendReport = (session: number, file: File, dryRun: boolean) =>
  uploadCsv('/sessions/{id}/attendance-imports', { path: { id: session }, query: { dry_run: dryRun } }, file);

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

  if (!register) return problem ? <ErrorAlert problem={problem} /> : <p role="status">Caricamento…</p>;
  return (
    <>
      <Breadcrumbs parent={{ to: `/edizioni/${register.edition_id}`, label: 'Edizione' }} current="Registro" />
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
      <Outcome done={saved} problem={problem} />
      <DataTable
        caption="Presenti e ore frequentate"
        size="sm"
        items={register.entries}
        rowKey={(e) => e.enrolment_id}
        empty="Nessun iscritto confermato."
        columns={[
          { header: 'Persona', rowHeader: true, cell: (e) => e.employee_name },
          {
            header: 'Presente',
            cell: (e) => (
              <input
                type="checkbox"
                aria-label={`Presente: ${e.employee_name}`}
                checked={rows[e.enrolment_id]?.present ?? false}
                onChange={(ev) => setRows({ ...rows, [e.enrolment_id]: { ...rows[e.enrolment_id], present: ev.target.checked } })}
              />
            ),
          },
          {
            header: 'Ore',
            cell: (e) => (
              <input
                className="form-control form-control-sm"
                style={{ maxWidth: '6rem' }}
                inputMode="decimal"
                aria-label={`Ore: ${e.employee_name}`}
                value={rows[e.enrolment_id]?.hours ?? ''}
                disabled={!rows[e.enrolment_id]?.present}
                onChange={(ev) => setRows({ ...rows, [e.enrolment_id]: { ...rows[e.enrolment_id], hours: ev.target.value } })}
              />
            ),
          },
        ]}
      />
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
