"""Run arguments are constrained once (lupuscart/_run_arguments.py): the CLI, run_trial and the Dask mapper refuse
the same values with the same wording, and the limits are the trial configuration's own."""

from __future__ import annotations

import pytest

from lupuscart.cli import main
from lupuscart.exceptions import InvalidInputError
from lupuscart.trial import RUN_ARGUMENTS, TrialConfig, check_run_arguments, dask_mapper, load_trial_config, run_trial

BAD = [
    ("patients", 0),
    ("patients", RUN_ARGUMENTS["patients"].high + 1),
    ("seed", -1),
    ("seed", RUN_ARGUMENTS["seed"].high + 1),
    ("workers", 0),
    ("workers", RUN_ARGUMENTS["workers"].high + 1),
    ("chunk_size", 0),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_run_trial_refuses_out_of_range_arguments(name: str, value: int) -> None:
    with pytest.raises(InvalidInputError, match=rf"The '{name}' argument of run_trial must be an integer in \["):
        run_trial(load_trial_config(), **{name: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_cli_refuses_the_same_values_naming_the_option(
    name: str, value: int, capsys: pytest.CaptureFixture[str]
) -> None:
    option = RUN_ARGUMENTS[name].option
    with pytest.raises(SystemExit) as exc:
        main(["trial", option, str(value)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"The '{option}' option must be an integer in [{RUN_ARGUMENTS[name].low}, {RUN_ARGUMENTS[name].high}]" in err
    assert f"Got {value} instead" in err


def test_dask_mapper_uses_the_same_constraint() -> None:
    with pytest.raises(InvalidInputError, match=r"The 'workers' argument of dask_mapper must be an integer in \[1, "):
        dask_mapper(None, 0)


def test_limits_are_the_configuration_limits() -> None:
    """A value the CLI accepts is one a configuration file accepts, and the reverse."""
    for name in ("patients", "seed"):
        r = RUN_ARGUMENTS[name]
        TrialConfig.model_validate({name: r.low})
        TrialConfig.model_validate({name: r.high})
        for outside in (r.low - 1, r.high + 1):
            with pytest.raises(ValueError, match=name):
                TrialConfig.model_validate({name: outside})


def test_booleans_and_non_integers_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="Got True instead"):
        check_run_arguments(patients=True)
    with pytest.raises(InvalidInputError, match=r"Got 2\.5 instead"):
        check_run_arguments(workers=2.5)
    with pytest.raises(TypeError, match="unknown run argument"):
        check_run_arguments(speed=3)
