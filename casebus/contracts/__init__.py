"""Public event contracts: a JSON Schema per published event type and an AsyncAPI document.

They are generated from the code (``python -m casebus.contracts write``), checked in under
``contracts/``, and checked in CI (``python -m casebus.contracts check``): the checked-in files
must equal what the code generates, and every current schema must be backward compatible with
the checked-in one (a breaking change needs a new event version, i.e. a new wire type).

This package is a build tool. ``catalogue`` imports the services' domain modules to collect
their events; nothing in the platform modules of ``casebus`` imports this package.
"""
