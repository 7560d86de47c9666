"""A mirror of the public catalogue kept from the change feed, as an outside integrator
would keep it, while the Province's office edits the catalogue through two replicas.

Run by mirror.sh, which starts the replicas on one PostgreSQL database, generates the
client `cabina_client` from openapi/openapi.json with openapi-python-client, and passes:
  MIRROR_REPLICAS        the base URLs of the replicas (…/api/v1), space-separated
  MIRROR_ADMIN_EMAIL     the admin the writers sign in as
  MIRROR_ADMIN_PASSWORD
  MIRROR_SECONDS         how long the writers write (default 45)
  MIRROR_SEED            the seed of the writers' choices (default: random, printed)

The writers use plain HTTP (httpx): they stand for the office. The mirror uses only the
generated client: it stands for the integrator. It polls GET /catalogue/changes a few
items at a time, on each replica in turn, and applies every item (an upsert of the whole
public view) or removal (a delete) to a dict keyed by (kind, id). Three times while the
writers write, and once when they are done, it holds them at a checkpoint (once their
writes under way end), drains the feed on one replica, sees that the other has nothing
more, reads the whole catalogue page by page from both, and fails, with a diff, unless the
mirror equals that full pull view for view. Checkpoints keep the test sharp: between two
of them, a change the feed lost is seldom hidden by a later one to the same item (a venue
or a provider renamed brings back every edition or course that shows it).

Checked on every page as well: no item twice in one page, cursors that never go back
(the cursor is opaque to clients; this test alone peeks at its form, `v1:<n>` in base64url,
to order it), `has_more` only on a full page, `links.next` carrying `next_cursor`, each item
either a view of its kind with its id or a removal, and the typed parse losing nothing of
the JSON. Every few pages the mirror stops halfway through a page and resumes from an
item's own `cursor`, as its description allows.
"""

from __future__ import annotations

import base64
import collections
import json
import os
import random
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from cabina_client import Client
from cabina_client.api.catalogue import (
    list_catalogue_changes,
    list_catalogue_courses,
    list_catalogue_editions,
)
from cabina_client.models import (
    CatalogueChanges,
    CourseCataloguePage,
    EditionCataloguePage,
)
from cabina_client.types import UNSET, Unset

REPLICAS = os.environ["MIRROR_REPLICAS"].split()
ADMIN_EMAIL = os.environ["MIRROR_ADMIN_EMAIL"]
ADMIN_PASSWORD = os.environ["MIRROR_ADMIN_PASSWORD"]
SECONDS = float(os.environ.get("MIRROR_SECONDS", "45"))
SEED = int(os.environ.get("MIRROR_SEED") or random.randrange(1 << 30))
FEED_LIMIT = 3
PULL_LIMIT = 7
WRITERS = 5
CHECKPOINTS = 3
IMPERIA, SANREMO = "008031", "008055"
THEMES = ["privacy", "sicurezza_preposti", "digitalizzazione", "primo_soccorso"]
# Themes that allow an asynchronous webinar (the law wants the others in person).
ELEARNING_THEMES = ["privacy", "digitalizzazione"]
NOW = datetime.now(UTC).replace(microsecond=0)

failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)
    if len(failures) <= 40:
        print(f"FAIL: {message}", file=sys.stderr)
    elif len(failures) == 41:
        print("FAIL: … (only the first 40 problems are shown)", file=sys.stderr)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def cursor_position(cursor: str) -> int:
    """The number inside a cursor. Clients must treat cursors as opaque; this test orders
    them to check that they never go back, and so depends on today's form."""
    text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    if not text.startswith("v1:"):
        raise ValueError(f"cursor {cursor!r} is {text!r}, not v1:<n>: update this test")
    return int(text[3:])


