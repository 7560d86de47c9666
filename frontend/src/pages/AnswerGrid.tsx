import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Table } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { when } from '../download';
import { ANSWER_STATUS } from './ResponseTracking';

type Campaign = components['schemas']['CampaignResponse'];
type Need = components['schemas']['NeedResponse'];
type Answer = components['schemas']['ComuneAnswer'];
type Area = components['schemas']['OfficeAreaResponse'];
type Theme = components['schemas']['ThemeResponse'];
type Priority = Need['priority'];
type Employee = components['schemas']['EmployeeResponse'];

const PRIORITIES: Record<Priority, string> = { alta: 'Alta', media: 'Media', bassa: 'Bassa' };
const MODALITIES: Record<Need['preferred_modality'], string> = {
  blended: 'Nessuna preferenza',
  in_person: 'In presenza',
  live_webinar: 'Webinar in diretta',
  async_webinar: 'Corso online asincrono',
};

const cellKey = (theme: string, area: string) => `${theme}|${area}`;

/**
 * A referente's answer: a grid of office areas × themes where each cell is how many
 * people need the theme. One save writes every changed cell; then the answer is sent.
 */
export function AnswerGrid({ campaign }: { campaign: Campaign }) {
  const { user } = useAuth();
  const [areas, setAreas] = useState<Area[]>([]);
  const [themes, setThemes] = useState<Theme[]>([]);
  const [needs, setNeeds] = useState<Need[]>([]);
  const [answer, setAnswer] = useState<Answer>();
  const [cells, setCells] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const [lines, answers] = await Promise.all([
      api.GET('/needs', { params: { query: { campaign_id: campaign.id } } }),
      api.GET('/campaigns/{id}/responses', { params: { path: { id: campaign.id } } }),
    ]);
    if (lines.data && typeof lines.data !== 'string') {
      setNeeds(lines.data.items);
      setCells(Object.fromEntries(lines.data.items.map((n) => [cellKey(n.theme_code, n.office_area), String(n.headcount)])));
    }
    setAnswer(answers.data?.items[0]);
  }, [campaign.id]);

  useEffect(() => {
    api.GET('/office-areas').then(({ data }) => data && setAreas(data.items));
    api.GET('/themes').then(({ data }) => data && setThemes(data.items));
    load();
  }, [load]);

  const offered = useMemo(
    () => campaign.themes.map((code) => themes.find((t) => t.code === code) ?? { code, name: code }),
    [campaign.themes, themes],
  );
  const existing = useMemo(() => new Map(needs.map((n) => [cellKey(n.theme_code, n.office_area), n])), [needs]);
  const editable = campaign.status === 'open' && answer?.status !== 'submitted';
  const changes = Object.entries(cells).filter(([key, value]) => {
    const people = Number(value) || 0;
    return people !== (existing.get(key)?.headcount ?? 0);
  });

  async function save() {
    setBusy(true);
    const failures: string[] = [];
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
        failures.push(`${label}: ${p.errors?.[0]?.detail ?? p.detail}`);
      }
    }
    setProblems(failures);
    setSaved(failures.length === 0 ? 'Modifiche salvate.' : undefined);
    setBusy(false);
    await load();
  }

  async function updateLine(line: Need, patch: { priority?: Priority; preferred_modality?: Need['preferred_modality'] }) {
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

  const status = answer ? ANSWER_STATUS[answer.status] : undefined;
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
      {saved && (
        <Alert color="success" role="status">
          {saved}
        </Alert>
      )}
      {problem && <Alert color="danger">{problem.detail}</Alert>}
      {problems.length > 0 && (
        <Alert color="danger">
          Alcune celle non sono state salvate:
          <ul className="mb-0">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
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
                      className="form-control form-control-sm"
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
      {editable && (
        <div className="d-flex flex-wrap gap-2 mb-4">
          <Button color="primary" onClick={save} disabled={busy || changes.length === 0}>
            Salva {changes.length > 0 ? `${changes.length} modifiche` : 'le modifiche'}
          </Button>
          <Button color="success" onClick={() => submit(false)} disabled={busy || changes.length > 0 || needs.length === 0}>
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
          <Table responsive size="sm">
            <caption className="visually-hidden">Righe di fabbisogno con priorità e modalità</caption>
            <thead>
              <tr>
                <th scope="col">Tema</th>
                <th scope="col">Ufficio</th>
                <th scope="col" className="numeric">
                  Persone
                </th>
                <th scope="col">Priorità</th>
                <th scope="col">Modalità preferita</th>
                <th scope="col">Dipendenti (facoltativo)</th>
              </tr>
            </thead>
            <tbody>
              {needs.map((n) => {
                const theme = offered.find((t) => t.code === n.theme_code)?.name ?? n.theme_code;
                const area = areas.find((a) => a.code === n.office_area)?.name ?? n.office_area;
                return (
                  <tr key={n.id}>
                    <th scope="row">{theme}</th>
                    <td>{area}</td>
                    <td className="numeric">{n.headcount}</td>
                    <td>
                      <select
                        className="form-select form-select-sm"
                        aria-label={`Priorità: ${theme}, ${area}`}
                        value={n.priority}
                        disabled={!editable}
                        onChange={(e) => updateLine(n, { priority: e.target.value as Priority })}
                      >
                        {Object.entries(PRIORITIES).map(([value, label]) => (
                          <option key={value} value={value}>
                            {label}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <select
                        className="form-select form-select-sm"
                        aria-label={`Modalità: ${theme}, ${area}`}
                        value={n.preferred_modality}
                        disabled={!editable}
                        onChange={(e) => updateLine(n, { preferred_modality: e.target.value as Need['preferred_modality'] })}
                      >
                        {Object.entries(MODALITIES).map(([value, label]) => (
                          <option key={value} value={value}>
                            {label}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <NamedEmployees need={n} label={`${theme}, ${area}`} editable={editable} onSaved={load} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
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
    const { data } = await api.GET('/employees', { params: { query: { office_area: need.office_area, limit: 200 } } });
    if (data && typeof data !== 'string') setStaff(data.items);
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
        {need.employee_ids.length} nominati<span className="visually-hidden">: {label}</span>
      </summary>
      {problem && <p className="text-danger small">{problem.errors?.[0]?.detail ?? problem.detail}</p>}
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
