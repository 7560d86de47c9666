/** The pages to offer: the first, the last, and one either side of the current one. */
function pagesAround(page: number, count: number): (number | 'gap')[] {
  const shown = new Set([1, count, page - 1, page, page + 1].filter((p) => p >= 1 && p <= count));
  const sorted = [...shown].sort((a, b) => a - b);
  const out: (number | 'gap')[] = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1] > 1) out.push('gap');
    out.push(p);
  });
  return out;
}

function Chevron({ direction }: { direction: 'left' | 'right' }) {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="currentColor">
      <path d={direction === 'left' ? 'M14.6 17.4 9.2 12l5.4-5.4 1.4 1.4-4 4 4 4z' : 'm9.4 17.4-1.4-1.4 4-4-4-4 1.4-1.4 5.4 5.4z'} />
    </svg>
  );
}

interface PaginationProps {
  page: number;
  pageCount: number;
  onChange: (page: number) => void;
  /** What is paged, for the navigation's name: "Pagine di: Dipendenti". */
  label: string;
}

/**
 * Bootstrap Italia's pagination, with buttons: keyboard usable, the current page marked
 * with aria-current; on a phone only the neighbours of the current page are offered.
 */
export function Pagination({ page, pageCount, onChange, label }: PaginationProps) {
  if (pageCount <= 1) return null;
  const edge = (to: number, text: string, direction: 'left' | 'right', disabled: boolean) => (
    <li className={`page-item${disabled ? ' disabled' : ''}`}>
      <button type="button" className="page-link" disabled={disabled} onClick={() => onChange(to)}>
        <Chevron direction={direction} />
        <span className="visually-hidden">{text}</span>
      </button>
    </li>
  );
  return (
    <nav className="pagination-wrapper" aria-label={`Pagine di: ${label}`}>
      <ul className="pagination">
        {edge(page - 1, 'Pagina precedente', 'left', page <= 1)}
        {pagesAround(page, pageCount).map((p, i) => {
          // The first and last pages, far from the current one, only where there is room.
          const far = p === 'gap' || Math.abs(p - page) > 1;
          const className = `page-item${far ? ' d-none d-sm-block' : ''}`;
          if (p === 'gap') {
            return (
              <li className={className} key={`gap-${i}`} aria-hidden="true">
                <span className="page-link">…</span>
              </li>
            );
          }
          return (
            <li className={className} key={p}>
              <button
                type="button"
                className="page-link"
                aria-current={p === page ? 'page' : undefined}
                onClick={() => onChange(p)}
              >
                <span className="visually-hidden">Pagina </span>
                {p}
              </button>
            </li>
          );
        })}
        {edge(page + 1, 'Pagina successiva', 'right', page >= pageCount)}
      </ul>
    </nav>
  );
}
