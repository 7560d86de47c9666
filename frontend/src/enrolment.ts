// What an enrolment comes to, for the person and for those who manage it: shared by "I miei
// corsi", the edition's page, the catalogue and the course's page, so that they agree.
import type { components } from './api/schema';
import { ENROLMENT_STATUS, enrolmentStatusText, type Tag } from './labels';

type Enrolment = Pick<components['schemas']['EnrolmentResponse'], 'status' | 'waitlist_position' | 'completed_at'>;
/** What these rules read of an edition (the catalogue's and the back office's both have it). */
export interface EditionDates {
  status: components['schemas']['EditionStatusName'];
  starts_at?: string;
  ends_at?: string;
}

/** Whether the edition has begun (its first session, or a webinar's availability). */
export function hasBegun(edition: EditionDates | undefined, now = new Date()): boolean {
  return !!edition?.starts_at && new Date(edition.starts_at) <= now;
}

/** Whether the edition is over: marked concluded, or past its last day. */
export function isOver(edition: EditionDates | undefined, now = new Date()): boolean {
  if (!edition) return false;
  return edition.status === 'completed' || (!!edition.ends_at && new Date(edition.ends_at) < now);
}

/**
 * Whether to offer cancelling. The API refuses (409) an enrolment already completed or
 * cancelled; a seat in an edition that has begun is not offered either (the API would
 * accept it, but the hours already attended would go with it: that is for the referente to
 * decide), nor anything of an edition no longer known. A place on the waitlist can go until
 * the edition is over.
 */
export function cancellable(e: Enrolment, edition: EditionDates | undefined, now = new Date()): boolean {
  if (!edition || isOver(edition, now)) return false;
  if (e.status === 'waitlisted') return true;
  return e.status === 'confirmed' && !hasBegun(edition, now);
}

/**
 * The enrolment's badge: its status while the edition runs, what it came to once it is
 * over — a seat without completion is "Non completato", a waitlist that never moved "Rimasto
 * in lista d'attesa".
 */
export function standing(e: Enrolment, edition: EditionDates | undefined, now = new Date()): Tag {
  if (edition?.status === 'completed' || (isOver(edition, now) && e.status === 'waitlisted')) {
    if (e.status === 'confirmed') return { label: 'Non completato', color: 'danger' };
    if (e.status === 'waitlisted') return { label: "Rimasto in lista d'attesa", color: 'secondary' };
  }
  return { label: enrolmentStatusText(e), color: ENROLMENT_STATUS[e.status].color };
}

/**
 * The day a course was completed, as the person means it: the edition's last day, or the
 * day the minimum was reached if earlier (a recorded webinar). Not the day the register was
 * written, which can be weeks later.
 */
export function completedOn(e: Enrolment, edition: EditionDates | undefined): string | undefined {
  const dates = [e.completed_at, edition?.ends_at].filter((d): d is string => !!d);
  return dates.sort((a, b) => new Date(a).getTime() - new Date(b).getTime())[0];
}

/**
 * An employee's own state in an edition, in a few words, for the catalogue: "Iscrizione
 * confermata", "In lista d'attesa (2°)", "Corso completato" — or, once the edition is over,
 * what it came to; `undefined` when they are not enrolled (or cancelled), so that the
 * enrolment is offered.
 */
export function ownState(e: Enrolment | undefined, edition?: EditionDates, now = new Date()): Tag | undefined {
  if (!e || e.status === 'cancelled') return undefined;
  if (e.status !== 'completed' && isOver(edition, now)) return standing(e, edition, now);
  switch (e.status) {
    case 'confirmed':
      return { label: 'Iscrizione confermata', color: 'success' };
    case 'waitlisted':
      return { label: enrolmentStatusText(e), color: 'warning' };
    case 'completed':
      return { label: 'Corso completato', color: 'primary' };
  }
}

/** Whether an edition takes enrolments now: open, and within its enrolment window. */
export function takesEnrolments(
  edition: { status: EditionDates['status']; enrolment_opens_at: string; enrolment_closes_at: string },
  now = new Date(),
): boolean {
  return edition.status === 'open' && new Date(edition.enrolment_opens_at) <= now && now <= new Date(edition.enrolment_closes_at);
}
