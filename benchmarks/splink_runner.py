"""Splink (DuckDB backend) configured as in Splink's own tutorials and demos, for comparison.

Each ``run_*`` function trains a Splink model without labels, predicts pairs and clusters them,
returning ``{record id: cluster id}`` per clustering threshold. The configurations follow the
Splink documentation:

- FEBRL3: the "febrl3" DuckDB example (blocking on soc_sec_id, given_name, surname,
  date_of_birth, postcode; NameComparison, DateOfBirthComparison, DamerauLevenshtein on
  soc_sec_id, exact street_number and postcode with term frequencies; deterministic rules with
  recall 0.9; u from 1e6 random pairs, seed 2; EM blocked on date_of_birth then postcode;
  predictions above 0.2).
- FEBRL4: the "febrl4" DuckDB example's detailed model (link_only; deterministic rules with
  recall 0.8; EM on date_of_birth and postcode without term frequencies; clusters at 0.99).
- splink fake_20000 (same columns as the tutorial's fake_1000): the tutorial's model
  (NameComparison on first_name and surname, Levenshtein on dob, exact city with term
  frequencies, EmailComparison; blocking on first_name + city and on surname; deterministic
  rules with recall 0.7; u from 2e6 pairs; EM on first_name + surname, then dob).
- Historical people (``historical_50k``): the "deduplicate_50k_synthetic" DuckDB example
  (ForenameSurnameComparison on first_name and surname with their concatenation for term
  frequencies, DateOfBirthComparison, PostcodeComparison on postcode_fake, exact birth_place
  and occupation with term frequencies; ten blocking rules on name prefixes, dob, postcode
  and its first three characters, birth_place; deterministic rules with recall 0.6; u from
  1e7 random pairs; EM on first_name + surname, then dob, without term frequencies; clusters
  at 0.95). Predictions are kept above 0.2 (the example keeps all), which changes no cluster
  at the thresholds used.
- People register (``generate_register.py``): the 50k example's recipe applied to the
  register's columns: NameComparison on first, middle and last name (term frequencies on
  first and last), exact suffix, DateOfBirthComparison, Damerau-Levenshtein on postcode
  (term frequencies; one location comparison, as in the 50k example), Jaro-Winkler on
  employer (term frequencies); blocking on name prefixes,
  name + dob, postcode + name, street + surname, dob + postcode, name prefixes + birth year;
  deterministic rules with recall 0.7; u from 1e7 pairs; EM on first + last name, then dob.
- Generated CRM contacts: the same recipe applied to the contact columns (names, e-mail,
  phone, company, city, postcode, date of birth), after the light cleaning the tutorials do
  (trim and lower-case text, digits only in phone numbers).
- Simple contacts (``bench_speed.py``): the fake_1000 tutorial's model on first name,
  surname, dob, city and email, plus the phone (see ``run_simple``).

Unless a demo says otherwise, clusters use the tutorials' threshold match probability 0.95.
Splink is a benchmark-only dependency: ``pip install splink``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SplinkRun",
    "run_fake",
    "run_febrl3",
    "run_febrl4",
    "run_generated",
    "run_historical",
    "run_register",
    "run_simple",
]


@dataclass
class SplinkRun:
    """Clusters at the chosen threshold and at a few others, plus run facts."""

    clusters: dict[Any, Any]
    threshold: float
    seconds: float
    n_pairs: int
    sweep: dict[float, dict[Any, Any]] = field(default_factory=dict)


def _to_arrow(frame: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def _cluster_at(linker: Any, predictions: Any, id_column: str, t: float) -> dict[Any, Any]:
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=t
    )
    rows = clusters.as_duckdbpyrelation().select(f'"{id_column}", cluster_id').fetchall()
    return dict(rows)


def _finish(
    linker: Any,
    predictions: Any,
    id_column: str,
    threshold: float,
    start: float,
    sweep: Sequence[float],
) -> SplinkRun:
    clusters = _cluster_at(linker, predictions, id_column, threshold)
    seconds = time.perf_counter() - start
    n_pairs = predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0]
    result = SplinkRun(clusters, threshold, seconds, int(n_pairs))
    for t in sweep:
        if t != threshold:
            result.sweep[t] = _cluster_at(linker, predictions, id_column, t)
    return result


def run_febrl3(frame: Any, *, threshold: float = 0.95,
               sweep: Sequence[float] = ()) -> SplinkRun:
    """FEBRL3 deduplication as in Splink's febrl3 example. ``frame`` has a ``rec_id`` column."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    data = frame.copy()
    for col in data.columns:
        data[col] = data[col].astype("string").str.strip()
    start = time.perf_counter()
    db_api = DuckDBAPI()
    df_sdf = db_api.register(_to_arrow(data))
    blocking_rules = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(df_sdf, settings)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    return _finish(linker, predictions, "rec_id", threshold, start, sweep)


