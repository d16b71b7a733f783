"""Backward compatibility of a new JSON Schema for a wire type with the one already published.

A published wire type is a promise to subscribers. Its schema may evolve only by adding
optional properties (and, for enums, by adding values); anything else needs a new version, i.e.
a new wire type. Since every accepted change is compatible with the schema before it and these
changes compose, checking each change against the checked-in schema keeps the whole history
compatible (backward-transitive).

Breaking, each reported as ``"<wire type>: <json path>: <why>"``:

- a property removed;
- a new property that is required, or an optional property made required;
- a type changed, widened or narrowed (``string`` to ``integer``, a field made nullable or no
  longer nullable, an alternative of a union added or removed), or a ``format`` changed;
- enum values removed, a ``const`` changed, or a value newly restricted to an enum or const;
- narrowed constraints: a higher ``minimum``/``minLength``/``minItems``/``minProperties``, a lower
  ``maximum``/``maxLength``/``maxItems``/``maxProperties``, a new or changed ``pattern`` or
  ``multipleOf``, ``uniqueItems`` newly required, additional properties no longer allowed.

Not breaking: documentation (``title``, ``description``, ``examples``, ``x-*``), ``default``,
new optional properties, new enum values, widened constraints. ``$ref`` is followed into each
schema's own ``$defs``, so a change inside a nested model or enum is found wherever it is used;
paths name the data (``$.finding.rate``, ``$.case_ids[*]``, ``$.minimum_percent.*``), not the
definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonSchema = dict[str, Any]

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


def breaking_changes(wire_type: str, old: JsonSchema, new: JsonSchema) -> list[str]:
    """Why ``new`` cannot replace ``old`` for ``wire_type``; empty when it is compatible."""
    walk = _Walk(old_root=old, new_root=new)
    walk.compare(old, new, "$")
    return [f"{wire_type}: {path}: {why}" for path, why in walk.reasons]


def is_compatible(old: JsonSchema, new: JsonSchema) -> bool:
    return not breaking_changes("", old, new)


@dataclass
class _Walk:
    old_root: JsonSchema
    new_root: JsonSchema
    reasons: list[tuple[str, str]] = field(default_factory=list)
    _active: set[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=set)

    def breaks(self, path: str, why: str) -> None:
        self.reasons.append((path, why))

    # --- references and unions -------------------------------------------------------------

    def compare(self, old: Any, new: Any, path: str) -> None:
        old_alts = _alternatives(self.old_root, old)
        new_alts = _alternatives(self.new_root, new)
        if len(old_alts) == 1 and len(new_alts) == 1:
            self._compare_alternative(old_alts[0], new_alts[0], path)
            return
        # Pair alternatives by kind (type, or enum/const); an unpaired one changes the type.
        old_by_kind: dict[str, list[_Alt]] = {}
        for alt in old_alts:
            old_by_kind.setdefault(_kind(alt.schema), []).append(alt)
        new_by_kind: dict[str, list[_Alt]] = {}
        for alt in new_alts:
            new_by_kind.setdefault(_kind(alt.schema), []).append(alt)
        before, after = _describe(old_alts), _describe(new_alts)
        for kind, olds in old_by_kind.items():
            news = new_by_kind.get(kind, [])
            for i, old_alt in enumerate(olds):
                if i < len(news):
                    self._compare_alternative(old_alt, news[i], path)
                else:
                    self.breaks(path, f"type changed from {before} to {after} "
                                      f"(no longer accepts {kind})")
        for kind, news in new_by_kind.items():
            if len(news) > len(old_by_kind.get(kind, [])):
                self.breaks(path, f"type changed from {before} to {after} (now also {kind})")

    def _compare_alternative(self, old: _Alt, new: _Alt, path: str) -> None:
        pair = (old.refs, new.refs)
        if old.refs and new.refs:
            if pair in self._active:  # a recursive model: this pair is being compared already
                return
            self._active.add(pair)
        try:
            if new.schema is False:
                if old.schema is not False:
                    self.breaks(path, "no value is allowed any more")
            elif old.schema is not False:
                self._compare_one(old.schema, new.schema, path)
        finally:
            self._active.discard(pair)

    # --- one alternative against another ---------------------------------------------------

    def _compare_one(self, old: JsonSchema, new: JsonSchema, path: str) -> None:
        old_kind, new_kind = _kind(old), _kind(new)
        if old_kind != new_kind:
            self.breaks(path, f"type changed from {old_kind} to {new_kind}")
            return
        if old.get("format") != new.get("format"):
            self.breaks(path, f"format changed from {old.get('format')!r} "
                              f"to {new.get('format')!r}")
        self._compare_values(old, new, path)
        self._compare_bounds(old, new, path)
        if old_kind == "object":
            self._compare_objects(old, new, path)
        if old_kind == "array":
            self._compare_arrays(old, new, path)

    def _compare_values(self, old: JsonSchema, new: JsonSchema, path: str) -> None:
        old_values = _allowed_values(old)
        new_values = _allowed_values(new)
        if new_values is None:
            return
        if old_values is None:
            self.breaks(path, f"now restricted to {_show(new_values)}")
            return
        removed = [v for v in old_values if v not in new_values]
        if removed:
            self.breaks(path, f"enum values removed: {_show(removed)}")

    def _compare_bounds(self, old: JsonSchema, new: JsonSchema, path: str) -> None:
        for keyword in _LOWER_BOUNDS:
            if keyword in new and (keyword not in old or new[keyword] > old[keyword]):
                self.breaks(path, f"constraint narrowed: {keyword} {old.get(keyword, 'unset')} "
                                  f"-> {new[keyword]}")
        for keyword in _UPPER_BOUNDS:
            if keyword in new and (keyword not in old or new[keyword] < old[keyword]):
                self.breaks(path, f"constraint narrowed: {keyword} {old.get(keyword, 'unset')} "
                                  f"-> {new[keyword]}")
        if "pattern" in new and new["pattern"] != old.get("pattern"):
            self.breaks(path, f"pattern changed from {old.get('pattern')!r} "
                              f"to {new['pattern']!r}")
        if "multipleOf" in new and (
                "multipleOf" not in old or old["multipleOf"] % new["multipleOf"] != 0):
            self.breaks(path, f"constraint narrowed: multipleOf {old.get('multipleOf', 'unset')} "
                              f"-> {new['multipleOf']}")
        if new.get("uniqueItems") and not old.get("uniqueItems"):
            self.breaks(path, "items must now be unique")

    def _compare_objects(self, old: JsonSchema, new: JsonSchema, path: str) -> None:
        old_props: dict[str, Any] = old.get("properties", {})
        new_props: dict[str, Any] = new.get("properties", {})
        old_required = set(old.get("required", []))
        new_required = set(new.get("required", []))
        for name, old_prop in old_props.items():
            where = _child(path, name)
            if name not in new_props:
                self.breaks(where, "property removed")
                continue
            if name in new_required and name not in old_required:
                self.breaks(where, "optional property became required")
            self.compare(old_prop, new_props[name], where)
        for name in new_props.keys() - old_props.keys():
            if name in new_required:
                self.breaks(_child(path, name), "new required property")
        for name in sorted(new_required - old_required - new_props.keys()):
            self.breaks(_child(path, name), "new required property")
        old_extra = old.get("additionalProperties", True)
        new_extra = new.get("additionalProperties", True)
        if new_extra is False and old_extra is not False:
            self.breaks(path, "additional properties are no longer allowed")
        elif old_extra is not False and not (new_extra is True or new_extra == {}):
            self.compare(old_extra, new_extra, f"{path}.*")
        if "propertyNames" in new:
            self.compare(old.get("propertyNames", {}), new["propertyNames"], f"{path} (keys)")

    def _compare_arrays(self, old: JsonSchema, new: JsonSchema, path: str) -> None:
        old_prefix: list[Any] = old.get("prefixItems", [])
        new_prefix: list[Any] = new.get("prefixItems", [])
        for i, new_item in enumerate(new_prefix):
            old_item = old_prefix[i] if i < len(old_prefix) else old.get("items", {})
            self.compare(old_item, new_item, f"{path}[{i}]")
        for i in range(len(new_prefix), len(old_prefix)):
            self.compare(old_prefix[i], new.get("items", {}), f"{path}[{i}]")
        if "items" in new:
            self.compare(old.get("items", {}), new["items"], f"{path}[*]")


def _resolve(root: JsonSchema, schema: Any) -> tuple[Any, tuple[str, ...]]:
    """Follow local ``$ref``s (``#/$defs/Name``, any JSON pointer into ``root``)."""
    refs: tuple[str, ...] = ()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if ref in refs:
            raise ValueError(f"circular $ref {ref}")
        refs += (ref,)
        target = _pointer(root, ref)
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings} if isinstance(target, dict) and siblings else target
    return schema, refs


