import { Link } from 'react-router-dom';

export function NotFound() {
  return (
    <>
      <h1>Pagina non trovata</h1>
      <p>
        La pagina richiesta non esiste. <Link to="/">Torna alla home</Link>.
      </p>
    </>
  );
}
