"""What every reporting route depends on: the service's parts, the caller, paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from casebus.access import CASE_READERS, EVERY_CASE_ROLE, Principal, Role, require_roles
from casebus.http import app_state
from casebus.paging import Page as Page
from casebus.paging import Paging as Paging
from services.reporting.bootstrap import Reporting

Service = Annotated[Reporting, Depends(app_state("reporting"))]
CaseReader = Annotated[Principal, Depends(require_roles(*CASE_READERS))]
AnyCaseRole = Annotated[Principal, Depends(require_roles(*EVERY_CASE_ROLE))]
UnitHandler = Annotated[Principal, Depends(require_roles(Role.UNIT_HANDLER))]
