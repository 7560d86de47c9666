import { useState } from 'react';
import { Badge } from 'design-react-kit';
import { usePagedList } from '../api/collections';
import { useAuth } from '../auth';
import { RecordTable } from '../components/DataTable';
import { SignInPrompt } from '../components/Page';
import { SelectField } from '../components/SelectField';
import { when } from '../format';
import { MESSAGE_DELIVERY, optionsOf, type MessageDelivery } from '../labels';

const FILTERS = [
  { value: 'all', label: 'Tutti i messaggi' },
  ...optionsOf(MESSAGE_DELIVERY).map((o) => ({ value: o.value, label: MESSAGE_DELIVERY[o.value].filter })),
];

/** The e-mail outbox: what went out, what waits (no SMTP, or retrying) and why. */
export function Outbox() {
  const { user } = useAuth();
  const [delivery, setDelivery] = useState<MessageDelivery | 'all'>('all');
  const messages = usePagedList('/outbox', delivery === 'all' ? {} : { delivery }, { enabled: !!user });

  if (!user) return <SignInPrompt />;
  return (
    <>
      <h1 className="mb-4">Posta in uscita</h1>
      <p>
        Ogni messaggio passa di qui. Finché il server di posta non è configurato (lo fa chi gestisce il servizio) i
        messaggi restano in attesa e si possono leggere qui.
      </p>
      <div style={{ maxWidth: '20rem' }}>
        <SelectField
          id="filtro-posta"
          label="Mostra"
          className="mb-3"
          value={delivery}
          onChange={(v) => setDelivery(v as MessageDelivery | 'all')}
          options={FILTERS}
        />
      </div>
      <RecordTable
        list={messages}
        noun={['messaggio', 'messaggi']}
        caption="Messaggi"
        empty="Nessun messaggio."
        stacked
        columns={[
          {
            header: 'Oggetto',
            rowHeader: true,
            cell: (m) => (
              <details>
                <summary>{m.subject}</summary>
                <pre className="small mb-0 fw-normal" style={{ whiteSpace: 'pre-wrap' }}>
                  {m.body}
                </pre>
              </details>
            ),
          },
          { header: 'Destinatario', cell: (m) => m.recipient },
          { header: 'Creato', cell: (m) => when(m.created_at) },
          {
            header: 'Stato',
            cell: (m) => (
              <>
                <Badge color={MESSAGE_DELIVERY[m.delivery].color}>
                  {MESSAGE_DELIVERY[m.delivery].label}
                  {m.delivery === 'sent' && ` ${when(m.sent_at)}`}
                </Badge>
                {m.last_error && (
                  <div className="small text-danger">
                    Tentativi: {m.attempts}. {m.last_error}
                  </div>
                )}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
