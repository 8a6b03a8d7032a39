"""The soak (benchmarks/soak.py) in short: half a minute of mixed jobs under toxiproxy's cycle of
faults, so CI runs the same checks as the published 10-minute run (`make soak`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from testkit.processes import ROOT


def test_a_short_soak_loses_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.soak", "--minutes", "0.4", "--out-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((tmp_path / "soak.json").read_text())
    assert result["tool"] == "toxiproxy"
    assert result["jobs"] > 50 and result["completed"] == result["jobs"]
    assert (result["lost"], result["duplicated"], result["incomplete_uploads"]) == (0, 0, 0)
    assert result["failures"] == []
    assert (tmp_path / "soak-jobs.png").stat().st_size > 0 and (tmp_path / "soak-resources.png").stat().st_size > 0
