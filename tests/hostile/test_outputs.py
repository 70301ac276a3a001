"""Outputs that fail (issue 12, defects 4 and 7): a full disk, an unwritable place, a file where a folder
belongs. Nothing partial is written, earlier outputs stay intact, and the refusal comes before the simulation."""

from __future__ import annotations

import errno
import time
from pathlib import Path

import pytest

from lupuscart._atomic import atomic_directory, atomic_file
from lupuscart.cli._errors import describe
from lupuscart.exceptions import OutputError, SolverError

from ._cli import assert_refused, leftovers, lupuscart, tree
from ._trial import write_config

#: Bytes a process may write per file in the "full disk" runs: enough for small files, not for the outputs.
FULL_AT = 30_000


def _earlier(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    (folder / "report.html").write_text("<p>the earlier run</p>")
    (folder / "patients.csv").write_text("earlier,table\n")
    (folder / "notes.txt").write_text("my notes")
    return tree(folder)


# -- defect 4: a full disk leaves the earlier outputs as they were ---------------------------------------------


def test_trial_out_on_a_full_disk_keeps_the_earlier_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    before = _earlier(out)
    result = lupuscart(  # the checkpoint chunks (~70 kB) fit, the report (~700 kB) does not
        "trial", "--config", write_config(tmp_path), "--patients", "2", "--out", out, file_size_limit=400_000
    )
    assert_refused(result, str(out), "unchanged")
    assert tree(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["sbml", "antimony"])
def test_export_on_a_full_disk_keeps_the_earlier_file(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "model.txt"
    target.write_text("earlier model")
    assert_refused(lupuscart("export", kind, target, file_size_limit=FULL_AT), str(target), "unchanged")
    assert target.read_text() == "earlier model"
    assert leftovers(tmp_path) == []


def test_simulate_out_on_a_full_disk_leaves_no_partial_folder(tmp_path: Path) -> None:
    out = tmp_path / "patient"
    result = lupuscart("simulate", "--days", "60", "--out", out, file_size_limit=FULL_AT)
    assert_refused(result, str(out), "nothing was written")
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_simulate_out_replaces_files_only_when_all_are_written(tmp_path: Path) -> None:
    out = tmp_path / "patient"
    done = lupuscart("simulate", "--days", "60", "--out", out)
    assert done.returncode == 0, done.stderr
    first = tree(out)
    assert {"timecourse.csv", "events.csv", "visits.csv", "summary.json", "parameters.json", "patient.png"} <= set(
        first
    )
    (out / "notes.txt").write_text("mine")
    result = lupuscart("simulate", "--days", "61", "--out", out, file_size_limit=FULL_AT)
    assert_refused(result, "unchanged")
    assert tree(out) == first | {"notes.txt": b"mine"}


def test_a_successful_rerun_replaces_outputs_and_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _earlier(out)
    done = lupuscart("trial", "--config", write_config(tmp_path), "--patients", "1", "--out", out)
    assert done.returncode == 0, done.stderr
    assert (out / "notes.txt").read_text() == "my notes"
    assert "earlier" not in (out / "report.html").read_text()
    assert (out / "figures" / "km.png").is_file()
    assert leftovers(tmp_path) == []


# -- defect 7: unwritable places fail at once, before the simulation ---------------------------------------------


@pytest.mark.parametrize("command", ["trial", "simulate"])
def test_out_under_a_file_fails_before_simulating(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    args = ["--patients", "100000"] if command == "trial" else []
    start = time.monotonic()
    result = lupuscart(command, *args, "--out", blocker / "out")
    assert time.monotonic() - start < 60  # 100,000 patients would take hours
    assert_refused(result, str(blocker))
    assert blocker.read_text() == "x"


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs Linux /sys (not writable, even for root)")
def test_out_in_an_unwritable_place_fails_before_simulating(tmp_path: Path) -> None:
    start = time.monotonic()
    result = lupuscart("trial", "--patients", "100000", "--out", "/sys/lupuscart-trial-out")
    assert time.monotonic() - start < 60
    assert_refused(result, "/sys/lupuscart-trial-out")


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep")
    assert_refused(lupuscart("simulate", "--out", target), str(target))
    assert_refused(lupuscart("trial", "--out", target), "--out")
    assert target.read_text() == "keep"


@pytest.mark.parametrize("kind", ["sbml", "antimony"])
def test_export_into_a_missing_folder_and_onto_a_folder(tmp_path: Path, kind: str) -> None:
    assert_refused(lupuscart("export", kind, tmp_path / "no" / "model.txt"), "does not exist")
    assert_refused(lupuscart("export", kind, tmp_path), "is a directory")


@pytest.mark.skipif(__import__("os").geteuid() == 0, reason="root ignores file permissions")
def test_permission_denied_is_named(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert_refused(lupuscart("export", "sbml", locked / "model.xml"), "Permission denied", str(locked / "model.xml"))


# -- one place maps errors to exit 2 (cli/_errors.describe) -------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (PermissionError(errno.EACCES, "Permission denied", "/x/y"), "permission denied: /x/y"),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "/x"), "/x is a folder"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "/f/x"), "part of this path is a file"),
        (FileExistsError(errno.EEXIST, "File exists", "/x"), "/x already exists"),
        (FileNotFoundError(errno.ENOENT, "No such file", "/x"), "not found: /x"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk full"),
        (OSError(errno.EFBIG, "File too large", "/x"), "disk full or file size limit"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "not UTF-8"),
        (RecursionError(), "nested too deeply"),
        (MemoryError(), "out of memory"),
        (SolverError("fast engine failed"), "could not be solved"),
        (OutputError("cannot write x"), "cannot write x"),
    ],
)
def test_every_os_error_is_exit_2_with_a_sentence(error: BaseException, words: str) -> None:
    known = describe(error)
    assert known is not None
    assert known[0] == 2
    assert words in known[1]


def test_a_bug_is_not_disguised_as_bad_input() -> None:
    assert describe(KeyError("x")) is None
    assert describe(ZeroDivisionError()) is None


def test_an_input_error_inside_an_output_block_is_not_blamed_on_the_output(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_file(tmp_path / "out.txt"):
        (tmp_path / "missing-input.csv").read_text()
    assert list(tmp_path.iterdir()) == []

    def full_disk() -> None:
        with atomic_directory(tmp_path / "out") as stage:
            (stage / "a.txt").write_text("x")
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match="cannot write"):
        full_disk()
    assert list(tmp_path.iterdir()) == []
