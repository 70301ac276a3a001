"""One vocabulary for visit tables: the simulator's observable names accepted where the scorer expects its own.

The scorer's columns (``proteinuria_g_per_24h``, ``c3_g_per_l``, ``patient_id``) are the names of the
:func:`~lupuscart.clinical.sledai2k` fields. ``timecourse.csv`` keeps its contracted names (``proteinuria_g_24h``,
``c3_g_l``, ...; architecture.md), and the trial tables once used ``patient``/``patient_index``; a visits table
built from any of them is read with each alias renamed to the scorer's name (a table with both an alias and its
scorer name is refused as a duplicate column).
"""

from __future__ import annotations

from collections.abc import Sequence

#: Alias -> the scorer's column name.
COLUMN_ALIASES: dict[str, str] = {
    "patient": "patient_id",
    "patient_index": "patient_id",
    "proteinuria_g_24h": "proteinuria_g_per_24h",
    "c3_g_l": "c3_g_per_l",
    "c3_lln_g_l": "c3_lln_g_per_l",
    "anti_dsdna_iu_ml": "anti_dsdna",
    "anti_dsdna_uln_iu_ml": "anti_dsdna_uln",
    "platelets_10e9_l": "platelets_10e9_per_l",
    "wbc_10e9_l": "wbc_10e9_per_l",
}


def canonical_columns(names: Sequence[object]) -> list[str]:
    """The column names with every alias replaced by the scorer's name.

    >>> canonical_columns(["patient", "day", "c3_g_l", "rash"])
    ['patient_id', 'day', 'c3_g_per_l', 'rash']
    """
    return [COLUMN_ALIASES.get(str(n), str(n)) for n in names]
