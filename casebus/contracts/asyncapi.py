"""The AsyncAPI 3.0 document of the public event topics, generated from the catalogue.

One channel per topic (its address is the topic name), one message per wire type whose payload
is the CloudEvents envelope (structured mode) with ``data`` described by the checked-in JSON
Schema of that type, and one ``send`` operation per publishing service.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from casebus.contracts.catalogue import PublishedEvent
from casebus.contracts.schemas import SCHEMAS_DIR, schema_file_name
from casebus.envelope import CONTENT_TYPE, CloudEvent, schema_uri
from casebus.topics import DEADLETTER, TOPICS

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.0.0"
ENVELOPE = "CloudEventEnvelope"
KAFKA_BINDING_VERSION = "0.5.0"

PRIVACY_NOTE = (
    "Public topics carry no personal data. Petitioners' names, ID numbers, phone numbers and "
    "addresses, and free text written by or to them (descriptions, reasons, answers), are "
    "declared as an event's personal_fields: they are stored encrypted in the publishing "
    "service's event store and are left out of the published `data` (DomainEvent.public_data), "
    "so they appear in none of these schemas. A subscriber that needs them asks the owning "
    "service, under its access rules; erasing a petitioner's key forgets them everywhere.")

COMPATIBILITY_NOTE = (
    "Each message is one versioned wire type (`<type name>.v<version>`, the CloudEvent `type`). "
    "A wire type's schema only ever gains optional properties (and enum values); any other "
    "change is published as a new version, i.e. a new wire type. CI checks this against the "
    "checked-in contracts (`python -m casebus.contracts check`).")

KEY_NOTE = (
    "The Kafka record key is the CloudEvent `subject`: the case id for every event about a case "
    "(including its deadline clocks), so that one case's events stay in order; the letter, "
    "breach or spot check stream id for accountability records that are not about one case.")


def channel_id(topic: str) -> str:
    """``petitions.intake.events`` -> ``petitionsIntakeEvents``."""
    words = topic.replace("-", ".").split(".")
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def envelope_schema() -> dict[str, Any]:
    """The CloudEvent envelope (``casebus.envelope.CloudEvent``) as a JSON Schema."""
    schema = CloudEvent.model_json_schema(mode="serialization")
    schema["title"] = ENVELOPE
    schema["description"] = (
        "CloudEvents 1.0 in structured mode: the whole event is the JSON record value, with "
        "content type application/cloudevents+json. Extension attributes: district "
        "(tenancy), correlationid, causationid, actor. `dataschema` is the `$id` of the "
        "JSON Schema of `data` for the event's `type`.")
    return schema


def asyncapi_document(entries: Sequence[PublishedEvent]) -> dict[str, Any]:
    by_topic: dict[str, list[PublishedEvent]] = {}
    for entry in sorted(entries, key=lambda e: (e.topic, e.wire_type)):
        by_topic.setdefault(entry.topic, []).append(entry)

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic, published in by_topic.items():
        cid = channel_id(topic)
        services = sorted({e.service for e in published})
        channels[cid] = {
            "address": topic,
            "title": topic,
            "description": (
                f"Integration events published by the {', '.join(services)} service, keyed "
                f"by {_KEYED_BY.get(topic, 'case id')}. Carries no personal data. "
                f"Subscribers send messages that cannot be parsed or violate their schema to "
                f"the dead-letter topic {DEADLETTER}."),
            "messages": {e.wire_type: {"$ref": f"#/components/messages/{e.wire_type}"}
                         for e in published},
            "bindings": {"kafka": _kafka_channel_binding(topic)},
        }
        for service in services:
            operations[f"{service}Publishes{cid[:1].upper()}{cid[1:]}"] = {
                "action": "send",
                "title": f"{service} publishes on {topic}",
                "summary": _PUBLISHED_BY.get(service, (
                    f"The {service} service's outbox relay publishes its committed events, at "
                    f"least once (subscribers deduplicate by CloudEvent id).")),
                "channel": {"$ref": f"#/channels/{cid}"},
                "messages": [{"$ref": f"#/channels/{cid}/messages/{e.wire_type}"}
                             for e in published if e.service == service],
            }
        for e in published:
            messages[e.wire_type] = _message(e)

    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Petition case events",
            "version": DOCUMENT_VERSION,
            "description": "\n\n".join([
                "Integration events of the petition (letters and visits) case system, for "
                "downstream subscribers (city dashboard, archive, provincial petition system). "
                "Generated from the code by `python -m casebus.contracts write`; do not edit.",
                PRIVACY_NOTE, COMPATIBILITY_NOTE, KEY_NOTE]),
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": {ENVELOPE: envelope_schema()},
            "messageTraits": {
                "cloudEvent": {
                    "contentType": CONTENT_TYPE,
                    "headers": {
                        "type": "object",
                        "properties": {"content-type": {"type": "string",
                                                        "const": CONTENT_TYPE}},
                    },
                    "bindings": {"kafka": {
                        "key": {"type": "string", "description": (
                            "The CloudEvent subject: the case id for events about a "
                            "case.")},
                        "bindingVersion": KAFKA_BINDING_VERSION}},
                },
            },
        },
    }


# Topics keyed otherwise than by case id, and publishers that are not an outbox relay.
_KEYED_BY = {"petitions.early-warning.events": "`district|kind|key` (a warning spans cases)"}
_PUBLISHED_BY = {"early-warning": (
    "The early-warning worker (faust) publishes each warning at least once, under an id "
    "derived from its district, kind, key and window: a repeat has the same id and "
    "subscribers deduplicate by CloudEvent id.")}


def _kafka_channel_binding(topic: str) -> dict[str, Any]:
    binding: dict[str, Any] = {"topic": topic}
    spec = next((t for t in TOPICS if t.name == topic), None)
    if spec is not None:
        if spec.partitions is not None:
            binding["partitions"] = spec.partitions
        configuration: dict[str, Any] = {}
        if "cleanup.policy" in spec.configs:
            configuration["cleanup.policy"] = spec.configs["cleanup.policy"].split(",")
        if "retention.ms" in spec.configs:
            configuration["retention.ms"] = int(spec.configs["retention.ms"])
        if configuration:
            binding["topicConfiguration"] = configuration
    binding["bindingVersion"] = KAFKA_BINDING_VERSION
    return binding


def _message(entry: PublishedEvent) -> dict[str, Any]:
    wire_type = entry.wire_type
    doc = (entry.event.__doc__ or "").strip()
    described = f"{doc}\n\n" if doc else ""
    withheld = (f" Withheld personal fields: {', '.join(sorted(entry.personal_fields))}."
                if entry.personal_fields else "")
    return {
        "name": wire_type,
        "title": entry.event.__name__,
        "summary": f"{wire_type}, published by {entry.service} on {entry.topic}.",
        "description": f"{described}`data` is described by {schema_uri(wire_type)}.{withheld}",
        "traits": [{"$ref": "#/components/messageTraits/cloudEvent"}],
        "payload": {
            "allOf": [
                {"$ref": f"#/components/schemas/{ENVELOPE}"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": wire_type},
                        "source": {"const": f"urn:petition:{entry.service}"},
                        "dataschema": {"const": schema_uri(wire_type)},
                        "data": {"$ref": f"./{SCHEMAS_DIR}/{schema_file_name(wire_type)}"},
                    },
                },
            ],
        },
    }


def render_yaml(document: dict[str, Any]) -> str:
    """Deterministic YAML: the document's own (sorted, built-in) key order, no aliases."""
    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    text: str = yaml.dump(document, Dumper=_NoAliases, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=100)
    return "# Generated by `python -m casebus.contracts write`. Do not edit.\n" + text
