import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from 'design-react-kit';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  confirmLabel: string;
  /** The way out, when "Annulla" would be ambiguous (e.g. before cancelling something). */
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal question before a step that cannot be undone: the browser's own `<dialog>`, which
 * keeps the focus inside, closes with Esc and gives it back to where it was.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, cancelLabel = 'Annulla', onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="cabina-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId} className="h4">
        {title}
      </h2>
      <div id={bodyId}>{children}</div>
      <div className="d-flex flex-wrap gap-2 justify-content-end mt-3">
        <Button color="secondary" outline onClick={onCancel}>
          {cancelLabel}
        </Button>
        <Button color="primary" onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
