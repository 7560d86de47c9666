import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Table } from 'design-react-kit';
import { api, asProblem, type FieldError, type Problem } from '../api/client';
import { fetchAll, type ItemOf } from '../api/collections';
import { useReference } from '../api/reference';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { ErrorAlert, Outcome } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { when } from '../format';
import { PREFERRED_MODALITY, PRIORITY, RESPONSE_STATUS, optionsOf, type Modality, type Priority } from '../labels';

type Campaign = components['schemas']['CampaignResponse'];
type Need = components['schemas']['NeedResponse'];
type Answer = components['schemas']['ComuneAnswer'];
type Employee = ItemOf<'/employees'>;

const PRIORITIES = optionsOf(PRIORITY);
// "No preference" first, as the default of a new line.
const MODALITIES = optionsOf(PREFERRED_MODALITY, ['blended', 'in_person', 'live_webinar', 'async_webinar']);

const cellKey = (theme: string, area: string) => `${theme}|${area}`;

/** A cell a person may leave: empty, or a whole number of people from 0 to 10,000. */
const validCell = (value: string) => value.trim() === '' || (/^\d+$/.test(value.trim()) && Number(value) <= 10000);

/**
 * A referente's answer: a grid of office areas × themes where each cell is how many
 * people need the theme. One save writes every changed cell; then the answer is sent.
 */
