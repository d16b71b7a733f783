"""Accountability's composition root: clocks kept from intake's and routing's events, the
deadline watcher that warns and breaches them, the district calendars, case records and the
continuous assessment of responsibility letters (breaches, reviews), spot checks, HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import asyncpg
from fastapi import FastAPI

from casebus import calendars
from casebus.calendars import CalendarBook
from casebus.clock import Clock, clock_from
from casebus.consumer import InboxConsumer
from casebus.domain.calendar_corrections import CalendarDayCorrected
from casebus.domain.clock_events import CLOCK_EVENTS
from casebus.domain.deadlines import DEFAULT_WARN_WORKING_DAYS, DeadlinePolicy
from casebus.domain.events import EventRegistry
from casebus.domain.rates import DEFAULT_BASICALLY_SATISFIED_WEIGHT
from casebus.http import create_app
from casebus.repository import EventSourcedRepository
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.accountability.adapters import case_records, clock_index, ledger_index, letter_index
from services.accountability.domain import breach, responsibility_letter, spot_check
from services.accountability.domain.key_case_ledger import KEY_CASE_EVENTS
from services.accountability.service_layer.case_pages import CasePages
from services.accountability.service_layer.case_record_reactions import (
    CaseRecordReactions,
    composed,
)
from services.accountability.service_layer.clock_keeping import ClockKeeping
from services.accountability.service_layer.deadline_watcher import DeadlineWatcher
from services.accountability.service_layer.intake_reactions import IntakeReactions
from services.accountability.service_layer.ledger_keeping import (
    KeyCaseLedger,
    LedgerKeeping,
    Thresholds,
    thresholds_from,
)
from services.accountability.service_layer.ledger_reactions import LedgerReactions
from services.accountability.service_layer.ledger_sweep import KeyCaseSweep
from services.accountability.service_layer.letter_desk import LetterDesk
from services.accountability.service_layer.letter_evaluation import LetterEvaluation
from services.accountability.service_layer.routing_reactions import RoutingReactions

LEADING_GROUP_EVENTS = (
    responsibility_letter.ResponsibilityLetterSigned,
    responsibility_letter.ResponsibilityLetterAmended,
    responsibility_letter.ResponsibilityLetterRevoked, breach.BreachRecorded,
    breach.AccountabilityReviewOpened, breach.AccountabilityReviewConcluded,
    spot_check.SpotCheckDrawn, spot_check.SpotCheckFindingRecorded)


@dataclass
class Accountability:
    pool: asyncpg.Pool
    keeping: ClockKeeping
    clock: Clock  # the service's time (simulated in the embedded profile and tests)


@dataclass
class LeadingGroup:
    """Letters, breaches and their reviews, spot checks: one repository for their streams."""

    pool: asyncpg.Pool
    repository: EventSourcedRepository
    evaluation: LetterEvaluation
    desk: LetterDesk
    clock: Clock


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings(service="accountability")
    settings = settings.model_copy(update={"service": "accountability"})
    runtime = ServiceRuntime(settings, extra_ddl=(calendars.DDL, clock_index.DDL,
                                                  case_records.DDL, letter_index.DDL,
                                                  ledger_index.DDL))
    service_clock = clock or clock_from(settings.simulated_clock_file)

    def wire(app: FastAPI, runtime: ServiceRuntime) -> None:
        pool, store = runtime.database
        topic = events_topic("accountability")
        book = CalendarBook(pool)
        keeping = ClockKeeping(EventSourcedRepository(
            store, EventRegistry(*CLOCK_EVENTS), source="accountability", topic=topic), book,
            policies=lambda district: DeadlinePolicy(district, warn_working_days=(
                settings.warn_working_days.get(district, DEFAULT_WARN_WORKING_DAYS))))
        app.state.accountability = Accountability(pool, keeping, service_clock)
        app.state.calendar_book = book
        app.state.calendar_repository = EventSourcedRepository(
            store, EventRegistry(CalendarDayCorrected), source="accountability", topic=topic)
        leading = EventSourcedRepository(store, EventRegistry(*LEADING_GROUP_EVENTS),
                                         source="accountability", topic=topic)
        evaluation = LetterEvaluation(leading, service_clock, lambda district: Fraction(
            settings.basically_satisfied_weight.get(district, DEFAULT_BASICALLY_SATISFIED_WEIGHT)))
        app.state.leading_group = LeadingGroup(pool, leading, evaluation,
                                               LetterDesk(leading, evaluation), service_clock)
        clock_reactions = {**IntakeReactions(keeping).handlers,
                           **RoutingReactions(keeping).handlers}
        clock_handlers = {**clock_reactions, **book.handlers}
        # Case records and letter assessment run after the clock reactions of the same event.
        handlers = composed(clock_handlers, CaseRecordReactions(evaluation).handlers)
        # The key-case ledger runs last, on case records already folded.
        ledger = LedgerKeeping(EventSourcedRepository(
            store, EventRegistry(*KEY_CASE_EVENTS), source="accountability", topic=topic),
            thresholds_from(settings.key_case_open_days, settings.key_case_petitions))
        app.state.key_case_ledger = KeyCaseLedger(pool, ledger, service_clock)
        handlers = composed(handlers, LedgerReactions(ledger).handlers)
        # Its own topic too: the calendar corrections it publishes (recorded again: idempotent).
        # A page's cases are locked and read at once, then its events handled in order.
        pages = CasePages(keeping, handlers, set(clock_reactions))
        runtime.consumers.append(InboxConsumer(
            "accountability", [events_topic(s) for s in ("intake", "routing", "accountability")],
            handlers, pool, settings, page_handler=pages.apply))
        watcher = DeadlineWatcher(pool, keeping, service_clock,
                                  settings.scheduler_interval_seconds)
        runtime.workers.append(("deadline-watcher", watcher.run))
        sweep = KeyCaseSweep(pool, ledger, service_clock, settings.key_case_sweep_seconds,
                             min([Thresholds().open_days, *settings.key_case_open_days.values()]))
        runtime.workers.append(("key-case-sweep", sweep.run))

    from services.accountability.entrypoints import (
        calendar,
        http,
        ledger_leader_routes,
        ledger_routes,
        letter_routes,
        review_routes,
        spot_check_routes,
    )

    app = create_app(settings, runtime, "Petition accountability", runtime.lifespan(wire))
    app.include_router(http.router)
    app.include_router(calendar.router)
    for routes in (letter_routes, review_routes, spot_check_routes, ledger_routes,
                   ledger_leader_routes):
        app.include_router(routes.router)
    return app
