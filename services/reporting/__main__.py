from casebus.serve import serve
from services.reporting.bootstrap import build_app

serve("reporting", build_app)