def run_febrl4(frame_a: Any, frame_b: Any, *, threshold: float = 0.99,
               sweep: Sequence[float] = ()) -> SplinkRun:
    """FEBRL4 linking as in Splink's febrl4 example (detailed model)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    frames = []
    for frame in (frame_a, frame_b):
        data = frame.copy()
        for col in data.columns:
            data[col] = data[col].astype("string").str.strip()
        frames.append(data)
    start = time.perf_counter()
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d", invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    sdfs = [db_api.register(_to_arrow(f)) for f in frames]
    linker = Linker(sdfs, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")],
        recall=0.8,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    return _finish(linker, predictions, "rec_id", threshold, start, sweep)


def run_fake(frame: Any, *, threshold: float = 0.5, sweep: Sequence[float] = ()) -> SplinkRun:
    """Splink's fake_1000 / fake_20000 people with the model of Splink's labelled-data example.

    That example ("accuracy analysis from labels column", on fake_1000) is the one Splink
    publishes for measuring accuracy on this data; it reads F1 at threshold 0.5.
    """
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    data = frame.copy()
    data["dob"] = pd.to_datetime(data["dob"], errors="coerce").dt.date
    start = time.perf_counter()
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("surname"),
            block_on("dob"),
            block_on("email"),
        ],
        comparisons=[
            cl.ForenameSurnameComparison("first_name", "surname"),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(_to_arrow(data)), settings)
    linker.training.estimate_probability_two_random_records_match(
        [
            "l.first_name = r.first_name and levenshtein(r.dob::VARCHAR, l.dob::VARCHAR) <= 1",
            "l.surname = r.surname and levenshtein(r.dob::VARCHAR, l.dob::VARCHAR) <= 1",
            "l.first_name = r.first_name and levenshtein(r.surname, l.surname) <= 2",
            "l.email = r.email",
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=5)
    for rule in (block_on("dob"), block_on("email"), block_on("first_name", "surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    return _finish(linker, predictions, "unique_id", threshold, start, sweep)


#: Generated contact columns -> the snake_case names used in the Splink model.
GENERATED_COLUMNS = {
    "record_id": "unique_id",
    "First Name": "first_name",
    "Last Name": "surname",
    "Email": "email",
    "Phone Number": "phone",
    "Company Name": "company",
    "Street Address": "street",
    "City": "city",
    "Postal Code": "postcode",
    "Date of Birth": "dob",
}


def _light_clean(
    frame: Any, columns: Mapping[str, str], special: Mapping[str, Callable[[Any], Any]]
) -> Any:
    """The tutorials' light cleaning: the columns renamed, text trimmed and in lower case (a
    column of ``special`` cleaned by its own function instead), empty text as null."""
    import pandas as pd

    data = pd.DataFrame({new: frame[old] for old, new in columns.items()})
    for col in data.columns:
        if col == "unique_id":
            continue
        values = data[col].astype("string").str.strip()
        values = special[col](values) if col in special else values.str.lower()
        data[col] = values.mask(values == "")
    return data


def _phone_without_extension(values: Any) -> Any:
    return values.str.replace(r"(?i)\s*(ext|x|доб|poste|ramal|durchwahl).*$", "",
                              regex=True).str.replace(r"\D", "", regex=True)  # fmt: skip


def _prepare_generated(frame: Any) -> Any:
    return _light_clean(frame, GENERATED_COLUMNS, {"phone": _phone_without_extension})


def run_generated(frame: Any, *, threshold: float = 0.95,
                  sweep: Sequence[float] = (), u_pairs: float = 1e7) -> SplinkRun:
    """Generated CRM contacts, with the tutorials' recipe applied to the contact columns."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    data = _prepare_generated(frame)
    start = time.perf_counter()
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
            cl.DamerauLevenshteinAtThresholds("phone", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("company", [0.9, 0.7]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True, invalid_dates_as_null=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone"),
            block_on("first_name", "surname"),
            "l.first_name = r.surname and l.surname = r.first_name",
            block_on("surname", "postcode"),
            block_on("first_name", "company"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(_to_arrow(data)), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("first_name", "surname", "phone")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email"))
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    return _finish(linker, predictions, "unique_id", threshold, start, sweep)


def run_historical(frame: Any, *, threshold: float = 0.95,
                   sweep: Sequence[float] = ()) -> SplinkRun:
    """Splink's historical_50k people with the model of its "deduplicate_50k_synthetic" example.

    ``frame`` has the table's columns (``unique_id``, ``first_name``, ``surname``, ``dob``,
    ``postcode_fake``, ``birth_place``, ``occupation``, ...), without ``cluster``.
    """
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    data = frame.copy()
    for col in data.columns:
        data[col] = data[col].astype("string")
    start = time.perf_counter()
    data["first_name_surname_concat"] = data["first_name"] + " " + data["surname"]
    blocking_rules = [
        block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode_fake", "first_name"),
        block_on("postcode_fake", "surname"),
        block_on("dob", "birth_place"),
        block_on("substr(postcode_fake,1,3)", "dob"),
        block_on("substr(postcode_fake,1,3)", "first_name"),
        block_on("substr(postcode_fake,1,3)", "surname"),
        block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name", "surname",
                forename_surname_concat_col_name="first_name_surname_concat",
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode_fake"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(_to_arrow(data)), settings)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            block_on("substr(first_name,1,2)", "surname", "substr(postcode_fake,1,2)"),
            block_on("dob", "postcode_fake"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    return _finish(linker, predictions, "unique_id", threshold, start, sweep)


#: Simple contact columns (``bench_speed.py``) -> the snake_case names of the Splink model.
SIMPLE_COLUMNS = {
    "Contact ID": "unique_id",
    "First Name": "first_name",
    "Surname": "surname",
    "Date of Birth": "dob",
    "City": "city",
    "Email": "email",
    "Phone": "phone",
}


def _north_american_digits(values: Any) -> Any:
    return values.str.replace(r"\D", "", regex=True).str.replace(r"^1(?=\d{10}$)", "",
                                                                  regex=True)  # fmt: skip


def _iso_dates(values: Any) -> Any:
    import pandas as pd

    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        parsed = parsed.fillna(pd.to_datetime(values, format=fmt, errors="coerce"))
    return parsed.dt.strftime("%Y-%m-%d").astype("string")


def _prepare_simple(frame: Any) -> Any:
    """The light cleaning of the tutorials: trimmed lower-case text, digits only in phone
    numbers (a leading North American ``1`` dropped), dates written ``YYYY-MM-DD``."""
    return _light_clean(frame, SIMPLE_COLUMNS,
                        {"phone": _north_american_digits, "dob": _iso_dates})  # fmt: skip


def run_simple(frame: Any, *, threshold: float = 0.95, sweep: Sequence[float] = ()) -> SplinkRun:
    """Simple contacts (first name, surname, dob, city, email, phone), as in the tutorials.

    The tutorials' fake_1000 model (NameComparison on each name with term frequencies,
    DateOfBirthComparison, exact city with term frequencies, EmailComparison) plus
    Damerau-Levenshtein on the phone; blocking on first name + surname, surname + dob,
    first name + dob, email and phone (the tutorials' single-name rules would make hundreds
    of millions of pairs at a million records); deterministic rules with recall 0.7; u from
    1e7 random pairs; EM on first name + surname, then dob; predictions above 0.2, clusters
    at 0.95. The timing covers the cleaning too.
    """
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    data = _prepare_simple(frame)
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True, invalid_dates_as_null=True),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
            cl.DamerauLevenshteinAtThresholds("phone", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("email"),
            block_on("phone"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(_to_arrow(data)), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    return _finish(linker, predictions, "unique_id", threshold, start, sweep)


#: Register columns -> the snake_case names used in the Splink model.
REGISTER_COLUMNS = {
    "record_id": "unique_id",
    "First Name": "first_name",
    "Middle Name": "middle_name",
    "Last Name": "surname",
    "Suffix": "suffix",
    "Date of Birth": "dob",
    "Street Address": "street",
    "Postal Code": "postcode",
    "City": "city",
    "Employer": "employer",
}


def _prepare_register(frame: Any) -> Any:
    import pandas as pd

    data = pd.DataFrame({new: frame[old] for old, new in REGISTER_COLUMNS.items()})
    for col in data.columns:
        if col != "unique_id":
            values = data[col].astype("string").str.strip().str.lower()
            data[col] = values.mask(values == "")
    return data


def _location_comparisons(location: str) -> list[Any]:
    """Where a person lives, as Splink comparisons.

    ``"postcode"`` (the default, as the 50k example compares one location column):
    Damerau-Levenshtein on the postcode with term frequencies. ``"address"``: one comparison
    with levels street and postcode, street similar and postcode, postcode, else.
    ``"columns"``: street (Jaro-Winkler), postcode and city as three comparisons.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    postcode = cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(
        term_frequency_adjustments=True
    )
    if location == "postcode":
        return [postcode]
    if location == "address":
        return [cl.CustomComparison(
            output_column_name="address",
            comparison_levels=[
                cll.And(cll.NullLevel("postcode"), cll.NullLevel("street")),
                cll.And(cll.ExactMatchLevel("street"), cll.ExactMatchLevel("postcode")),
                cll.And(cll.JaroWinklerLevel("street", 0.9), cll.ExactMatchLevel("postcode")),
                cll.ExactMatchLevel("postcode"),
                cll.ElseLevel(),
            ],
        )]
    if location == "columns":
        return [cl.JaroWinklerAtThresholds("street", [0.95, 0.88]), postcode,
                cl.ExactMatch("city").configure(term_frequency_adjustments=True)]
    raise ValueError(f"unknown location model {location!r}")


def run_register(frame: Any, *, threshold: float = 0.95, sweep: Sequence[float] = (),
                 location: str = "postcode") -> SplinkRun:
    """The generated people register, with the 50k example's recipe on its columns.

    ``location`` chooses how the address is compared (see ``_location_comparisons``); the
    default compares the postcode only, like the 50k example. Street, postcode and city as
    three comparisons count a shared home three times, and the model then merges households.
    """
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    data = _prepare_register(frame)
    start = time.perf_counter()
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("middle_name"),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.ExactMatch("suffix"),
            cl.DateOfBirthComparison("dob", input_is_string=True, invalid_dates_as_null=True),
            *_location_comparisons(location),
            cl.JaroWinklerAtThresholds("employer", [0.9, 0.7]).configure(
                term_frequency_adjustments=True
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("street", "surname"),
            block_on("dob", "postcode"),
            block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(_to_arrow(data)), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"), block_on("dob", "postcode")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    return _finish(linker, predictions, "unique_id", threshold, start, sweep)


RUNNERS: dict[str, Callable[..., SplinkRun]] = {
    "febrl3": run_febrl3,
    "febrl4": run_febrl4,
    "fake": run_fake,
    "generated": run_generated,
    "historical": run_historical,
    "register": run_register,
    "simple": run_simple,
}

