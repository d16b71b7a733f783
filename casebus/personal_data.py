"""Crypto-shredding: petitioners' personal data is encrypted inside stored events, per person.

A petitioner's details are sealed with that petitioner's key; free text that may describe
anyone on the case (a description, an explanation) is sealed with the case's key. Erasing a
petitioner deletes their key and the keys of their cases: the events stay, counts and
statistics stay, and the personal data can no longer be read by anyone.
Keys live in the service's own database (production would wrap them with a KMS key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
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
"""


def pseudonym(secret: str, district: str, *identity: str | None) -> str:
    """A stable pseudonymous petitioner id: the same person (same ID number, or the same name
    and phone) gets the same id, which repeat detection matches on, without storing who."""
    material = "|".join([district, *(p.strip().lower() for p in identity if p)])
    return "p-" + hmac.new(secret.encode(), material.encode(), hashlib.sha256).hexdigest()[:20]


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
                   data: dict[str, Any]) -> dict[str, Any]:
        case_id = str(data.get("case_id", ""))
        sealed = dict(data)
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
                    key_id, key = await self._key(conn, f"petitioner:{pid}", event.district)
                    sealed[name].append(self._encrypt(key, details, key_id))
            else:
                key_id, key = await self._key(conn, f"case:{case_id}", event.district)
                sealed[name] = self._encrypt(key, value, key_id)
        return sealed

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
                               petitioner_id: str) -> int:
        """Forget a person: their key and their cases' keys. Returns how many keys went."""
        cases = [r["case_id"] for r in await conn.fetch(
            "SELECT case_id FROM case_petitioners WHERE petitioner_id = $1", petitioner_id)]
        subjects = [f"petitioner:{petitioner_id}", *(f"case:{c}" for c in cases)]
        result: str = await conn.execute(
            "UPDATE personal_keys SET key = NULL, erased_at = now() "
            "WHERE subject = ANY($1) AND district = $2 AND key IS NOT NULL", subjects, district)
        return int(result.split()[-1])

