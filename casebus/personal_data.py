"""Crypto-shredding: petitioners' personal data is encrypted inside stored events, per person.

A petitioner's details are sealed with that petitioner's key; free text that may describe
anyone on the case (a description, an explanation) is sealed with the case's key. Erasing a
petitioner deletes their key, their identity row, and the keys of the cases on which nobody
else is left (co-petitioners keep their case's text): the events stay, counts and statistics
stay, and the person's data can no longer be read by anyone.

Petitioner ids are random (``p-`` and 20 hex digits). Repeat detection finds the same person
again through ``petitioner_identities``: an HMAC of the identity (ID number, or name and phone)
under the pseudonym secret, mapped to the random id. Erasure deletes that row, so nobody, not
even with the secret and the ID number, can tie the erased person's history to them again; if
they petition again they get a new id.
Keys live in the service's own database (production would wrap them with a KMS key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import asyncpg
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from casebus.domain.events import DomainEvent

ERASED = "[erased]"

DDL = """
CREATE TABLE IF NOT EXISTS personal_keys (
    key_id     text PRIMARY KEY,
    subject    text NOT NULL,          -- petitioner:<id> or case:<id>
    district   text NOT NULL,
    key        bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at  timestamptz
);
CREATE TABLE IF NOT EXISTS case_petitioners (
    case_id       text NOT NULL,
    petitioner_id text NOT NULL,
    PRIMARY KEY (petitioner_id, case_id)
);
CREATE INDEX IF NOT EXISTS personal_keys_by_subject ON personal_keys (subject);
CREATE TABLE IF NOT EXISTS petitioner_identities (
    district      text NOT NULL,
    digest        text NOT NULL,        -- HMAC of the identity: never the identity itself
    petitioner_id text NOT NULL,
    PRIMARY KEY (district, digest)
);
CREATE INDEX IF NOT EXISTS petitioner_identities_by_id ON petitioner_identities (petitioner_id);
"""


def identity_digest(secret: str, district: str, *identity: str | None) -> str:
    """The same person (same ID number, or the same name and phone) gives the same digest."""
    material = "|".join([district, *(p.strip().lower() for p in identity if p)])
    return hmac.new(secret.encode(), material.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Identified:
    petitioner_id: str
    first_time: bool  # no id was kept for the person: never seen, or seen and erased


# Ids for all of a petition's people in one round trip. A person whose row another transaction
# is inserting at the same moment is neither inserted (that insert waits, then does nothing) nor
# visible to this statement's snapshot: their id comes back NULL, and is read by a new statement.
_IDENTIFY = """
WITH wanted AS (
    SELECT * FROM unnest($2::text[], $3::text[]) AS w(digest, petitioner_id)
), known AS (
    SELECT i.digest, i.petitioner_id FROM petitioner_identities i
    WHERE i.district = $1 AND i.digest = ANY($2::text[])
), created AS (
    INSERT INTO petitioner_identities (district, digest, petitioner_id)
    SELECT $1, w.digest, w.petitioner_id FROM wanted w
    WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.digest = w.digest)
    ON CONFLICT DO NOTHING
    RETURNING digest, petitioner_id
)
SELECT w.digest, coalesce(c.petitioner_id, k.petitioner_id) AS petitioner_id,
       c.digest IS NOT NULL AS first_time
