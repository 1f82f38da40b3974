import subprocess
import sys


def test_importing_matcher_loads_no_web_or_database_layer():
    code = (
        "import sys, matcher, matcher.cli, matcher.evaluation, matcher.baselines; "
        "print(sorted(m for m in ('flask', 'marshmallow', 'sqlalchemy', 'service') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
