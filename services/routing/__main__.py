from casebus.serve import serve
from services.routing.bootstrap import build_app

serve("routing", build_app)
