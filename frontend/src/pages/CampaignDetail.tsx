import { useParams } from 'react-router-dom';
import { Badge, Button } from 'design-react-kit';
import { api, asProblem } from '../api/client';
import type { components } from '../api/schema';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { Breadcrumbs, SignInPrompt } from '../components/Page';
import { day } from '../format';
import { CAMPAIGN_STATUS } from '../labels';
import { AnswerGrid } from './AnswerGrid';
import { CampaignSummaryView } from './CampaignSummary';
import { ResponseTracking } from './ResponseTracking';

type Campaign = components['schemas']['CampaignResponse'];

const NEXT_STATUS: Record<Campaign['status'], { to: Campaign['status']; label: string } | undefined> = {
  draft: { to: 'open', label: 'Apri la rilevazione ai comuni' },
  open: { to: 'closed', label: 'Chiudi la rilevazione' },
  closed: { to: 'open', label: 'Riapri la rilevazione' },
};

/** One campaign: the admin runs and follows it, a referente answers it. */
export function CampaignDetail() {
  const { id } = useParams();
  const campaignId = Number(id);
  const { user } = useAuth();
  const valid = Number.isInteger(campaignId) && campaignId > 0;
  const loaded = useApi(() => api.GET('/campaigns/{id}', { params: { path: { id: campaignId } } }), [campaignId], !!user && valid);
  const { data: campaign, etag, problem } = loaded;

  if (!user) return <SignInPrompt purpose="Per rispondere alla rilevazione" />;
  if (problem) return <ErrorAlert problem={problem} />;
  if (!campaign) return <p role="status">Caricamento…</p>;

  async function move(to: Campaign['status']) {
    const { data, error, response } = await api.PATCH('/campaigns/{id}', {
      params: { path: { id: campaignId }, header: etag ? { 'If-Match': etag } : {} },
      body: { status: to },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (data) loaded.setData(data, response);
    else loaded.setProblem(asProblem(error, response.status));
  }

  const status = CAMPAIGN_STATUS[campaign.status];
  const next = NEXT_STATUS[campaign.status];
  return (
    <>
      <Breadcrumbs parent={{ to: '/campagne', label: 'Rilevazioni' }} current={campaign.title} />
      <h1>{campaign.title}</h1>
      <p>
        <Badge color={status.color}>{status.label}</Badge> · dal {day(campaign.opens_on)} al {day(campaign.closes_on)}
      </p>
      <p className="lead">{campaign.instructions}</p>
      {user.role === 'admin' && next && (
        <Button color={campaign.status === 'open' ? 'secondary' : 'primary'} className="mb-4" onClick={() => move(next.to)}>
          {next.label}
        </Button>
      )}
      {user.role === 'admin' ? (
        <>
          <ResponseTracking campaign={campaign} />
          <CampaignSummaryView campaign={campaign} />
        </>
      ) : (
        <AnswerGrid campaign={campaign} />
      )}
    </>
  );
}
