from casebus.serve import serve
from services.accountability.bootstrap import build_app

serve("accountability", build_app)
