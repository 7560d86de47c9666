import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Badge, Button } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { day } from '../download';
import { AnswerGrid } from './AnswerGrid';
import { CAMPAIGN_STATUS } from './Campaigns';
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
  const [campaign, setCampaign] = useState<Campaign>();
  const [etag, setEtag] = useState<string>();
  const [problem, setProblem] = useState<Problem>();

  const load = useCallback(() => {
    api.GET('/campaigns/{id}', { params: { path: { id: campaignId } } }).then(({ data, error, response }) => {
      if (data) {
        setCampaign(data);
        setEtag(response.headers.get('ETag') ?? undefined);
      } else setProblem(asProblem(error, response.status));
    });
  }, [campaignId]);

  useEffect(() => {
    if (user && Number.isInteger(campaignId) && campaignId > 0) load();
  }, [user, campaignId, load]);

  if (!user) {
    return (
      <p>
        Per rispondere alla rilevazione occorre <Link to="/accesso">accedere</Link>.
      </p>
    );
  }
  if (problem) return <Alert color="danger">{problem.detail}</Alert>;
  if (!campaign) return <p role="status">Caricamento…</p>;

  async function move(to: Campaign['status']) {
    const { data, error, response } = await api.PATCH('/campaigns/{id}', {
      params: { path: { id: campaignId }, header: etag ? { 'If-Match': etag } : {} },
      body: { status: to },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (data) {
      setCampaign(data);
      setEtag(response.headers.get('ETag') ?? undefined);
    } else setProblem(asProblem(error, response.status));
  }

  const status = CAMPAIGN_STATUS[campaign.status];
  const next = NEXT_STATUS[campaign.status];
  return (
    <>
      <nav aria-label="Percorso" className="breadcrumb-container">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link to="/campagne">Rilevazioni</Link>
            <span className="separator">/</span>
          </li>
          <li className="breadcrumb-item active" aria-current="page">
            {campaign.title}
          </li>
        </ol>
      </nav>
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
