"""The regression corpus of issue 12: every input that once broke lupuscart, as a test.

Command-line cases run the installed ``lupuscart`` script and hold it to one bar (``_cli.assert_refused``): exit
status 2, nothing on standard output, one short paragraph on standard error naming the field, no traceback,
nothing partial written and earlier outputs intact. Defect (issue 12) → module:

1. YAML ``2e0`` read as text, a trial of erroring patients exiting 0 → ``test_config_files``, ``test_trial_run``
2. two runs racing on one checkpoint, foreign chunks accepted → ``test_checkpoint_store``
3. manifest ``n_chunks``/``chunk_size`` and record ``rows`` not covered by checksums → ``test_checkpoint_store``
4. non-atomic ``trial --out``, ``export sbml``, ``simulate --out`` → ``test_outputs``
5. a row of only commas crashing ``score`` and shifting line numbers → ``test_scorer``, ``test_fuzz_scorer``
6. YAML bombs, 20,000 nesting levels, huge values echoed → ``test_config_files``, ``test_fuzz_config``
7. OS errors as tracebacks, ``--out`` unwritable found after the trial → ``test_outputs``, ``test_config_files``
8. overrides inside the bounds hanging or crashing the solver → ``test_solver_bounds``
9. ``small_trial.draws: 1000000`` MemoryError → ``test_trial_run``
10. dashboard HTTP 500s, path probing, DNS rebinding, missing security headers → ``test_dashboard`` (and the
    Content Security Policy in headless Chromium: ``tests/app/test_browser.py``)
11. duplicate keys, caps bypassed, visit days past follow-up, duplicate visits, formula injection, ``--out`` onto
    the input, 100k-column headers, ``--scheduler 'not a url'``, SIGTERM scratch folders → ``test_config_files``,
    ``test_trial_run``, ``test_scorer``, ``test_checkpoint_store``
"""
