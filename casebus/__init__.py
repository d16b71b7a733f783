"""casebus: what every petition service needs, and nothing service-specific.

- ``casebus.domain``: pure building blocks (event base, errors, calendar, clocks, rates).
- the rest: the platform (envelope, event store, outbox relay, inbox consumer, settings,
  access, embedded stack). The domain never imports the platform.
"""
