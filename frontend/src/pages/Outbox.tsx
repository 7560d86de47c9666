import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Table } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { paths } from '../api/schema';
import { useAuth } from '../auth';
import { when } from '../download';

type Message = paths['/outbox']['get']['responses'][200]['content']['application/json']['items'][number];
type Delivery = Message['delivery'] | 'all';

/** The e-mail outbox: what went out, what waits (no SMTP, or retrying) and why. */
export function Outbox() {
  const { user } = useAuth();
  const [delivery, setDelivery] = useState<Delivery>('all');
  const [messages, setMessages] = useState<Message[]>([]);
  const [total, setTotal] = useState(0);
  const [problem, setProblem] = useState<Problem>();

  const load = useCallback(() => {
    const query = { limit: 200, ...(delivery === 'all' ? {} : { delivery }) };
    api.GET('/outbox', { params: { query } }).then(({ data, error, response }) => {
      if (data) {
        setMessages(data.items);
        setTotal(data.total);
      } else setProblem(asProblem(error, response.status));
    });
  }, [delivery]);

  useEffect(() => {
    if (user) load();
  }, [user, load]);

  if (!user) {
    return (
      <p>
        Occorre <Link to="/accesso">accedere</Link>.
      </p>
    );
  }
  return (
    <>
      <h1 className="mb-4">Posta in uscita</h1>
      <p>
        Ogni messaggio passa di qui. Se il server di posta non è configurato (CABINA_SMTP_URL) i messaggi restano in
        attesa e si possono leggere qui.
      </p>
      {problem && <Alert color="danger">{problem.detail}</Alert>}
      <div className="select-wrapper mb-3" style={{ maxWidth: '20rem' }}>
        <label htmlFor="filtro-posta">Mostra</label>
        <select id="filtro-posta" value={delivery} onChange={(e) => setDelivery(e.target.value as Delivery)}>
          <option value="all">Tutti i messaggi</option>
          <option value="pending">In attesa di invio</option>
          <option value="sent">Inviati</option>
        </select>
      </div>
      <p>{total === 1 ? '1 messaggio' : `${total} messaggi`}</p>
      <Table responsive size="sm">
        <caption className="visually-hidden">Messaggi</caption>
        <thead>
          <tr>
            <th scope="col">Creato</th>
            <th scope="col">Destinatario</th>
            <th scope="col">Oggetto</th>
            <th scope="col">Stato</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id}>
              <td>{when(m.created_at)}</td>
              <td>{m.recipient}</td>
              <td>
                <details>
                  <summary>{m.subject}</summary>
                  <pre className="small mb-0" style={{ whiteSpace: 'pre-wrap' }}>
                    {m.body}
                  </pre>
                </details>
              </td>
              <td>
                {m.delivery === 'sent' ? (
                  <Badge color="success">Inviato {when(m.sent_at)}</Badge>
                ) : (
                  <Badge color="warning">In attesa</Badge>
                )}
                {m.last_error && <div className="small text-danger">Tentativi: {m.attempts}. {m.last_error}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
