import { useEffect, useId, useRef, useState, type Key, type ReactNode } from 'react';
import type { PagedList } from '../api/collections';
import { count as countOf } from '../format';
import { ErrorAlert } from './ErrorAlert';
import { Pagination } from './Pagination';

export interface Column<T> {
  header: ReactNode;
  cell: (item: T) => ReactNode;
  /** The cell that names its row: a `th scope="row"`. */
  rowHeader?: boolean;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** Decoration only (a bar next to a figure): hidden from screen readers. */
  decorative?: boolean;
  width?: string;
  /** The column's name beside each value when the table is stacked on a phone (the header's text by default). */
  label?: string;
}

export interface DataTableProps<T> {
  /** The table's name: its caption, and the name of its scrolling region. */
  caption: string;
  /** The caption for screen readers only, where a heading already names the table. */
  captionHidden?: boolean;
  /** Columns; `false` leaves one out (e.g. for a role that does not see it). */
  columns: (Column<T> | false)[];
  items: T[];
  rowKey: (item: T) => Key;
  /** What to say when there is nothing to show. */
  empty?: ReactNode;
  loading?: boolean;
  size?: 'sm';
  striped?: boolean;
  bordered?: boolean;
  className?: string;
  /**
   * On a phone, each row becomes a block with every value under its column's name, instead
   * of a table that scrolls sideways: for rows with long texts (addresses, subjects).
   */
  stacked?: boolean;
}

/** Whether an element is wider than its box (so it scrolls sideways), kept up to date. */
function useScrollsSideways() {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return { ref, scrolls };
}

/**
 * A captioned table of items, with column and row headers, an empty and a loading state.
 * On a narrow screen it scrolls sideways in a region that the keyboard can reach.
 */
export function DataTable<T>({
  caption,
  captionHidden,
  columns,
  items,
  rowKey,
  empty = 'Nessun elemento.',
  loading = false,
  size,
  striped,
  bordered,
  className,
  stacked,
}: DataTableProps<T>) {
  const captionId = useId();
  const { ref, scrolls } = useScrollsSideways();
  const shown = columns.filter((c): c is Column<T> => c !== false);
  const classes = ['table', size === 'sm' && 'table-sm', striped && 'table-striped', bordered && 'table-bordered', loading && 'cabina-loading', stacked && 'cabina-stacked', className];
  const labelOf = (c: Column<T>) => c.label ?? (typeof c.header === 'string' ? c.header : undefined);
  return (
    <div
      ref={ref}
      className="table-responsive mb-3"
      // Only a region that scrolls needs a name and a tab stop (WCAG 2.1.1).
      {...(scrolls ? { role: 'region', 'aria-labelledby': captionId, tabIndex: 0 } : {})}
    >
      {/* Stacked, the roles are said outright: some browsers drop a table's semantics with its layout. */}
      <table className={classes.filter(Boolean).join(' ')} aria-busy={loading || undefined} role={stacked ? 'table' : undefined}>
        <caption id={captionId} className={captionHidden ? 'visually-hidden' : undefined}>
          {caption}
        </caption>
        <thead role={stacked ? 'rowgroup' : undefined}>
          <tr role={stacked ? 'row' : undefined}>
            {shown.map((c, i) => (
              <th
                scope="col"
                role={stacked ? 'columnheader' : undefined}
                key={i}
                className={c.numeric ? 'numeric' : undefined}
                aria-hidden={c.decorative || undefined}
                style={c.width ? { width: c.width } : undefined}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role={stacked ? 'rowgroup' : undefined}>
          {items.length === 0 && (
            <tr role={stacked ? 'row' : undefined}>
              <td colSpan={shown.length} role={stacked ? 'cell' : undefined}>{loading ? 'Caricamento…' : empty}</td>
            </tr>
          )}
          {items.map((item) => (
            <tr key={rowKey(item)} role={stacked ? 'row' : undefined}>
              {shown.map((c, i) => {
                const className = c.numeric ? 'numeric' : undefined;
                const label = stacked ? labelOf(c) : undefined;
                return c.rowHeader ? (
                  <th scope="row" key={i} className={className} data-label={label} role={stacked ? 'rowheader' : undefined}>
                    {c.cell(item)}
                  </th>
                ) : (
                  <td key={i} className={className} aria-hidden={c.decorative || undefined} data-label={label} role={stacked ? 'cell' : undefined}>
                    {c.cell(item)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "66 comuni · pagina 2 di 4", announced when it changes. */
export function ListCount<T>({ list, count }: { list: PagedList<T>; count: (total: number) => string }) {
  return (
    <p aria-live="polite">
      {list.total === undefined ? 'Caricamento…' : <span>{count(list.total)}</span>}
      {list.pageCount > 1 && (
        <span>
          {' '}
          · pagina {list.page} di {list.pageCount}
        </span>
      )}
    </p>
  );
}

export interface PagedTableProps<T> extends Omit<DataTableProps<T>, 'items' | 'loading'> {
  /** The page to show and its neighbours, from `usePagedList`. */
  list: PagedList<T>;
  /** How many match, in words ("66 comuni"), shown above the table and announced. */
  count?: (total: number) => string;
}

/**
 * A table of one page of a collection that pages on the server: how many there are,
 * the page, Italian pagination controls; the API's problem, if the page did not come.
 */
export function PagedTable<T>({ list, count, ...table }: PagedTableProps<T>) {
  return (
    <>
      {count && <ListCount list={list} count={count} />}
      <ErrorAlert problem={list.problem} />
      <DataTable {...table} items={list.items} loading={list.loading} />
      <Pagination page={list.page} pageCount={list.pageCount} onChange={list.setPage} label={table.caption} />
    </>
  );
}

export interface RecordTableProps<T> extends Omit<PagedTableProps<T>, 'rowKey' | 'count' | 'captionHidden' | 'size'> {
  /** What one item and several are called: ['sede', 'sedi'] → "1 sede", "12 sedi". */
  noun: [one: string, many: string];
}

/**
 * A register of records with ids, as the back office lists them under a heading that
 * already names them: compact, the caption for screen readers only, the count in words.
 */
export function RecordTable<T extends { id: Key }>({ noun: [one, many], ...table }: RecordTableProps<T>) {
  return <PagedTable {...table} rowKey={(item) => item.id} count={(n) => countOf(n, one, many)} captionHidden size="sm" />;
}