FROM wanted w LEFT JOIN created c USING (digest) LEFT JOIN known k USING (digest)
"""


async def petitioner_ids_for(conn: asyncpg.Connection, secret: str, district: str,
                             identities: Sequence[Sequence[str | None]]) -> list[Identified]:
    """Each person's random petitioner id, the same each time they petition until erased, in
    the order given (the same person named twice gets the same id twice)."""
    digests = [identity_digest(secret, district, *identity) for identity in identities]
    found: dict[str, Identified] = {}
    while missing := list(dict.fromkeys(d for d in digests if d not in found)):
        # Again only after a race: the other transaction has ended by now (our insert waited
        # for it), so this statement sees its row, or inserts ours if it rolled back.
        rows = await conn.fetch(_IDENTIFY, district, missing,
                                [f"p-{uuid4().hex[:20]}" for _ in missing])
        found |= {r["digest"]: Identified(r["petitioner_id"], r["first_time"]) for r in rows
                  if r["petitioner_id"] is not None}
    return [found[d] for d in digests]


@dataclass(frozen=True)
class Erasure:
    keys_erased: int
    already_erased: bool  # asked again: nothing of the person was left to erase
    case_ids: tuple[str, ...] = ()  # the cases whose text went with them


# The live keys of an event's subjects, a new one for each subject without one, and the case's
# petitioners, in one round trip. Like the lookup and insert it replaces, it takes no lock: one
# person's registrations are serialised by their identity row, one case's events by its stream.
_KEYS = """
WITH wanted AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::bytea[]) AS w(subject, key_id, key)
), live AS (
    SELECT DISTINCT ON (k.subject) k.subject, k.key_id, k.key FROM personal_keys k
    WHERE k.subject = ANY($2::text[]) AND k.key IS NOT NULL
    ORDER BY k.subject, k.created_at
), created AS (
    INSERT INTO personal_keys (key_id, subject, district, key)
    SELECT w.key_id, w.subject, $1, w.key FROM wanted w
    WHERE NOT EXISTS (SELECT 1 FROM live l WHERE l.subject = w.subject)
    RETURNING subject, key_id, key
), joined AS (
    INSERT INTO case_petitioners (case_id, petitioner_id)
    SELECT $5, unnest($6::text[])
    ON CONFLICT DO NOTHING
)
SELECT subject, key_id, key FROM live
UNION ALL
SELECT subject, key_id, key FROM created
"""


class PersonalDataVault:
    async def _keys(self, conn: asyncpg.Connection, district: str, subjects: Sequence[str],
                    case_id: str = "", petitioner_ids: Sequence[str] = ()
                    ) -> dict[str, tuple[str, bytes]]:
        """The subjects' live keys, and the petitioners recorded on the case. After an erasure a
        new generation starts: a person who was forgotten and petitions again is recorded
        again, under a new key."""
        unique = list(dict.fromkeys(subjects))
        rows = await conn.fetch(
            _KEYS, district, unique, [f"{s}#{uuid4().hex[:8]}" for s in unique],
            [AESGCM.generate_key(256) for _ in unique], case_id,
            list(dict.fromkeys(petitioner_ids)))
        return {r["subject"]: (r["key_id"], r["key"]) for r in rows}

    @staticmethod
    def _encrypt(key: bytes, value: Any, key_id: str) -> dict[str, str]:
        nonce = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(nonce, json.dumps(value).encode(), key_id.encode())
        return {"$sealed": key_id, "ct": base64.b64encode(nonce + ciphertext).decode()}

    async def seal(self, conn: asyncpg.Connection, event: DomainEvent,
                   data: dict[str, Any], stream_id: str) -> dict[str, Any]:
        # Free text is keyed per case; an event about no case (a reception day, a service-work
        # day) per its own stream, so each can be erased without the others.
        case_id = str(data.get("case_id") or stream_id)
        case_subject = f"case:{case_id}"
        present = [n for n in event.personal_fields if data.get(n) is not None]
        petitioner_ids: list[str] = (
            list(data["petitioner_ids"]) if "petitioners" in present else [])
        subjects = [f"petitioner:{pid}" for pid in petitioner_ids]
        if any(n != "petitioners" for n in present):
            subjects.append(case_subject)
        keys = (await self._keys(conn, event.district, subjects, case_id, petitioner_ids)
                if subjects else {})

        def sealed_for(subject: str, value: Any) -> dict[str, str]:
            key_id, key = keys[subject]
            return self._encrypt(key, value, key_id)

        sealed = dict(data)
        for name in present:
            if name == "petitioners":
                sealed[name] = [sealed_for(f"petitioner:{pid}", details)
                                for pid, details in zip(petitioner_ids, data[name], strict=True)]
            else:
                sealed[name] = sealed_for(case_subject, data[name])
        return sealed

    async def seal_case_text(self, conn: asyncpg.Connection, district: str, case_id: str,
                             value: str) -> dict[str, str]:
        """Free text of a case kept outside its events (a read table), sealed like them."""
        key_id, key = (await self._keys(conn, district, [f"case:{case_id}"]))[f"case:{case_id}"]
        return self._encrypt(key, value, key_id)

    async def open(self, conn: asyncpg.Connection, data: dict[str, Any]) -> dict[str, Any]:
        sealed_with = {key_id for v in data.values() for key_id in self._key_ids(v)}
        keys: dict[str, bytes | None] = {}
        if sealed_with:  # one round trip for every key the event was sealed with
            rows = await conn.fetch("SELECT key_id, key FROM personal_keys "
                                    "WHERE key_id = ANY($1::text[])", list(sealed_with))
            keys = {r["key_id"]: r["key"] for r in rows}
        return {k: self._open_value(keys, v) for k, v in data.items()}

    def _key_ids(self, value: Any) -> Iterator[str]:
        """The keys ``_open_value`` will need: sealed values, also inside lists."""
        if isinstance(value, list):
            for v in value:
                yield from self._key_ids(v)
        elif isinstance(value, dict) and "$sealed" in value:
            yield value["$sealed"]

    def _open_value(self, keys: dict[str, bytes | None], value: Any) -> Any:
        if isinstance(value, list):
            return [self._open_value(keys, v) for v in value]
        if not (isinstance(value, dict) and "$sealed" in value):
            return value
        key = keys.get(value["$sealed"])
        if key is None:
            return {"name": ERASED} if value["$sealed"].startswith("petitioner:") else ERASED
        raw = base64.b64decode(value["ct"])
        return json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], value["$sealed"].encode()))

    async def erase_petitioner(self, conn: asyncpg.Connection, district: str,
                               petitioner_id: str) -> Erasure | None:
        """Forget a person: their key, their identity row, and the keys of their cases on which
        every other petitioner is erased too. None if the district never knew them."""
        known = await conn.fetchval(
            "SELECT count(*) FROM personal_keys WHERE subject = $1 AND district = $2",
            f"petitioner:{petitioner_id}", district)
        if not known:
            return None
        await conn.execute("DELETE FROM petitioner_identities WHERE district = $1 AND "
                           "petitioner_id = $2", district, petitioner_id)
        mine: str = await conn.execute(
            "UPDATE personal_keys SET key = NULL, erased_at = now() "
            "WHERE subject = $1 AND district = $2 AND key IS NOT NULL",
            f"petitioner:{petitioner_id}", district)
        # A case's text goes once nobody on it is left: co-petitioners keep their petition.
        cases = await conn.fetch(
            """UPDATE personal_keys SET key = NULL, erased_at = now()
               WHERE district = $2 AND key IS NOT NULL AND subject IN (
                   SELECT 'case:' || c.case_id FROM case_petitioners c
                   WHERE c.petitioner_id = $1 AND NOT EXISTS (
                       SELECT 1 FROM case_petitioners other
                       JOIN personal_keys k ON k.subject = 'petitioner:' || other.petitioner_id
                       WHERE other.case_id = c.case_id AND other.petitioner_id <> $1
                         AND k.key IS NOT NULL))
               RETURNING subject""", petitioner_id, district)
        erased = int(mine.split()[-1]) + len(cases)
        return Erasure(keys_erased=erased, already_erased=int(mine.split()[-1]) == 0,
                       case_ids=tuple(sorted({r["subject"].removeprefix("case:") for r in cases})))