def canonical(value: Any) -> Any:
    """JSON with instants as instants: the generated models write `+00:00` where the
    server writes `Z`, the same moment."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and value[10] == "T":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def lossless(typed: dict, raw: dict, where: str) -> None:
    if canonical(typed) != canonical(raw):
        fail(f"{where}: the generated model does not give back the JSON it read: "
             f"{describe(raw, typed)}")


def describe(expected: Any, got: Any, path: str = "") -> str:
    """The first differences between two JSON values, field by field."""
    out: list[str] = []

    def walk(a: Any, b: Any, at: str) -> None:
        if len(out) >= 8:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                if key not in b:
                    out.append(f"{at}/{key} missing (expected {json.dumps(a[key])[:120]})")
                elif key not in a:
                    out.append(f"{at}/{key} unexpected ({json.dumps(b[key])[:120]})")
                else:
                    walk(a[key], b[key], f"{at}/{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{at}/{i}")
        elif canonical(a) != canonical(b):
            out.append(f"{at or '/'}: expected {json.dumps(a)[:160]}, got {json.dumps(b)[:160]}")

    walk(expected, got, path)
    return "; ".join(out) or "(equal)"


# ---- The office: writers over plain HTTP ------------------------------------------------


class Admin:
    """The admin's session on one replica."""

    def __init__(self, base: str, token: str):
        self.http = httpx.Client(base_url=base, timeout=30,
                                 headers={"authorization": f"Bearer {token}"})

    def post(self, path: str, body: dict) -> httpx.Response:
        return self.http.post(path, json=body)

    def patch(self, path: str, body: dict) -> httpx.Response:
        return self.http.patch(path, content=json.dumps(body),
                               headers={"content-type": "application/merge-patch+json"})

    def delete(self, path: str) -> httpx.Response:
        return self.http.delete(path)