export function AnswerGrid({ campaign }: { campaign: Campaign }) {
  const { user } = useAuth();
  const { items: areas } = useReference('officeAreas');
  const { items: themes } = useReference('themes');
  const [needs, setNeeds] = useState<Need[]>([]);
  const [answer, setAnswer] = useState<Answer>();
  const [cells, setCells] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);

  /** Reads the answer again; `keep` holds what the person typed in cells not saved. */
  const load = useCallback(async (keep: Record<string, string> = {}) => {
    const [lines, answers] = await Promise.all([
      api.GET('/needs', { params: { query: { campaign_id: campaign.id } } }),
      api.GET('/campaigns/{id}/responses', { params: { path: { id: campaign.id } } }),
    ]);
    if (lines.data && typeof lines.data !== 'string') {
      setNeeds(lines.data.items);
      setCells({
        ...Object.fromEntries(lines.data.items.map((n) => [cellKey(n.theme_code, n.office_area), String(n.headcount)])),
        ...keep,
      });
    }
    setAnswer(answers.data?.items[0]);
  }, [campaign.id]);

  useEffect(() => {
    load();
  }, [load]);

  const offered = useMemo(
    () => campaign.themes.map((code) => themes.find((t) => t.code === code) ?? { code, name: code }),
    [campaign.themes, themes],
  );
  const existing = useMemo(() => new Map(needs.map((n) => [cellKey(n.theme_code, n.office_area), n])), [needs]);
  const editable = campaign.status === 'open' && answer?.status !== 'submitted';
  const invalid = Object.entries(cells).filter(([, value]) => !validCell(value));
  const changes = Object.entries(cells).filter(([key, value]) => {
    const people = Number(value) || 0;
    return validCell(value) && people !== (existing.get(key)?.headcount ?? 0);
  });

  async function save() {
    setBusy(true);
    const failures: FieldError[] = [];
    const unsaved: Record<string, string> = {};
    for (const [key, value] of changes) {
      const [theme, area] = key.split('|');
      const people = Number(value) || 0;
      const line = existing.get(key);
      const label = `${offered.find((t) => t.code === theme)?.name}, ${areas.find((a) => a.code === area)?.name}`;
      let result: { error?: unknown; response: Response };
      if (line && people === 0) {
        result = await api.DELETE('/needs/{id}', { params: { path: { id: line.id } } });
      } else if (line) {
        result = await api.PATCH('/needs/{id}', {
          params: { path: { id: line.id }, header: {} },
          body: { headcount: people },
          headers: { 'Content-Type': 'application/merge-patch+json' },
        });
      } else {
        result = await api.POST('/needs', {
          body: { campaign_id: campaign.id, theme_code: theme, office_area: area, headcount: people },
        });
      }
      if (!result.response.ok) {
        const p = asProblem(result.error, result.response.status);
        failures.push({ detail: `${label}: ${p.errors?.[0]?.detail ?? p.detail}` });
        unsaved[key] = value;
      }
    }
    // Each cell is its own request: the cells that failed, listed together.
    setProblem(
      failures.length === 0
        ? undefined
        : { type: 'about:blank', title: 'Celle non salvate', status: 422, detail: 'Alcune celle non sono state salvate:', errors: failures },
    );
    setSaved(failures.length === 0 ? 'Modifiche salvate.' : undefined);
    setBusy(false);
    await load(unsaved);
  }

  async function updateLine(line: Need, patch: { priority?: Priority; preferred_modality?: Modality }) {
    const { error, response } = await api.PATCH('/needs/{id}', {
      params: { path: { id: line.id }, header: {} },
      body: patch,
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (!response.ok) setProblem(asProblem(error, response.status));
    await load();
  }

  async function submit(noNeeds: boolean) {
    if (!user?.comune_istat_code) return;
    const { error, response } = await api.PUT('/campaigns/{id}/responses/{istat_code}', {
      params: { path: { id: campaign.id, istat_code: user.comune_istat_code } },
      body: { status: 'submitted', no_needs: noNeeds },
    });
    await load();
    if (response.ok) {
      setProblem(undefined);
      setSaved(noNeeds ? 'Dichiarazione inviata: nessun fabbisogno quest’anno.' : 'Risposta inviata alla Provincia. Grazie!');
    } else setProblem(asProblem(error, response.status));
  }

  const status = answer ? RESPONSE_STATUS[answer.status] : undefined;
  const totalPeople = needs.reduce((sum, n) => sum + n.headcount, 0);
  return (
    <section aria-labelledby="risposta">
      <h2 id="risposta" className="h3">
        La risposta del {answer?.comune_name ? `Comune di ${answer.comune_name}` : 'Comune'}
      </h2>
      {status && (
        <p>
          <Badge color={status.color}>{status.label}</Badge>
          {answer?.submitted_at && ` il ${when(answer.submitted_at)}`}
          {answer?.no_needs && ' · nessun fabbisogno dichiarato'}
        </p>
      )}
      {campaign.status !== 'open' && <Alert color="info">La rilevazione non è aperta: la risposta non si può modificare.</Alert>}
      {campaign.status === 'open' && answer?.status === 'submitted' && (
        <Alert color="info">Risposta inviata. Per modificarla chiedere alla Provincia di riaprirla.</Alert>
      )}
      <Outcome done={saved} problem={problem} />
      <p>
        Per ogni ufficio, indicare quante persone hanno bisogno di ciascun tema. Le celle vuote non contano.
      </p>
      <Table responsive bordered size="sm" className="answer-grid">
        <caption>Persone da formare per ufficio e tema</caption>
        <thead>
          <tr>
            <th scope="col">Ufficio</th>
            {offered.map((t) => (
              <th scope="col" key={t.code}>
                {t.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {areas.map((area) => (
            <tr key={area.code}>
              <th scope="row">{area.name}</th>
              {offered.map((t) => {
                const key = cellKey(t.code, area.code);
                return (
                  <td key={key}>
                    <input
                      type="number"
                      min={0}
                      max={10000}
                      inputMode="numeric"
                      className={`form-control form-control-sm${validCell(cells[key] ?? '') ? '' : ' is-invalid'}`}
                      aria-invalid={validCell(cells[key] ?? '') ? undefined : true}
                      aria-describedby={validCell(cells[key] ?? '') ? undefined : 'celle-da-correggere'}
                      aria-label={`${area.name}, ${t.name}: persone`}
                      value={cells[key] ?? ''}
                      disabled={!editable || busy}
                      onChange={(e) => setCells({ ...cells, [key]: e.target.value })}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </Table>
      {invalid.length > 0 && (
        <p id="celle-da-correggere" className="text-danger fw-semibold" role="status">
          {invalid.length === 1 ? '1 cella da correggere' : `${invalid.length} celle da correggere`}: scrivere un numero intero di
          persone da 0 a 10.000 (o lasciare vuoto). Le celle sono segnate in rosso.
        </p>
      )}
      {editable && (
        <div className="d-flex flex-wrap gap-2 mb-4">
          <Button color="primary" onClick={save} disabled={busy || changes.length === 0 || invalid.length > 0}>
            Salva {changes.length === 1 ? '1 modifica' : changes.length > 1 ? `${changes.length} modifiche` : 'le modifiche'}
          </Button>
          <Button color="success" onClick={() => submit(false)} disabled={busy || changes.length > 0 || invalid.length > 0 || needs.length === 0}>
            Invia la risposta alla Provincia
          </Button>
          <Button color="secondary" outline onClick={() => submit(true)} disabled={busy || needs.length > 0}>
            Quest’anno non abbiamo fabbisogni
          </Button>
        </div>
      )}
      {needs.length > 0 && (
        <>
          <h3 className="h5">
            Dettaglio delle righe ({totalPeople} persone)
          </h3>
          <DataTable
            caption="Righe di fabbisogno con priorità e modalità"
            captionHidden
            size="sm"
            items={needs.map((n) => ({
              need: n,
              theme: offered.find((t) => t.code === n.theme_code)?.name ?? n.theme_code,
              area: areas.find((a) => a.code === n.office_area)?.name ?? n.office_area,
            }))}
            rowKey={({ need }) => need.id}
            columns={[
              { header: 'Tema', rowHeader: true, cell: ({ theme }) => theme },
              { header: 'Ufficio', cell: ({ area }) => area },
              { header: 'Persone', numeric: true, cell: ({ need }) => need.headcount },
              {
                header: 'Priorità',
                cell: ({ need, theme, area }) => (
                  <SelectField
                    compact
                    id={`priorita-${need.id}`}
                    label={`Priorità: ${theme}, ${area}`}
                    value={need.priority}
                    disabled={!editable}
                    onChange={(v) => updateLine(need, { priority: v as Priority })}
                    options={PRIORITIES}
                  />
                ),
              },
              {
                header: 'Modalità preferita',
                cell: ({ need, theme, area }) => (
                  <SelectField
                    compact
                    id={`modalita-${need.id}`}
                    label={`Modalità: ${theme}, ${area}`}
                    value={need.preferred_modality}
                    disabled={!editable}
                    onChange={(v) => updateLine(need, { preferred_modality: v as Modality })}
                    options={MODALITIES}
                  />
                ),
              },
              {
                header: 'Dipendenti (facoltativo)',
                cell: ({ need, theme, area }) => (
                  <NamedEmployees need={need} label={`${theme}, ${area}`} editable={editable} onSaved={load} />
                ),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}

/** Optionally, who exactly needs the training: the employees of the line's office. */
function NamedEmployees({ need, label, editable, onSaved }: { need: Need; label: string; editable: boolean; onSaved: () => void }) {
  const [staff, setStaff] = useState<Employee[]>();
  const [problem, setProblem] = useState<Problem>();

  async function open() {
    if (staff) return;
    // Every employee of the office, however many: each may be the one to name.
    try {
      setStaff(await fetchAll('/employees', { office_area: need.office_area }));
    } catch (p) {
      setProblem(p as Problem);
    }
  }

  async function toggle(id: number, on: boolean) {
    const ids = on ? [...need.employee_ids, id] : need.employee_ids.filter((e) => e !== id);
    const { error, response } = await api.PATCH('/needs/{id}', {
      params: { path: { id: need.id }, header: {} },
      body: { employee_ids: ids },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (response.ok) {
      setProblem(undefined);
      onSaved();
    } else setProblem(asProblem(error, response.status));
  }

  return (
    <details onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && open()}>
      <summary>
        {need.employee_ids.length === 1 ? '1 nominato' : `${need.employee_ids.length} nominati`}
        <span className="visually-hidden">: {label}</span>
      </summary>
      <ErrorAlert problem={problem} className="small p-2" />
      {staff?.length === 0 && <p className="small">Nessun dipendente registrato in questo ufficio.</p>}
      <ul className="list-unstyled small mb-0">
        {staff?.map((e) => (
          <li key={e.id}>
            <input
              id={`nominato-${need.id}-${e.id}`}
              type="checkbox"
              className="me-1"
              checked={need.employee_ids.includes(e.id)}
              disabled={!editable}
              onChange={(ev) => toggle(e.id, ev.target.checked)}
            />
            <label htmlFor={`nominato-${need.id}-${e.id}`}>
              {e.family_name} {e.given_name}
            </label>
          </li>
        ))}
      </ul>
    </details>
  );
}
