from casebus.serve import serve
from services.intake.bootstrap import build_app

serve("intake", build_app)
