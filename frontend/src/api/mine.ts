// What belongs to the signed-in person, for screens that show everyone's things: an
// employee's own enrolments by edition, the courses a provider's staff manage.
import { useEffect, useState } from 'react';
import type { User } from '../auth';
import { api } from './client';
import { fetchAll } from './collections';
import type { components } from './schema';

type Enrolment = components['schemas']['EnrolmentResponse'];

/**
 * An employee's enrolments by edition (the one that counts where there are several: not a
 * cancelled one if another exists). Empty for other roles and until the answer comes.
 */
export function useOwnEnrolments(user: User | null): Map<number, Enrolment> {
  const [mine, setMine] = useState<Map<number, Enrolment>>(new Map());
  const employee = user?.role === 'employee';
  useEffect(() => {
    if (!employee) return setMine(new Map());
    let stale = false;
    api.GET('/enrolments').then(({ data }) => {
      if (stale || !data) return;
      const byEdition = new Map<number, Enrolment>();
      for (const e of data.items) {
        const held = byEdition.get(e.edition_id);
        if (!held || held.status === 'cancelled') byEdition.set(e.edition_id, e);
      }
      setMine(byEdition);
    });
    return () => {
      stale = true;
    };
  }, [employee]);
  return mine;
}

/**
 * Whether the signed-in user manages a course's editions (enrolments and registers): the
 * admin every course, a provider's staff the courses whose `provider_id` is their
 * provider's (`provider_id` of `/auth/me`), nobody else. `undefined` while a provider's courses are being read.
 */
export function useManagesCourse(user: User | null): ((courseId: number) => boolean) | undefined {
  const [own, setOwn] = useState<Set<number>>();
  const provider = user?.role === 'provider';
  const providerId = user?.provider_id;
  useEffect(() => {
    if (!provider || !providerId) return setOwn(provider ? new Set() : undefined);
    let stale = false;
    fetchAll('/courses', { provider_id: providerId }).then(
      (courses) => !stale && setOwn(new Set(courses.filter((c) => c.provider_id === providerId).map((c) => c.id))),
      () => !stale && setOwn(new Set()),
    );
    return () => {
      stale = true;
    };
  }, [provider, providerId]);
  if (user?.role === 'admin') return () => true;
  if (!provider) return () => false;
  return own && ((courseId) => own.has(courseId));
}
