import type { components } from './api/schema';

export type Enrolment = components['schemas']['EnrolmentResponse'];

export const ENROLMENT_STATUS: Record<Enrolment['status'], { label: string; color: string }> = {
  confirmed: { label: 'Confermata', color: 'success' },
  waitlisted: { label: "In lista d'attesa", color: 'warning' },
  cancelled: { label: 'Annullata', color: 'secondary' },
  completed: { label: 'Completata', color: 'primary' },
};

/** "In lista d'attesa (2°)" and the like. */
export function statusText(e: Enrolment): string {
  const label = ENROLMENT_STATUS[e.status].label;
  return e.waitlist_position ? `${label} (${e.waitlist_position}°)` : label;
}
