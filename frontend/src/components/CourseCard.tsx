import type { ReactNode } from 'react';
import { Card, CardBody, CardTitle } from 'design-react-kit';

/** A course as a card in a grid (the catalogue, "I miei corsi"): its title, then what the screen says of it. */
export function CourseCard({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Card className="card-bg rounded shadow-sm h-100">
      <CardBody>
        <CardTitle tag="h2" className="h5">
          {title}
        </CardTitle>
        {children}
      </CardBody>
    </Card>
  );
}
