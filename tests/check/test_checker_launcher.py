from __future__ import annotations

import shutil
import subprocess

from checker_support import REPO


def test_launcher_runs_the_cli(tmp_path):
    done = subprocess.run(
        [str(REPO / "tools" / "check-snippets"), "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "--changed-since" in done.stdout


def test_launcher_without_environment_says_what_to_run(tmp_path):
    (tmp_path / "tools").mkdir()
    shutil.copy(REPO / "tools" / "check-snippets", tmp_path / "tools" / "check-snippets")
    done = subprocess.run([str(tmp_path / "tools" / "check-snippets")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "make test" in done.stderr