def _pointer(root: JsonSchema, ref: str) -> Any:
    if not ref.startswith("#"):
        raise ValueError(f"only local $ref is supported, not {ref}")
    node: Any = root
    for part in ref[1:].split("/")[1:] if ref != "#" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise ValueError(f"unresolvable $ref {ref}")
        node = node[part]
    return node


@dataclass(frozen=True)
class _Alt:
    """One alternative of a schema, resolved, with the ``$ref``s followed to reach it."""

    schema: Any  # a dict, or False (nothing) ; True is normalised to {}
    refs: tuple[str, ...] = ()


def _alternatives(root: JsonSchema, schema: Any, refs: tuple[str, ...] = ()) -> list[_Alt]:
    """A schema as the alternatives it accepts (``anyOf``, ``oneOf``, a list of types)."""
    schema, followed = _resolve(root, schema)
    refs = refs + followed
    if schema is True:
        return [_Alt({}, refs)]
    if not isinstance(schema, dict):
        return [_Alt(schema, refs)]
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            rest = {k: v for k, v in schema.items() if k not in (keyword, "title", "default",
                                                                   "description")}
            alts: list[_Alt] = []
            for alt in schema[keyword]:
                alts.extend(_alternatives(root, {**rest, **alt} if rest else alt, refs))
            return alts
    if "allOf" in schema and len(schema["allOf"]) == 1:
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        inner, more = _resolve(root, schema["allOf"][0])
        return _alternatives(root, {**inner, **rest}, refs + more)
    if isinstance(schema.get("type"), list):
        return [_Alt({**schema, "type": t}, refs) for t in schema["type"]]
    return [_Alt(schema, refs)]


def _kind(schema: JsonSchema) -> str:
    """The JSON type an alternative accepts; ``any`` when it names none."""
    if "type" in schema:
        return str(schema["type"])
    if "const" in schema:
        return _json_type(schema["const"])
    if "enum" in schema:
        types = sorted({_json_type(v) for v in schema["enum"]})
        return types[0] if len(types) == 1 else "|".join(types)
    if "properties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return "any"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _allowed_values(schema: JsonSchema) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    return None


def _describe(alts: list[_Alt]) -> str:
    return "|".join(_kind(a.schema) for a in alts)


def _show(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _child(path: str, name: str) -> str:
    simple = name.replace("_", "").replace("-", "").isalnum()
    return f"{path}.{name}" if simple else f"{path}[{name!r}]"
