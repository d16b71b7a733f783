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


async def petitioner_id_for(conn: asyncpg.Connection, secret: str, district: str,
                            *identity: str | None) -> str:
    """The person's random petitioner id, the same each time they petition until erased."""
    digest = identity_digest(secret, district, *identity)
    await conn.execute(
        "INSERT INTO petitioner_identities (district, digest, petitioner_id) "
        "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", district, digest, f"p-{uuid4().hex[:20]}")
    found: str = await conn.fetchval("SELECT petitioner_id FROM petitioner_identities "
                                     "WHERE district = $1 AND digest = $2", district, digest)
    return found


@dataclass(frozen=True)
class Erasure:
    keys_erased: int
    already_erased: bool  # asked again: nothing of the person was left to erase
    case_ids: tuple[str, ...] = ()  # the cases whose text went with them


class PersonalDataVault:
    async def _key(self, conn: asyncpg.Connection, subject: str,
                   district: str) -> tuple[str, bytes]:
        """The subject's live key. After an erasure a new generation starts: a person who was
        forgotten and petitions again is recorded again, under a new key."""
        row = await conn.fetchrow("SELECT key_id, key FROM personal_keys "
                                  "WHERE subject = $1 AND key IS NOT NULL LIMIT 1", subject)
        if row:
            return row["key_id"], row["key"]
        key_id, key = f"{subject}#{uuid4().hex[:8]}", AESGCM.generate_key(256)
        await conn.execute("INSERT INTO personal_keys (key_id, subject, district, key) "
                           "VALUES ($1, $2, $3, $4)", key_id, subject, district, key)
        return key_id, key

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
        sealed = dict(data)
        keys: dict[str, tuple[str, bytes]] = {}  # one lookup per subject, however many fields

        async def key_of(subject: str) -> tuple[str, bytes]:
            if subject not in keys:
                keys[subject] = await self._key(conn, subject, event.district)
            return keys[subject]

        for name in event.personal_fields:
            value = data.get(name)
            if value is None:
                continue
            if name == "petitioners":
                ids = data["petitioner_ids"]
                sealed[name] = []
                for pid, details in zip(ids, value, strict=True):
                    await conn.execute("INSERT INTO case_petitioners VALUES ($1, $2) "
                                       "ON CONFLICT DO NOTHING", case_id, pid)
                    key_id, key = await key_of(f"petitioner:{pid}")
                    sealed[name].append(self._encrypt(key, details, key_id))
            else:
                key_id, key = await key_of(f"case:{case_id}")
                sealed[name] = self._encrypt(key, value, key_id)
        return sealed

    async def seal_case_text(self, conn: asyncpg.Connection, district: str, case_id: str,
                             value: str) -> dict[str, str]:
        """Free text of a case kept outside its events (a read table), sealed like them."""
        key_id, key = await self._key(conn, f"case:{case_id}", district)
        return self._encrypt(key, value, key_id)

    async def open(self, conn: asyncpg.Connection, data: dict[str, Any]) -> dict[str, Any]:
        return {k: await self._open_value(conn, v) for k, v in data.items()}

    async def _open_value(self, conn: asyncpg.Connection, value: Any) -> Any:
        if isinstance(value, list):
            return [await self._open_value(conn, v) for v in value]
        if not (isinstance(value, dict) and "$sealed" in value):
            return value
        key = await conn.fetchval("SELECT key FROM personal_keys WHERE key_id = $1",
                                  value["$sealed"])
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

