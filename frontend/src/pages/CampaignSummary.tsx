import { Button } from 'design-react-kit';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { useApi } from '../api/useApi';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { byDistance, headcountBySubmission } from '../demand';
import { XLSX, download } from '../download';
import { count, number } from '../format';

type Campaign = components['schemas']['CampaignResponse'];
type Slice = components['schemas']['DemandSlice'];

/** The demand added up, with spreadsheet downloads: the input of the annual plan. */
export function CampaignSummaryView({ campaign }: { campaign: Campaign }) {
  const { data, problem } = useApi(() => api.GET('/campaigns/{id}/summary', { params: { path: { id: campaign.id } } }), [campaign.id]);
  const summary = typeof data === 'string' ? undefined : data;
  const responses = useApi(() => api.GET('/campaigns/{id}/responses', { params: { path: { id: campaign.id } } }), [campaign.id]);
  const split = summary && responses.data && headcountBySubmission(summary.by_comune, responses.data.items);

  const needs = `/needs?campaign_id=${campaign.id}`;
  const summaryPath = `/campaigns/${campaign.id}/summary`;
  return (
    <section aria-labelledby="riepilogo">
      <h2 id="riepilogo" className="h3">
        Riepilogo della domanda
      </h2>
      <ErrorAlert problem={problem} />
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
            <strong>{number.format(summary.headcount)}</strong> persone da formare in tutte le righe inserite
            {split && (
              <>
                : {number.format(split.submitted)} nelle risposte inviate da {count(summary.comuni_submitted, 'comune', 'comuni')} su {summary.comuni_total}
                {split.drafts > 0 && `, ${number.format(split.drafts)} nelle risposte ancora in compilazione`}
              </>
            )}
            {' · '}
            {count(summary.comuni_no_needs, 'comune senza fabbisogni', 'comuni senza fabbisogni')}. Le tabelle e i file contano tutte le righe.
          </p>
          <div className="row">
            <div className="col-lg-6">
              <Slices caption="Per tema" slices={summary.by_theme} />
            </div>
            <div className="col-lg-6">
              <Slices caption="Per area degli uffici" slices={summary.by_office_area} />
            </div>
            <div className="col-lg-6">
              <Slices caption="Per distanza dal capoluogo" slices={byDistance(summary.by_distance)} />
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
    <DataTable
      caption={caption}
      size="sm"
      items={slices}
      rowKey={(s) => s.key}
      empty="Nessuna riga."
      columns={[
        { header: 'Voce', rowHeader: true, cell: (s) => s.label || s.key },
        { header: 'Persone', numeric: true, cell: (s) => s.headcount },
        { header: 'Comuni', numeric: true, cell: (s) => s.comuni },
        {
          header: '',
          decorative: true,
          width: '30%',
          cell: (s) => (
            <div className="progress" style={{ height: '0.75rem' }}>
              <div className="progress-bar" style={{ width: `${(s.headcount / max) * 100}%` }} />
            </div>
          ),
        },
      ]}
    />
  );
}
