import { useEffect, useState } from 'react';
import { Alert, Button, Table } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { XLSX, download } from '../download';

type Campaign = components['schemas']['CampaignResponse'];
type Summary = components['schemas']['CampaignSummary'];
type Slice = components['schemas']['DemandSlice'];

/** The demand added up, with spreadsheet downloads: the input of the annual plan. */
export function CampaignSummaryView({ campaign }: { campaign: Campaign }) {
  const [summary, setSummary] = useState<Summary>();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    api.GET('/campaigns/{id}/summary', { params: { path: { id: campaign.id } } }).then(({ data, error, response }) => {
      if (data && typeof data !== 'string') setSummary(data);
      else setProblem(asProblem(error, response.status));
    });
  }, [campaign.id]);

  const needs = `/needs?campaign_id=${campaign.id}`;
  const summaryPath = `/campaigns/${campaign.id}/summary`;
  return (
    <section aria-labelledby="riepilogo">
      <h2 id="riepilogo" className="h3">
        Riepilogo della domanda
      </h2>
      {problem && <Alert color="danger">{problem.detail}</Alert>}
      <div className="d-flex flex-wrap gap-2 mb-4">
        <Button color="primary" outline size="sm" onClick={() => download(summaryPath, XLSX, 'riepilogo.xlsx')}>
          Scarica il riepilogo (Excel)
        </Button>
        <Button color="primary" outline size="sm" onClick={() => download(summaryPath, 'text/csv', 'riepilogo.csv')}>
          Scarica il riepilogo (CSV)
        </Button>
        <Button color="primary" outline size="sm" onClick={() => download(needs, XLSX, 'fabbisogni.xlsx')}>
          Scarica le righe di fabbisogno (Excel)
        </Button>
        <Button color="primary" outline size="sm" onClick={() => download(needs, 'text/csv', 'fabbisogni.csv')}>
          Scarica le righe di fabbisogno (CSV)
        </Button>
      </div>
      {summary && (
        <>
          <p>
            <strong>{summary.headcount}</strong> persone da formare · {summary.comuni_submitted} risposte inviate su{' '}
            {summary.comuni_total} comuni · {summary.comuni_no_needs} senza fabbisogni.
          </p>
          <div className="row">
            <div className="col-lg-6">
              <Slices caption="Per tema" slices={summary.by_theme} />
            </div>
            <div className="col-lg-6">
              <Slices caption="Per area degli uffici" slices={summary.by_office_area} />
            </div>
            <div className="col-lg-6">
              <Slices caption="Per distanza dal capoluogo" slices={summary.by_distance} />
            </div>
            <div className="col-lg-6">
              <Slices caption="Per comune" slices={summary.by_comune} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Slices({ caption, slices }: { caption: string; slices: Slice[] }) {
  const max = Math.max(1, ...slices.map((s) => s.headcount));
  return (
    <Table responsive size="sm">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Voce</th>
          <th scope="col" className="numeric">
            Persone
          </th>
          <th scope="col" className="numeric">
            Comuni
          </th>
          <th scope="col" aria-hidden="true" style={{ width: '30%' }} />
        </tr>
      </thead>
      <tbody>
        {slices.length === 0 && (
          <tr>
            <td colSpan={4}>Nessuna riga.</td>
          </tr>
        )}
        {slices.map((s) => (
          <tr key={s.key}>
            <th scope="row">{s.label || s.key}</th>
            <td className="numeric">{s.headcount}</td>
            <td className="numeric">{s.comuni}</td>
            <td aria-hidden="true">
              <div className="progress" style={{ height: '0.75rem' }}>
                <div className="progress-bar" style={{ width: `${(s.headcount / max) * 100}%` }} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