def sign_in(base: str) -> str:
    response = httpx.post(f"{base}/auth/login", timeout=30,
                          json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    response.raise_for_status()
    return response.json()["access_token"]


class Office:
    """What the writers know of the catalogue (ids only; the server holds the truth) and
    what they did."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.providers: list[int] = []
        self.venues: list[int] = []
        self.courses: dict[int, str] = {}  # id → modality
        self.editions: dict[int, int] = {}  # id → course id
        self.outcomes: collections.Counter[tuple[str, int]] = collections.Counter()
        self.unexpected: list[str] = []

    def record(self, action: str, response: httpx.Response, allowed: set[int]) -> bool:
        """Counts the answer; returns whether the write went through (2xx)."""
        with self.lock:
            self.outcomes[(action, response.status_code)] += 1
            if response.status_code not in allowed:
                self.unexpected.append(f"{action}: {response.request.method} "
                                       f"{response.request.url.path} → {response.status_code} "
                                       f"{response.text[:300]}")
        return response.is_success

    def pick(self, pool: Any, rng: random.Random) -> int | None:
        with self.lock:
            ids = list(pool)
        return rng.choice(ids) if ids else None


# Every write may meet a concurrent one: 404 (someone removed it), 409 (the lifecycle or a
# running edition forbids it now), 412 (changed between the read and the conditional
# write). Anything else is a fault of the test or the API: a 503 here was PostgreSQL
# breaking a deadlock between catalogue writers, which they no longer risk (each takes the
# change log's lock before any row).
RACE = {404, 409, 412}


def course_body(rng: random.Random, office: Office, status: str) -> dict:
    modality = rng.choice(["in_person", "in_person", "async_webinar", "blended"])
    theme = rng.choice(ELEARNING_THEMES if modality == "async_webinar" else THEMES)
    return {"title": f"Corso {rng.randrange(10**6)}", "description": "Descrizione",
            "objectives": "Obiettivi", "theme_code": theme,
            "provider_id": office.pick(office.providers, rng), "hours": 6.0,
            "modality": modality, "target_office_areas": ["affari_generali"],
            "min_attendance_percent": 80, "status": status}


def sessions(rng: random.Random, office: Office, delivery: str) -> list[dict]:
    out = []
    for n in range(rng.randint(1, 3)):
        start = NOW + timedelta(days=30 + 7 * n + rng.randint(0, 5), hours=rng.randint(0, 8))
        session = {"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=3))}
        if delivery == "in_person":
            session["venue_id"] = office.pick(office.venues, rng)
        out.append(session)
    return out


def edition_body(rng: random.Random, office: Office, modality: str, status: str) -> dict:
    delivery = rng.choice(["in_person", "live_webinar"]) if modality == "blended" else modality
    body = {"title": f"Edizione {rng.randrange(10**6)}", "delivery": delivery,
            "capacity": rng.randint(5, 30), "status": status, "self_enrolment": rng.random() < 0.7,
            "enrolment_opens_at": iso(NOW - timedelta(days=1)),
            "enrolment_closes_at": iso(NOW + timedelta(days=20))}
    if delivery == "async_webinar":
        body |= {"available_from": iso(NOW + timedelta(days=21)),
                 "available_until": iso(NOW + timedelta(days=60 + rng.randint(0, 30))),
                 "access_url": "https://webinar.example/corso"}
    else:
        body["sessions"] = sessions(rng, office, delivery)
        if delivery == "live_webinar":
            body["access_url"] = "https://webinar.example/diretta"
    return body


def create_course(admin: Admin, office: Office, rng: random.Random) -> None:
    body = course_body(rng, office, rng.choice(["draft", "published", "published"]))
    response = admin.post("/courses", body)
    if office.record("create course", response, {201}):
        with office.lock:
            office.courses[response.json()["id"]] = body["modality"]


def course_status(admin: Admin, office: Office, rng: random.Random) -> None:
    course = office.pick(office.courses, rng)
    status = rng.choice(["published", "published", "archived"])
    response = admin.patch(f"/courses/{course}", {"status": status})
    office.record(f"{'publish' if status == 'published' else 'archive'} course", response,
                  {200} | RACE)


def edit_course(admin: Admin, office: Office, rng: random.Random) -> None:
    course = office.pick(office.courses, rng)
    change = rng.choice([
        {"title": f"Corso {rng.randrange(10**6)}"},
        {"description": f"Descrizione {rng.randrange(1000)}", "objectives": "Nuovi obiettivi"},
        {"hours": rng.choice([3.0, 4.5, 6.0, 7.25])},
        {"target_office_areas": rng.sample(["affari_generali", "demografici", "tributi"], 2)},
        {"provider_id": office.pick(office.providers, rng)},
        {"min_attendance_percent": rng.choice([60, 75, 80, 100])},
    ])
    office.record("edit course", admin.patch(f"/courses/{course}", change), {200} | RACE)


def delete_course(admin: Admin, office: Office, rng: random.Random) -> None:
    course = office.pick(office.courses, rng)
    if office.record("delete course", admin.delete(f"/courses/{course}"), {204} | RACE):
        with office.lock:
            office.courses.pop(course, None)
            for edition in [e for e, c in office.editions.items() if c == course]:
                del office.editions[edition]


def create_edition(admin: Admin, office: Office, rng: random.Random) -> None:
    course = office.pick(office.courses, rng)
    with office.lock:
        modality = office.courses.get(course)
    if modality is None:
        return
    body = edition_body(rng, office, modality, rng.choice(["open", "open", "draft"]))
    response = admin.post(f"/courses/{course}/editions", body)
    if office.record("create edition", response, {201, 404}):
        with office.lock:
            office.editions[response.json()["id"]] = course


def edit_edition(admin: Admin, office: Office, rng: random.Random) -> None:
    edition = office.pick(office.editions, rng)
    change = rng.choice([
        {"title": f"Edizione {rng.randrange(10**6)}"},
        {"capacity": rng.randint(5, 30)},
        {"self_enrolment": rng.random() < 0.5},
        {"enrolment_closes_at": iso(NOW + timedelta(days=rng.randint(10, 25)))},
    ])
    office.record("edit edition", admin.patch(f"/editions/{edition}", change), {200} | RACE)


def change_sessions(admin: Admin, office: Office, rng: random.Random) -> None:
    edition = office.pick(office.editions, rng)
    current = admin.http.get(f"/editions/{edition}")
    if current.status_code != 200:
        office.record("change sessions", current, {200, 404})
        return
    delivery = current.json()["delivery"]
    if delivery == "async_webinar":
        change = {"available_until": iso(NOW + timedelta(days=60 + rng.randint(0, 30)))}
    else:
        change = {"sessions": sessions(rng, office, delivery)}
    office.record("change sessions", admin.patch(f"/editions/{edition}", change),
                  {200} | RACE)


def edition_status(admin: Admin, office: Office, rng: random.Random) -> None:
    edition = office.pick(office.editions, rng)
    status = rng.choice(["open", "open", "closed", "cancelled"])
    action = {"open": "open edition", "closed": "close edition", "cancelled": "cancel edition"}
    office.record(action[status], admin.patch(f"/editions/{edition}", {"status": status}),
                  {200} | RACE)


def delete_edition(admin: Admin, office: Office, rng: random.Random) -> None:
    edition = office.pick(office.editions, rng)
    office.record("cancel edition", admin.patch(f"/editions/{edition}", {"status": "cancelled"}),
                  {200} | RACE)
    if office.record("delete edition", admin.delete(f"/editions/{edition}"), {204} | RACE):
        with office.lock:
            office.editions.pop(edition, None)


def edit_venue(admin: Admin, office: Office, rng: random.Random) -> None:
    venue = office.pick(office.venues, rng)
    change = rng.choice([
        {"name": f"Sala {rng.randrange(1000)}"},
        {"address": f"Via Roma {rng.randint(1, 200)}"},
        {"accessibility_notes": rng.choice(["Ingresso senza gradini", None])},
        {"comune_istat_code": rng.choice([IMPERIA, SANREMO]), "latitude": None, "longitude": None},
    ])
    office.record("edit venue", admin.patch(f"/venues/{venue}", change), {200} | RACE)


def edit_provider(admin: Admin, office: Office, rng: random.Random) -> None:
    provider = office.pick(office.providers, rng)
    change = rng.choice([
        {"name": f"Ente {rng.randrange(1000)}"},
        {"name": f"Ente {rng.randrange(1000)}"},
        {"vat_number": rng.choice(["00743110157", None])},
        # Not in the catalogue: must not be news, and must not break anything.
        {"notes": f"Nota {rng.randrange(1000)}"},
    ])
    office.record("edit provider", admin.patch(f"/providers/{provider}", change), {200} | RACE)


ACTIONS = [
    (create_course, 2), (course_status, 2), (edit_course, 3), (delete_course, 1),
    (create_edition, 4), (edit_edition, 3), (change_sessions, 2), (edition_status, 3),
    (delete_edition, 1), (edit_venue, 2), (edit_provider, 2),
]


class Gate:
    """Lets the mirror stop the writers for a checkpoint, once their writes under way end."""

    def __init__(self) -> None:
        self.turns = threading.Condition()
        self.closed = False
        self.busy = 0

    def enter(self) -> None:
        with self.turns:
            self.turns.wait_for(lambda: not self.closed)
            self.busy += 1

    def leave(self) -> None:
        with self.turns:
            self.busy -= 1
            self.turns.notify_all()

    def close(self) -> None:
        with self.turns:
            self.closed = True
            self.turns.wait_for(lambda: self.busy == 0)

    def open(self) -> None:
        with self.turns:
            self.closed = False
            self.turns.notify_all()


def writer(admin: Admin, office: Office, gate: Gate, rng: random.Random, until: float) -> None:
    actions, weights = zip(*ACTIONS, strict=True)
    while time.monotonic() < until:
        gate.enter()
        if time.monotonic() >= until:  # the time ran out during a checkpoint
            gate.leave()
            break
        try:
            rng.choices(actions, weights)[0](admin, office, rng)
        except httpx.HTTPError as error:
            with office.lock:
                office.unexpected.append(f"transport error: {error!r}")
        finally:
            gate.leave()


def seed_catalogue(admin: Admin, office: Office, rng: random.Random) -> None:
    for n in range(3):
        response = admin.post("/providers", {
            "name": f"Ente formatore {n}", "tax_code": "00743110157",
            "qualification_status": "qualified", "themes": THEMES})
        assert response.status_code == 201, response.text
        office.providers.append(response.json()["id"])
    for n in range(4):
        response = admin.post("/venues", {
            "name": f"Sala {n}", "address": "Viale Matteotti 147",
            "comune_istat_code": rng.choice([IMPERIA, SANREMO]), "capacity": 40})
        assert response.status_code == 201, response.text
        office.venues.append(response.json()["id"])
    for _ in range(6):
        create_course(admin, office, rng)
    for _ in range(12):
        create_edition(admin, office, rng)


# ---- The integrator: a mirror through the generated client ------------------------------


class Mirror:
    def __init__(self, clients: list[Client]):
        self.clients = clients
        # (kind, id) → (the generated model's dict, the JSON as received)
        self.items: dict[tuple[str, int], tuple[dict, dict]] = {}
        self.cursor: str | None = None
        self.position = 0
        self.pages = 0
        self.halfway_stops = 0
        self.applied: collections.Counter[str] = collections.Counter()
        self.last_etag: str | None = None

    def page(self, replica: int, halfway: bool = False) -> CatalogueChanges:
        client = self.clients[replica]
        response = list_catalogue_changes.sync_detailed(
            client=client, after=self.cursor if self.cursor is not None else UNSET,
            limit=FEED_LIMIT)
        if response.status_code != 200 or not isinstance(response.parsed, CatalogueChanges):
            raise SystemExit(f"GET /catalogue/changes answered {response.status_code}: "
                             f"{response.content[:300]!r}")
        self.pages += 1
        self.last_etag = response.headers.get("etag")
        page, raw = response.parsed, json.loads(response.content)
        where = f"page {self.pages} (replica {'ab'[replica]}, after {self.cursor})"
        lossless(page.to_dict(), raw, where)

        keys = [(item.kind.value, item.id) for item in page.items]
        if len(set(keys)) != len(keys):
            fail(f"{where}: an item twice in one page: {keys}")
        if len(page.items) > FEED_LIMIT:
            fail(f"{where}: {len(page.items)} items with limit={FEED_LIMIT}")
        if page.has_more and len(page.items) < FEED_LIMIT:
            fail(f"{where}: has_more with {len(page.items)} items of {FEED_LIMIT}")
        for name, link, after in [("next", page.links.next_, page.next_cursor),
                                  ("self", page.links.self_, self.cursor)]:
            query = parse_qs(urlsplit(link).query)
            if query.get("after") != ([after] if after else None) or \
                    query.get("limit") != [str(FEED_LIMIT)]:
                fail(f"{where}: links.{name} {link} is not after={after}&limit={FEED_LIMIT}")
        position = self.position
        for item in page.items:
            at = cursor_position(item.cursor)
            if at <= position:
                fail(f"{where}: item {item.kind.value} {item.id} at {at}, not after {position}")
            position = at
        next_at = cursor_position(page.next_cursor)
        if next_at < position:
            fail(f"{where}: next_cursor at {next_at} goes back before {position}")

        items = page.items
        if halfway and len(items) >= 2:
            items = items[: len(items) - 1]
            self.halfway_stops += 1
        # `items` may be the first part of the page only.
        for item, raw_item in zip(items, raw["items"], strict=False):
            self.apply(item, raw_item, where)
        if items is page.items:
            self.cursor, self.position = page.next_cursor, next_at
        else:
            # Stopped halfway: resume after the last item applied, by its own cursor.
            self.cursor, self.position = items[-1].cursor, cursor_position(items[-1].cursor)
        return page

    def apply(self, item: Any, raw: dict, where: str) -> None:
        kind = item.kind.value
        view = item.course if kind == "course" else item.edition
        other = item.edition if kind == "course" else item.course
        removed = not isinstance(item.removed, Unset)
        if not isinstance(other, Unset):
            fail(f"{where}: {kind} {item.id} carries a view of the other kind")
        if removed == (not isinstance(view, Unset)):
            fail(f"{where}: {kind} {item.id} must be either a view or a removal: {raw}")
            return
        if removed:
            self.items.pop((kind, item.id), None)
            self.applied[f"{kind} removed ({item.removed.value})"] += 1
        else:
            if view.id != item.id:
                fail(f"{where}: {kind} {item.id} carries the view of {view.id}")
            self.items[(kind, item.id)] = (view.to_dict(), raw[kind])
            self.applied[f"{kind} upserted"] += 1

    def drain(self, replica: int) -> None:
        while self.page(replica).has_more:
            pass


def full_pull(client: Client, kind: str) -> dict[int, tuple[dict, dict]]:
    """Every item of one list, page by page with limit and offset."""
    operation = list_catalogue_courses if kind == "course" else list_catalogue_editions
    page_type = CourseCataloguePage if kind == "course" else EditionCataloguePage
    items: dict[int, tuple[dict, dict]] = {}
    offset, total = 0, None
    while True:
        response = operation.sync_detailed(client=client, limit=PULL_LIMIT, offset=offset)
        if response.status_code != 200 or not isinstance(response.parsed, page_type):
            raise SystemExit(f"GET /catalogue/{kind}s answered {response.status_code}: "
                             f"{response.content[:300]!r}")
        page, raw = response.parsed, json.loads(response.content)
        lossless(page.to_dict(), raw, f"GET /catalogue/{kind}s offset {offset}")
        if total is not None and page.total != total:
            fail(f"{kind}s: total went from {total} to {page.total} with nobody writing")
        total = page.total
        for typed, raw_item in zip(page.items, raw["items"], strict=True):
            if typed.id in items:
                fail(f"{kind}s: {kind} {typed.id} on two pages of the full pull")
            items[typed.id] = (typed.to_dict(), raw_item)
        offset += len(page.items)
        if isinstance(page.links.next_, Unset):
            break
        if not page.items:
            fail(f"{kind}s: an empty page at offset {offset} links to a next one")
            break
    if len(items) != total:
        fail(f"{kind}s: the pages hold {len(items)} items, total says {total}")
    return items


def compare(mirror: Mirror, pull: dict[str, dict[int, tuple[dict, dict]]], label: str) -> None:
    for kind, source in pull.items():
        kept = {id: views for (k, id), views in mirror.items.items() if k == kind}
        missing, extra = sorted(set(source) - set(kept)), sorted(set(kept) - set(source))
        if missing:
            fail(f"{label}: {kind}s in the catalogue but not in the mirror: {missing}")
        if extra:
            fail(f"{label}: {kind}s in the mirror but not in the catalogue: {extra}")
        differing = [id for id in sorted(set(source) & set(kept)) if source[id] != kept[id]]
        for id in differing[:10]:
            (typed_source, raw_source), (typed_kept, raw_kept) = source[id], kept[id]
            diff = (describe(raw_source, raw_kept) if raw_source != raw_kept
                    else describe(typed_source, typed_kept))
            fail(f"{label}: {kind} {id} differs, catalogue → mirror: {diff}")
        if differing:
            fail(f"{label}: {len(differing)} {kind}s differ in all")


def checkpoint(mirror: Mirror, label: str, drain_on: int) -> dict[str, dict]:
    """With nobody writing: drain the feed on one replica, see that the other has nothing
    more, read the whole catalogue from both and compare the mirror with it."""
    other = 1 - drain_on
    mirror.drain(drain_on)
    stable = mirror.cursor
    last = mirror.page(other)
    if last.items or last.next_cursor != stable:
        fail(f"{label}: after the drain the other replica still had {len(last.items)} items "
             f"(cursor {stable} → {last.next_cursor})")
    # An unchanged feed answers 304 to the ETag of the last answer. The document names no
    # If-None-Match parameter, so the generated client can send it only as a client header.
    etag = mirror.last_etag
    conditional = Client(base_url=REPLICAS[other], headers={"If-None-Match": etag or ""})
    response = list_catalogue_changes.sync_detailed(client=conditional, after=stable,
                                                    limit=FEED_LIMIT)
    if response.status_code != 304:
        fail(f"{label}: If-None-Match {etag} on an unchanged feed answered "
             f"{response.status_code}")
    pulls = [{kind: full_pull(client, kind) for kind in ("course", "edition")}
             for client in mirror.clients]
    if pulls[0] != pulls[1]:
        fail(f"{label}: the two replicas' full pulls differ")
    compare(mirror, pulls[other], label)
    courses, editions = len(pulls[other]["course"]), len(pulls[other]["edition"])
    print(f"  {label:<13} mirror = full pull from replica {'ab'[other]}: {courses} courses, "
          f"{editions} editions, feed at {mirror.position}, {mirror.pages} pages so far")
    return pulls[other]


def main() -> int:
    rng = random.Random(SEED)
    print(f"mirror: seed {SEED}, {WRITERS} writers for {SECONDS:.0f} s on {len(REPLICAS)} "
          f"replicas, feed limit {FEED_LIMIT}, {CHECKPOINTS} checkpoints while writing")
    token = sign_in(REPLICAS[0])
    admins = [Admin(base, token) for base in REPLICAS]
    office = Office()
    seed_catalogue(admins[0], office, rng)

    clients = [Client(base_url=base, timeout=httpx.Timeout(30.0)) for base in REPLICAS]
    mirror = Mirror(clients)
    gate = Gate()
    started = time.monotonic()
    until = started + SECONDS
    stops = [started + SECONDS * (n + 1) / (CHECKPOINTS + 1) for n in range(CHECKPOINTS)]
    threads = [threading.Thread(target=writer, daemon=True,
                                args=(admins[n % len(admins)], office, gate,
                                      random.Random(rng.randrange(1 << 30)), until))
               for n in range(WRITERS)]
    print("\ncheckpoints (writers stopped, feed drained, whole catalogue read)")
    for thread in threads:
        thread.start()
    polls = 0
    while any(thread.is_alive() for thread in threads):
        if stops and time.monotonic() >= stops[0]:
            stops.pop(0)
            gate.close()
            done = CHECKPOINTS - len(stops)
            checkpoint(mirror, f"checkpoint {done}", done % 2)
            gate.open()
        page = mirror.page(polls % len(clients), halfway=polls % 5 == 4)
        polls += 1
        if not page.has_more:
            time.sleep(0.02)
    for thread in threads:
        thread.join()
    pages_while_writing = mirror.pages
    final = checkpoint(mirror, "end", (CHECKPOINTS + 1) % 2)
    elapsed = time.monotonic() - started

    print("\nwrites (action: answers)")
    actions: dict[str, dict[int, int]] = collections.defaultdict(dict)
    for (action, status), count in sorted(office.outcomes.items()):
        actions[action][status] = count
    for action, statuses in sorted(actions.items()):
        done = sum(c for s, c in statuses.items() if 200 <= s < 300)
        print(f"  {action:<18} {done:>4} done   "
              + "  ".join(f"{s}×{c}" for s, c in sorted(statuses.items())))
    done = sum(c for (_, s), c in office.outcomes.items() if 200 <= s < 300)
    print(f"  total              {done:>4} done of {sum(office.outcomes.values())}")
    print("\nmirror")
    print(f"  pages read: {mirror.pages} ({pages_while_writing} while writing), "
          f"{mirror.halfway_stops} left halfway and resumed from an item's cursor")
    for what, count in sorted(mirror.applied.items()):
        print(f"  {what:<28} {count:>5}")
    print(f"  changes applied: {sum(mirror.applied.values())}, last cursor position "
          f"{mirror.position}")
    print(f"  at the end: {len(final['course'])} courses, {len(final['edition'])} editions "
          f"(full pulls with limit {PULL_LIMIT}); {elapsed:.1f} s")

    if office.unexpected:
        fail(f"{len(office.unexpected)} writes answered unexpectedly, e.g.:\n    "
             + "\n    ".join(office.unexpected[:10]))
    if failures:
        print(f"\nmirror: FAILED ({len(failures)} problems; seed {SEED})", file=sys.stderr)
        return 1
    print("\nmirror: at every checkpoint the mirror equalled a fresh full pull of the catalogue")
    return 0


if __name__ == "__main__":
    sys.exit(main())
