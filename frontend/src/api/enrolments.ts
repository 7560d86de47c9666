// Writes on enrolments shared by the screens that make them.
import { api } from './client';

/**
 * Cancels an enrolment (a merge patch to `cancelled`): the seat goes to the first in the
 * waitlist, within the comune's quota. The API refuses (409) what is completed or cancelled.
 */
export function cancelEnrolment(id: number) {
  return api.PATCH('/enrolments/{id}', {
    params: { path: { id } },
    body: { status: 'cancelled' },
    headers: { 'Content-Type': 'application/merge-patch+json' },
  });
}
