"""Apache Spark: the same stages as the in-memory engine, run per partition of a Spark DataFrame.

``pip install "crmclean[spark]"``, then ``import crmclean.spark`` (``import crmclean`` never
imports Spark). The vocabulary is that of the in-memory API:

- :func:`standardize` adds the same standardized columns and issue codes as
  :func:`crmclean.standardize` gives for the same rows;
- :func:`dedupe` and :func:`link` find the same clusters as :func:`crmclean.dedupe` and
  :func:`crmclean.link`, with the same :class:`~crmclean.MatchSettings` (a model fitted in one
  engine scores in the other);
- :func:`merge` makes golden records and lineage with :func:`crmclean.merge`, cluster by cluster.

How each stage runs, and what it shares with the in-memory engine:

- **prepare**: each partition's rows become matching keys with
  :func:`crmclean.prepare.prepare_partition` (``mapInPandas``); the one rule over the whole table
  (a contact point that people of several given names share is a place's) is an aggregation.
  Records are then numbered in id order (a range-partitioned sort), the order every stage
  works in, so that nothing depends on how the rows are partitioned.
- **block**: each blocking rule is an equi-join on its key columns. Block sizes are counted
  by size, and :func:`crmclean.block.rule_limits` fixes the rule's cap and window from those
  counts as it does in memory; blocks over the cap are never joined: their records, sorted by
  name across the cluster, meet their next ``window`` records, which a join on the rank finds
  (a sorted-neighbourhood pass works the same way). One giant block is spread over every
  partition like any other sorted run.
- **compare**: each partition of candidate pairs is compared by
  :func:`crmclean.compare.compare_all` on its own encoded keys.
- **fit**: ``u`` from the same random pairs as in memory (:func:`crmclean.score.random_pairs`,
  compared the same way) and value counts; ``m`` and the prior by
  :func:`crmclean.score.fit_counts` from the candidate pairs' level patterns summed over the
  partitions (a few thousand rows). Pairs are never collected.
- **score**: :func:`crmclean.score.score_pairs` per partition, term-frequency adjustments from
  value counts joined to the records (:func:`crmclean.score.tf_of_counts`).
- **cluster**: connected components of the pairs above the threshold by large-star/small-star
  rounds of joins, checkpointed each round; each component's id is its smallest record. The
  chaining guard and the records kept apart (Jr./Sr.) need a component's own pairs only, so
  components of three or more records go through :func:`crmclean.cluster.cluster_pairs` in
  groups (``applyInPandas``).

The same input and seed give the same clusters whatever the partitioning, and the clusters
the in-memory engine gives.

Example:
    >>> import crmclean.spark  # doctest: +SKIP
    >>> contacts = spark.table("crm.contacts")  # doctest: +SKIP
    >>> result = crmclean.spark.dedupe(contacts, id_column="id")  # doctest: +SKIP
    >>> result.clusters.write.saveAsTable("crm.contact_clusters")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from crmclean import fields
from crmclean.block import (
    NAME_ORDER,
    BlockingRule,
    MatchingWarning,
    SortedNeighbourhood,
    rule_limits,
)
from crmclean.cluster import cluster_pairs, with_conflicts
from crmclean.columns import detect_roles, matching_roles
from crmclean.compare import NO_SUFFIX, SCRIPT_KEY, compare_all
from crmclean.encode import EncodedKeys, base_key_column, encode_keys
from crmclean.errors import ColumnError, ConfigError
from crmclean.merge import MergeStrategy
from crmclean.merge import merge as merge_records
from crmclean.pipeline import MatchStats
from crmclean.prepare import prepare_partition
from crmclean.score import (
    PatternCounts,
    all_pairs,
    conflicting_pairs,
    exact_u,
    fit_counts,
    match_probability,
    random_pairs,
    rule_agreement,
    score_pairs,
    tf_of_counts,
    u_from_counts,
)
from crmclean.settings import MatchSettings, coerce_settings, default_settings, settings_for_keys
from crmclean.standardize import standardize_columns

__all__ = [
    "SparkMatchResult",
    "SparkMergeResult",
    "dedupe",
    "link",
    "merge",
    "standardize",
]

IntArray = npt.NDArray[np.int64]

#: rows of a partition id in :func:`pyspark.sql.functions.monotonically_increasing_id`
_ROW_BITS: Final = 33
#: large-star/small-star rounds at most (each halves a component's depth at least)
_MAX_ROUNDS: Final = 60

# --- results ---------------------------------------------------------------------------------


@attrs.frozen
class SparkMatchResult:
    """What :func:`dedupe` and :func:`link` return.

    Attributes:
        clusters: one row per record: the id column, (two tables: ``side`` and
            ``cluster_side``,) and ``cluster_id``, the smallest id in its cluster (two
            tables: the smallest left-table id, else the smallest right-table id), as
            :attr:`crmclean.MatchResult.clusters` has them.
        pairs: the pairs at or above the threshold: ``id_l``, ``id_r``,
            ``match_probability``, ``match_weight`` and one ``gamma_<field>`` level column
            per field.
        settings: the fitted :class:`~crmclean.MatchSettings` (JSON both ways with the
            in-memory engine).
        stats: a :class:`~crmclean.MatchStats`; ``timings`` holds each stage's seconds.

    Example:
        >>> SparkMatchResult.__name__
        'SparkMatchResult'
    """

    clusters: DataFrame
    pairs: DataFrame
    settings: MatchSettings
    stats: MatchStats


@attrs.frozen
class SparkMergeResult:
    """What :func:`merge` returns.

    Attributes:
        golden: one row per cluster: ``cluster_id``, the records' columns (the id column
            holds the master record's id), then ``<field>_all`` for each multi-valued field.
        lineage: for every record of a merged cluster and every field: ``cluster_id``,
            ``field``, ``value`` (as text), ``source_id``, ``status`` and ``rule``, as
            :attr:`crmclean.MergeResult.lineage` has them (without ``row``: a distributed
            table has no row order).

    Example:
        >>> SparkMergeResult.__name__
        'SparkMergeResult'
    """

    golden: DataFrame
    lineage: DataFrame


# --- small helpers ---------------------------------------------------------------------------


def _session(sdf: DataFrame) -> SparkSession:
    return sdf.sparkSession


def _partitions(spark: SparkSession) -> int:
    return max(1, int(spark.conf.get("spark.sql.shuffle.partitions") or 1))


def _materialize(sdf: DataFrame) -> DataFrame:
    """The DataFrame computed once and kept (a reliable checkpoint when the session has a
    checkpoint directory, else a local one), so that later stages neither recompute it nor
    see it change."""
    if sdf.sparkSession.sparkContext.getCheckpointDir() is not None:
        return sdf.checkpoint(eager=True)
    return sdf.localCheckpoint(eager=True)


def _check_frame(sdf: object, what: str) -> DataFrame:
    if not isinstance(sdf, DataFrame):
        raise TypeError(f"{what} must be a Spark DataFrame")
    return sdf


def _check_id(sdf: DataFrame, id_column: object, what: str) -> str:
    if not isinstance(id_column, str):
        raise TypeError("id_column must be the name of the column of record ids")
    if id_column not in sdf.columns:
        raise ColumnError(
            f"id column {id_column!r} is not in the {what}; columns are: "
            + ", ".join(repr(c) for c in sdf.columns)
        )
    return id_column


def _check_seed(seed: object) -> int:
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ConfigError("seed must be a non-negative int")
    return seed


def _cells(series: Any) -> list[Any]:
    """A pandas column's cells as Python values (``None`` or ``NaN`` for nulls)."""
    return list(series.tolist())


def _key(value: object) -> str | None:
    """A key as the encoder reads it: a non-empty ``str``, else null."""
    return value if isinstance(value, str) and value else None


def _ranked(sdf: DataFrame, order: Sequence[Column], name: str) -> DataFrame:
    """``sdf`` with ``name``: each row's place (0, 1, ...) in ``order``, which must be a total
    order. A range-partitioned sort, then each partition's offset from the row counts of the
    partitions before it: no row travels to one place."""
    spark = _session(sdf)
    ordered = sdf.repartitionByRange(_partitions(spark), *order).sortWithinPartitions(*order)
    tagged = _materialize(
        ordered.withColumn("_part", F.spark_partition_id()).withColumn(
            "_mid", F.monotonically_increasing_id()
        )
    )
    counts = {int(r["_part"]): int(r["count"]) for r in tagged.groupBy("_part").count().collect()}
    offsets, total = [], 0
    for part in sorted(counts):
        offsets.append((part, total))
        total += counts[part]
    table = spark.createDataFrame(offsets or [(0, 0)], "_part int, _offset long")
    return (
        tagged.join(F.broadcast(table), "_part")
        .withColumn(
            name,
            F.col("_offset") + F.col("_mid") - F.shiftleft(F.col("_part").cast("long"), _ROW_BITS),
        )
        .drop("_part", "_mid", "_offset")
    )


# --- standardize -----------------------------------------------------------------------------


def _text(value: object) -> str | None:
    """A cell as text for a Spark string column: an empty cell (None, or pandas' NaN, NA or
    NaT, whichever the frame holds) is null, never the text ``"nan"``."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    return str(value)


def standardize(
    sdf: DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    region: str | None = None,
    only: Sequence[str] | None = None,
) -> DataFrame:
    """Standardize every known contact field of a Spark DataFrame, partition by partition.

    The same columns as :func:`crmclean.standardize` adds for the same rows (``Email_clean``,
    ``Phone_e164``, ..., ``crmclean_issues``), as text, beside the original columns; options
    as there. Each row's values depend on that row only, so the partitioning does not matter.

    Raises:
        TypeError: ``sdf`` is not a Spark DataFrame.
        ColumnError: a column named in ``columns`` is not in the table.
        ConfigError: an unknown role or region.

    Example:
        >>> clean = crmclean.spark.standardize(spark.table("crm.contacts"),
        ...                                    region="US")  # doctest: +SKIP
        >>> clean.select("Email_clean", "crmclean_issues").show()  # doctest: +SKIP
    """
    sdf = _check_frame(sdf, "the table")
    names = list(sdf.columns)
    roles = detect_roles(names, overrides=columns)
    empty, _ = standardize_columns(
        {c: [] for c in names}, roles=roles, region=region, only=only, workers=1
    )
    added = [c for c in empty if c not in names]
    schema = T.StructType(
        list(sdf.schema.fields) + [T.StructField(c, T.StringType(), True) for c in added]
    )

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in batches:
            batch = {c: _cells(frame[c]) for c in names}
            out, _ = standardize_columns(batch, roles=roles, region=region, only=only, workers=1)
            result = frame.copy()
            for c in added:
                result[c] = [_text(v) for v in out[c]]
            yield result

    return sdf.mapInPandas(run, schema)


# --- prepare: the records and their keys -----------------------------------------------------


@attrs.frozen(eq=False)
class _Records:
    """The records of a matching run, numbered in id order (``_pos``; left table first), with
    their side (``_side``: 0 left or one table, 1 right), id (``_id``) and key columns; a
    materialized DataFrame."""

    frame: DataFrame
    columns: Mapping[str, str]  # key name (base or derived) → Spark column
    base: tuple[str, ...]  # base key columns, in the order prepare gives them
    n: int
    n_left: int | None
    non_null: Mapping[str, int]


def _people_count(marks: Column) -> Column:
    """:func:`crmclean.fields.people_count` of an array column of name marks."""
    count = F.udf(lambda found: fields.people_count(found or ()), T.IntegerType())
    return count(marks)


def _key_names(sdf: DataFrame, roles: Mapping[str, str]) -> list[str]:
    keys, _ = prepare_partition({c: [] for c in sdf.columns}, roles, workers=1)
    return list(keys)


def _prepared_side(
    sdf: DataFrame,
    id_column: str,
    roles: Mapping[str, str],
    names: Sequence[str],
    derived: Sequence[str],
    cols: Mapping[str, str],
    region: str | None,
    dayfirst: bool,
) -> DataFrame:
    """One table's keys per partition, then the whole-table rule of contact points: a value
    that rows of :data:`crmclean.fields.SHARED_BY` plainly different people hold
    (:func:`crmclean.fields.people_count` of their name marks) is removed (with the keys
    derived from it)."""
    inputs = sorted(set(roles.values()))
    id_type = sdf.schema[id_column].dataType
    own = list(names)
    own_derived = [d for d in derived if base_key_column(d) in own]
    schema = T.StructType(
        [T.StructField("_id", id_type, True), T.StructField("_mark", T.StringType(), True)]
        + [T.StructField(cols[k], T.StringType(), True) for k in [*own, *own_derived]]
    )

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in batches:
            batch = {c: _cells(frame[c]) for c in inputs}
            keys, marks = prepare_partition(
                batch, roles, region=region, dayfirst=dayfirst, workers=1
            )
            clean = {k: [_key(v) for v in keys[k]] for k in own}
            out: dict[str, Any] = {"_id": frame[id_column], "_mark": marks}
            out.update({cols[k]: v for k, v in clean.items()})
            if own_derived:
                encoded = encode_keys(clean)
                out.update({cols[d]: encoded[d].values() for d in own_derived})
            yield pd.DataFrame(out)

    # computed once: the rule below and the numbering read the keys several times
    frame = _materialize(sdf.select(id_column, *inputs).mapInPandas(run, schema))
    for name in fields.contact_point_keys():
        if name not in own:
            continue
        col = cols[name]
        shared = (
            frame.where(F.col(col).isNotNull() & F.col("_mark").isNotNull())
            .groupBy(col)
            .agg(F.collect_set("_mark").alias("_marks"))
            # people_count never exceeds the number of distinct marks: count only where it can
            .where(F.size("_marks") >= fields.SHARED_BY)
            .where(_people_count(F.col("_marks")) >= fields.SHARED_BY)
            .select(col, F.lit(True).alias("_shared"))
        )
        frame = frame.join(shared, col, "left")
        for key in [name, *(d for d in own_derived if base_key_column(d) == name)]:
            frame = frame.withColumn(
                cols[key],
                F.when(F.col("_shared"), F.lit(None).cast("string")).otherwise(F.col(cols[key])),
            )
        frame = frame.drop("_shared")
    if "suffix" in own and "family" in own:  # the rule of fields.mark_no_suffix
        suffix, family = cols["suffix"], cols["family"]
        if frame.where(F.col(suffix).isNotNull()).limit(1).count():
            frame = frame.withColumn(suffix, F.when(
                F.col(suffix).isNull() & F.col(family).isNotNull(), F.lit(NO_SUFFIX)
            ).otherwise(F.col(suffix)))  # fmt: skip
    return frame.drop("_mark")


def _records(
    tables: Sequence[tuple[DataFrame, str, Mapping[str, str]]],
    settings: MatchSettings | None,
    region: str | None,
    dayfirst: bool,
) -> _Records:
    """Prepare one table (dedupe) or two (link) and number the records in id order."""
    names_per = [_key_names(sdf, roles) for sdf, _, roles in tables]
    names = list(dict.fromkeys(n for found in names_per for n in found))
    planned = settings if settings is not None else default_settings(names)
    derived = list(
        dict.fromkeys(
            k
            for rule in planned.blocking
            for k in rule.keys
            if k != base_key_column(k) and base_key_column(k) in names
        )
    )
    cols = {k: f"k{i}" for i, k in enumerate([*names, *derived])}
    frames = []
    id_types = {sdf.schema[id_column].dataType for sdf, id_column, _ in tables}
    if len(id_types) > 1:
        raise ConfigError("the id columns of the two tables must hold values of one type")
    for side, ((sdf, id_column, roles), own) in enumerate(zip(tables, names_per, strict=True)):
        frame = _prepared_side(sdf, id_column, roles, own, derived, cols, region, dayfirst)
        for key in cols:
            if cols[key] not in frame.columns:
                frame = frame.withColumn(cols[key], F.lit(None).cast("string"))
        frames.append(frame.select("_id", *cols.values()).withColumn("_side", F.lit(side)))
    frame = frames[0] if len(frames) == 1 else frames[0].unionByName(frames[1])
    ranked = _materialize(_ranked(frame, [F.col("_side").asc(), F.col("_id").asc()], "_pos"))
    counts = ranked.agg(
        F.count("*").alias("_n"),
        F.sum(F.when(F.col("_side") == 0, 1).otherwise(0)).alias("_left"),
        F.countDistinct("_side", "_id").alias("_distinct"),
        F.count("_id").alias("_ids"),
        *[F.count(cols[k]).alias(cols[k]) for k in names],
    ).collect()[0]
    n = int(counts["_n"])
    if int(counts["_ids"]) != n:
        raise ConfigError("the id column has empty ids; every record needs an id")
    if int(counts["_distinct"]) != n:
        raise ConfigError("the id column has duplicate ids; ids must be unique")
    return _Records(
        frame=ranked,
        columns=cols,
        base=tuple(names),
        n=n,
        n_left=int(counts["_left"] or 0) if len(tables) == 2 else None,
        non_null={k: int(counts[cols[k]]) for k in names},
    )


# --- block -----------------------------------------------------------------------------------


def _all_of(conditions: Sequence[Column]) -> Column:
    return functools.reduce(lambda a, b: a & b, conditions)


def _nulls_last(col: str) -> Column:
    """A sort element: the key with nulls after every value."""
    return F.struct(F.col(col).isNull().alias("null"), F.col(col).alias("key"))


def _by_rule(values: Sequence[int], default: int = 0) -> Column:
    """The value of each row's blocking rule (``_rule``), from a list indexed by rule."""
    out = F.lit(default)
    for k, value in enumerate(values):
        out = F.when(F.col("_rule") == k, F.lit(value)).otherwise(out)
    return out


@attrs.frozen(eq=False)
class _Candidates:
    pairs: DataFrame  # _l, _r (record positions, _l < _r), materialized
    count: int
    rule_pairs: dict[str, int]
    rule_new: dict[str, int]
    capped: dict[str, tuple[int, int]]


def _block(records: _Records, settings: MatchSettings, link: bool) -> _Candidates:
    """Candidate pairs of every rule at once. Each record takes one row per blocking rule it
    has keys for; block sizes, counted by size, fix each rule's cap and window
    (:func:`crmclean.block.rule_limits`); blocks under the cap pair all-with-all by an
    equi-join on (rule, keys). The records of larger blocks, sorted by name, and those of
    each sorted-neighbourhood pass, sorted by its keys then by name, are ranked in one sort
    and meet their next ``window`` records by a join on the rank."""
    frame = records.frame
    rules = settings.blocking
    name_cols = [records.columns[k] for k in NAME_ORDER if k in records.base]
    entries = []
    for k, rule in enumerate(rules):
        if not isinstance(rule, BlockingRule):
            continue
        keys = [records.columns[x] for x in rule.keys]
        entries.append(
            F.when(
                _all_of([F.col(c).isNotNull() for c in keys]),
                F.struct(F.lit(k).alias("rule"), F.array(*[F.col(c) for c in keys]).alias("key")),
            )
        )
    parts: list[DataFrame] = []
    ranked: list[DataFrame] = []
    limits: dict[int, tuple[int, int]] = {}
    capped: dict[str, tuple[int, int]] = {}
    if entries:
        blocks = (
            frame.select("_pos", "_side", *name_cols, F.explode(F.array(*entries)).alias("_b"))
            .where(F.col("_b").isNotNull())
            .select(
                "_pos",
                "_side",
                *name_cols,
                F.col("_b.rule").alias("_rule"),
                F.col("_b.key").alias("_key"),
            )
        )
        sizes = _materialize(
            blocks.groupBy("_rule", "_key").agg(
                F.count("*").alias("_size"),
                F.sum(F.when(F.col("_side") == 0, 1).otherwise(0)).alias("_nl"),
            )
        )
        found = sizes.groupBy("_rule", "_size", "_nl" if link else "_rule").count().collect()
        for k, rule in enumerate(rules):
            if not isinstance(rule, BlockingRule):
                continue
            mine = [r for r in found if int(r["_rule"]) == k]
            size = np.array([int(r["_size"]) for r in mine], dtype=np.int64)
            blocks_of = np.array([int(r["count"]) for r in mine], dtype=np.int64)
            if link:
                n_left = np.array([int(r["_nl"]) for r in mine], dtype=np.int64)
                pair_counts = n_left * (size - n_left)
            else:
                pair_counts = size * (size - 1) // 2
            cap, window, over, members = rule_limits(
                size,
                pair_counts,
                block_cap=settings.block_cap,
                cap_window=settings.cap_window,
                max_pairs=settings.pair_budget(records.n),
                blocks=blocks_of,
            )
            limits[k] = (cap, window)
            if over:
                capped[rule.name] = (over, members)
                warnings.warn(
                    f"blocking rule {rule.name!r}: {over} block(s) with {members} records are "
                    "larger than the cap; each of their records is compared with its "
                    f"{window} nearest neighbours by name only",
                    MatchingWarning,
                    stacklevel=4,
                )
        caps = _by_rule([limits.get(k, (0, 0))[0] for k in range(len(rules))])
        small = blocks
        if capped:
            over_cap = sizes.where(F.col("_size") > caps).select("_rule", "_key")
            if sum(c for c, _ in capped.values()) <= 100_000:  # a few blocks: sent everywhere
                over_cap = F.broadcast(over_cap)
            small = blocks.join(over_cap, ["_rule", "_key"], "left_anti")
            big = blocks.join(over_cap, ["_rule", "_key"], "left_semi")
            ranked.append(
                big.select(
                    "_pos",
                    "_side",
                    "_rule",
                    "_key",
                    F.array(*[_nulls_last(c) for c in name_cols]).alias("_sort"),
                )
            )
        a = small.select(F.col("_pos").alias("_l"), F.col("_side").alias("_sl"), "_rule", "_key")
        b = small.select(F.col("_pos").alias("_r"), F.col("_side").alias("_sr"), "_rule", "_key")
        joined = a.join(b, ["_rule", "_key"])
        if link:
            joined = joined.where((F.col("_sl") == 0) & (F.col("_sr") == 1))
        else:
            joined = joined.where(F.col("_l") < F.col("_r"))
        parts.append(joined.select("_l", "_r", "_rule"))
    for k, rule in enumerate(rules):
        if isinstance(rule, SortedNeighbourhood):
            keys = [records.columns[x] for x in rule.keys]
            limits[k] = (0, rule.window)
            ranked.append(
                frame.where(F.col(keys[0]).isNotNull()).select(
                    "_pos",
                    "_side",
                    F.lit(k).alias("_rule"),
                    F.array().cast("array<string>").alias("_key"),
                    F.array(*[_nulls_last(c) for c in [*keys, *name_cols]]).alias("_sort"),
                )
            )
    if ranked:
        windows = _by_rule([limits.get(k, (0, 0))[1] for k in range(len(rules))])
        windowed = functools.reduce(DataFrame.unionByName, ranked).withColumn("_window", windows)
        parts.append(_window_pairs(windowed, link))
    every = functools.reduce(DataFrame.unionByName, parts)
    pairs = _materialize(
        every.groupBy("_l", "_r").agg(
            F.min("_rule").alias("_rule"),
            F.expr("bit_or(shiftleft(1L, _rule))").alias("_made"),
        )
    )
    made = pairs.agg(
        F.count("*").alias("_n"),
        *[
            F.sum(F.shiftright(F.col("_made"), k).bitwiseAND(1)).alias(f"_made{k}")
            for k in range(len(rules))
        ],
        *[
            F.sum(F.when(F.col("_rule") == k, 1).otherwise(0)).alias(f"_new{k}")
            for k in range(len(rules))
        ],
    ).collect()[0]
    return _Candidates(
        pairs=pairs.select("_l", "_r"),
        count=int(made["_n"]),
        rule_pairs={r.name: int(made[f"_made{k}"] or 0) for k, r in enumerate(rules)},
        rule_new={r.name: int(made[f"_new{k}"] or 0) for k, r in enumerate(rules)},
        capped=capped,
    )


def _window_pairs(members: DataFrame, link: bool) -> DataFrame:
    """Each member with the next ``_window`` members of its group (``_rule``, ``_key``) in
    ``_sort`` order, then id order (two tables: across the tables only): ``(_l, _r, _rule)``."""
    order = [F.col("_rule").asc(), F.col("_key").asc(), F.col("_sort").asc(), F.col("_pos").asc()]
    ranked = _materialize(_ranked(members, order, "_rank").drop("_sort"))
    ahead = (
        ranked.select(
            "_rule",
            "_key",
            "_rank",
            F.explode(F.sequence(F.lit(1), F.col("_window"))).alias("_step"),
            F.col("_pos").alias("_a"),
            F.col("_side").alias("_sa"),
        )
        .withColumn("_rank", F.col("_rank") + F.col("_step"))
        .drop("_step")
    )
    pairs = ahead.join(
        ranked.select("_rule", "_key", "_rank", "_pos", "_side"), ["_rule", "_key", "_rank"]
    )
    if link:
        pairs = pairs.where(F.col("_side") != F.col("_sa"))
    return pairs.select(
        F.least("_a", "_pos").alias("_l"), F.greatest("_a", "_pos").alias("_r"), "_rule"
    )


# --- compare ---------------------------------------------------------------------------------


def _compared_columns(records: _Records, settings: MatchSettings) -> list[str]:
    """The base key columns the comparisons and the rules' agreement read, and the name
    script that transliterated comparators read (:attr:`crmclean.compare.Comparator.
    transliterated`)."""
    wanted = [base_key_column(c) for comp in settings.comparisons for c in comp.columns]
    if any(comp.comparator.transliterated for comp in settings.comparisons):
        wanted.append(SCRIPT_KEY)
    wanted += [base_key_column(k) for rule in settings.blocking for k in rule.keys]
    return [k for k in dict.fromkeys(wanted) if k in records.base]


def _levels_schema(settings: MatchSettings, extra: Sequence[str]) -> T.StructType:
    return T.StructType(
        [
            T.StructField("_l", T.LongType(), False),
            T.StructField("_r", T.LongType(), False),
            T.StructField("_rules", T.LongType(), False),
        ]
        + [T.StructField(f"_g{f}", T.ByteType(), False) for f in range(len(settings.comparisons))]
        + [T.StructField(c, T.LongType(), True) for c in extra]
    )


def _compare(
    records: _Records,
    pairs: DataFrame,
    settings: MatchSettings,
    *,
    rules: bool,
    extra: Sequence[str] = (),
) -> DataFrame:
    """The comparison levels of pairs ``(_l, _r)``, partition by partition, with (``rules``)
    the blocking rules each pair agrees on, and the left record's ``extra`` columns."""
    names = _compared_columns(records, settings)
    cols = {k: records.columns[k] for k in names}
    frame = records.frame
    left = frame.select(
        F.col("_pos").alias("_l"), *[F.col(c).alias(f"{c}_l") for c in cols.values()], *extra
    )
    right = frame.select(
        F.col("_pos").alias("_r"), *[F.col(c).alias(f"{c}_r") for c in cols.values()]
    )
    joined = pairs.select("_l", "_r").join(left, "_l").join(right, "_r")
    comparisons = settings.comparisons
    blocking = settings.blocking

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in batches:
            m = len(frame)
            keys = encode_keys(
                {k: _cells(frame[f"{c}_l"]) + _cells(frame[f"{c}_r"]) for k, c in cols.items()}
            )
            first = np.arange(m, dtype=np.int64)
            second = np.arange(m, 2 * m, dtype=np.int64)
            levels = compare_all(keys, comparisons, first, second)
            out: dict[str, Any] = {"_l": frame["_l"], "_r": frame["_r"]}
            out["_rules"] = (
                rule_agreement(keys, blocking, first, second)
                if rules
                else np.zeros(m, dtype=np.int64)
            )
            for f in range(len(comparisons)):
                out[f"_g{f}"] = levels[:, f]
            for c in extra:
                out[c] = frame[c]
            yield pd.DataFrame(out)

    return joined.mapInPandas(run, _levels_schema(settings, extra))


def _level_columns(settings: MatchSettings) -> list[str]:
    return [f"_g{f}" for f in range(len(settings.comparisons))]


# --- fit ---------------------------------------------------------------------------------------


def _patterns(levels: DataFrame, settings: MatchSettings, by_rules: bool) -> PatternCounts:
    """The level patterns of compared pairs summed over the partitions (a few thousand rows)."""
    groups = _level_columns(settings) + (["_rules"] if by_rules else [])
    rows = levels.groupBy(*groups).count().collect()
    n_fields = len(settings.comparisons)
    patterns = np.array(
        [[int(r[f"_g{f}"]) for f in range(n_fields)] for r in rows], dtype=np.int8
    ).reshape(len(rows), n_fields)
    rules = np.array([int(r["_rules"]) if by_rules else 0 for r in rows], dtype=np.int64)
    counts = np.array([int(r["count"]) for r in rows], dtype=np.int64)
    return PatternCounts(patterns, rules, counts).combine(settings.comparisons)


def _estimate_u(
    records: _Records, settings: MatchSettings, seed: int, exact: Sequence[float | None]
) -> list[tuple[float, ...]]:
    """``u`` from the in-memory engine's random pairs (:func:`crmclean.score.random_pairs`; each
    partition draws the same ones and keeps its share) and from value counts."""
    n, n_left = records.n, records.n_left
    comparisons = settings.comparisons
    if n < 2 or (n_left is not None and (n_left == 0 or n_left == n)):
        return u_from_counts(comparisons, None, [])
    first, _ = random_pairs(n, settings.u_pairs, seed=seed, n_left=n_left)
    spark = _session(records.frame)
    u_pairs = settings.u_pairs

    def draw(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        left, right = random_pairs(n, u_pairs, seed=seed, n_left=n_left)
        for frame in batches:
            at = frame["id"].to_numpy(np.int64)
            yield pd.DataFrame({"_l": left[at], "_r": right[at]})

    pairs = spark.range(len(first), numPartitions=_partitions(spark)).mapInPandas(
        draw, "_l long, _r long"
    )
    levels = _compare(records, pairs, settings, rules=False)
    found = _patterns(levels, settings, by_rules=False)
    counts = []
    for f, comparison in enumerate(comparisons):
        column = found.patterns[:, f]
        present = column >= 0
        counts.append(
            np.bincount(
                column[present], weights=found.counts[present], minlength=len(comparison.levels)
            ).astype(np.float64)
        )
    return u_from_counts(comparisons, counts, exact)


# --- score -------------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class _ValueCounts:
    """What the exact-level ``u`` and the term-frequency adjustments read of the keys' values:
    per comparison, the exact level's ``u`` (:func:`crmclean.score.exact_u`), and per
    term-frequency comparison (its records' count column, total, shared)."""

    exact: list[float | None]
    tf: dict[int, tuple[str, float, float]]


def _value_counts(
    records: _Records, settings: MatchSettings, link: bool
) -> tuple[_Records, _ValueCounts]:
    """Value counts of every key column an exact level or a term-frequency adjustment reads, in
    one aggregation; the records get, per term-frequency key, how many records hold theirs."""
    comparisons = settings.comparisons
    keys = list(dict.fromkeys(c.key_column for c in comparisons if c.has_exact_key_level()))
    if not keys:
        return records, _ValueCounts([None] * len(comparisons), {})
    frame = records.frame
    cols = [records.columns[k] for k in keys]
    entries = [F.struct(F.lit(i).alias("c"), F.col(c).alias("v")) for i, c in enumerate(cols)]
    long = (
        frame.select("_side", F.explode(F.array(*entries)).alias("_e"))
        .where(F.col("_e.v").isNotNull())
        .select("_side", F.col("_e.c").alias("_c"), F.col("_e.v").alias("_v"))
    )
    counts = _materialize(
        long.groupBy("_c", "_v").agg(
            F.sum(F.when(F.col("_side") == 0, 1).otherwise(0)).cast("double").alias("_cl"),
            F.sum(F.when(F.col("_side") == 1, 1).otherwise(0)).cast("double").alias("_cr"),
        )
    )
    both = F.col("_cl") + F.col("_cr")
    rows = {
        int(r["_c"]): r
        for r in counts.groupBy("_c")
        .agg(
            F.sum("_cl").alias("_left"),
            F.sum("_cr").alias("_right"),
            F.sum(F.col("_cl") * (F.col("_cl") - 1) / 2).alias("_shared_left"),
            F.sum(F.col("_cl") * F.col("_cr")).alias("_across"),
            F.sum(both * (both - 1) / 2).alias("_shared"),
        )
        .collect()
    }

    def stat(i: int, name: str) -> float:
        row = rows.get(i)
        return float(row[name] or 0.0) if row is not None else 0.0

    exact_of: dict[str, float | None] = {}
    for i, key in enumerate(keys):
        if link:
            left, right = stat(i, "_left"), stat(i, "_right")
            exact_of[key] = (
                exact_u(stat(i, "_across"), left * right) if left > 0 and right > 0 else None
            )
        else:
            total = stat(i, "_left")
            exact_of[key] = (
                exact_u(stat(i, "_shared_left"), total * (total - 1) / 2) if total >= 2 else None
            )
    exact = [exact_of[c.key_column] if c.has_exact_key_level() else None for c in comparisons]
    tf: dict[int, tuple[str, float, float]] = {}
    joined: dict[str, str] = {}
    for f, comparison in enumerate(comparisons):
        if not comparison.tf or not comparison.has_exact_key_level():
            continue
        i = keys.index(comparison.key_column)
        col = cols[i]
        name = f"_tf_{col}"
        if col not in joined:
            joined[col] = name
            frame = frame.join(
                counts.where(F.col("_c") == i).select(
                    F.col("_v").alias(col), (both).cast("long").alias(name)
                ),
                col,
                "left",
            )
        tf[f] = (name, stat(i, "_left") + stat(i, "_right"), stat(i, "_shared"))
    if joined:
        records = attrs.evolve(records, frame=_materialize(frame))
    return records, _ValueCounts(exact, tf)


def _score(
    levels: DataFrame, settings: MatchSettings, tf: Mapping[int, tuple[str, float, float]]
) -> DataFrame:
    """Match weights, probabilities and conflicts of compared pairs, partition by partition."""
    comparisons = settings.comparisons
    level_cols = _level_columns(settings)
    schema = T.StructType(
        [
            T.StructField("_l", T.LongType(), False),
            T.StructField("_r", T.LongType(), False),
            T.StructField("_w", T.DoubleType(), False),
            T.StructField("_p", T.DoubleType(), False),
            T.StructField("_conflict", T.BooleanType(), False),
        ]
        + [T.StructField(c, T.ByteType(), False) for c in level_cols]
    )

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in batches:
            m = len(frame)
            matrix = np.empty((m, len(level_cols)), dtype=np.int8)
            for f, c in enumerate(level_cols):
                matrix[:, f] = frame[c].to_numpy(np.int8)
            adjustments: list[npt.NDArray[np.float64] | None] = [None] * len(comparisons)
            for f, (col, total, shared) in tf.items():
                counts = frame[col].to_numpy(np.float64, na_value=np.nan)
                adjustments[f] = tf_of_counts(comparisons[f], matrix[:, f], counts, total, shared)
            weights = score_pairs(
                EncodedKeys({}, m), settings, matrix, np.arange(m, dtype=np.int64), tf=adjustments
            )
            out = {
                "_l": frame["_l"],
                "_r": frame["_r"],
                "_w": weights,
                "_p": match_probability(weights),
                "_conflict": conflicting_pairs(settings, matrix),
            }
            for f, c in enumerate(level_cols):
                out[c] = matrix[:, f]
            yield pd.DataFrame(out)

    return levels.mapInPandas(run, schema)


# --- cluster -----------------------------------------------------------------------------------


def _components(edges: DataFrame) -> DataFrame:
    """``(_pos, _comp)`` for every record of an edge: its component's smallest record, by
    large-star and small-star rounds (Kiveris et al., *Connected components in MapReduce and
    beyond*, 2014), each round checkpointed, until every component is a star around its
    smallest record."""
    u, v = F.col("u"), F.col("v")
    graph = _materialize(
        edges.select(F.greatest("_l", "_r").alias("u"), F.least("_l", "_r").alias("v")).distinct()
    )
    for _ in range(_MAX_ROUNDS):
        both = graph.select(u.alias("x"), v.alias("y")).unionByName(
            graph.select(v.alias("x"), u.alias("y"))
        )
        low = both.groupBy("x").agg(F.least(F.min("y"), F.col("x")).alias("m"))
        large = (
            both.join(low, "x")
            .where(F.col("y") > F.col("x"))
            .select(F.col("y").alias("u"), F.col("m").alias("v"))
            .distinct()
        )
        low = large.groupBy("u").agg(F.min("v").alias("m"))
        small = (
            large.join(low, "u")
            .select(v.alias("a"), F.col("m").alias("b"))
            .unionByName(low.select(u.alias("a"), F.col("m").alias("b")))
        )
        graph = _materialize(
            small.where(F.col("a") != F.col("b"))
            .select(F.greatest("a", "b").alias("u"), F.least("a", "b").alias("v"))
            .distinct()
        )
        forked = graph.groupBy("u").count().where(F.col("count") > 1).limit(1).count()
        chained = (
            graph.join(graph.select(u.alias("v")).distinct(), "v", "left_semi").limit(1).count()
        )
        if not forked and not chained:
            break
    else:  # pragma: no cover - the rounds halve a component's depth
        raise ConfigError("connected components did not converge")
    return (
        graph.select(u.alias("_pos"), v.alias("_comp"))
        .unionByName(graph.select(v.alias("_pos"), v.alias("_comp")))
        .distinct()
    )


def _guarded(
    scored: DataFrame, components: DataFrame, settings: MatchSettings
) -> tuple[DataFrame, int]:
    """Components of three or more records clustered by :func:`crmclean.cluster.cluster_pairs`
    on their own pairs (the chaining guard and records kept apart): ``(_pos, _label)`` for
    their records, and the clusters the guard split."""
    spark = _session(scored)
    sizes = components.groupBy("_comp").count().where(F.col("count") >= 3).select("_comp")
    members = components.join(sizes, "_comp", "left_semi")
    inside = (
        scored.select("_l", "_r", "_w", "_conflict")
        .join(members.select(F.col("_pos").alias("_l"), F.col("_comp").alias("_cl")), "_l")
        .join(members.select(F.col("_pos").alias("_r"), F.col("_comp").alias("_cr")), "_r")
        .where(F.col("_cl") == F.col("_cr"))
    )
    threshold = settings.threshold_weight
    min_density = settings.min_density
    buckets = _partitions(spark) * 4

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        left = frame["_l"].to_numpy(np.int64)
        right = frame["_r"].to_numpy(np.int64)
        records = np.unique(np.concatenate([left, right]))
        a, b = np.searchsorted(records, left), np.searchsorted(records, right)
        n = len(records)
        apart = with_conflicts(n, None, a, b, frame["_conflict"].to_numpy(bool))
        found = cluster_pairs(
            n,
            a,
            b,
            frame["_w"].to_numpy(np.float64),
            threshold,
            min_density=min_density,
            constraints=apart,
        )
        split = np.zeros(n, dtype=np.int32)
        if n:
            split[0] = found.split_clusters
        return cast(
            pd.DataFrame,
            pd.DataFrame({"_pos": records, "_label": records[found.labels], "_split": split}),
        )

    labels = _materialize(
        inside.withColumn("_bucket", F.col("_cl") % buckets)
        .groupBy("_bucket")
        .applyInPandas(run, "_pos long, _label long, _split int")
    )
    split = labels.agg(F.sum("_split")).collect()[0][0]
    return labels.select("_pos", "_label"), int(split or 0)


@attrs.frozen(eq=False)
class _Clusters:
    labels: DataFrame  # _pos, _label for every record
    clusters: int
    largest: int
    split: int


def _cluster(records: _Records, scored: DataFrame, settings: MatchSettings) -> _Clusters:
    edges = scored.where((F.col("_w") >= settings.threshold_weight) & ~F.col("_conflict"))
    components = _materialize(_components(edges.select("_l", "_r")))
    labels = components.select("_pos", F.col("_comp").alias("_label"))
    split = 0
    if settings.min_density > 0 or scored.where(F.col("_conflict")).limit(1).count():
        guarded, split = _guarded(scored, components, settings)
        labels = labels.join(guarded.withColumnRenamed("_label", "_guard"), "_pos", "left").select(
            "_pos", F.coalesce("_guard", "_label").alias("_label")
        )
    every = _materialize(
        records.frame.select("_pos")
        .join(labels, "_pos", "left")
        .select("_pos", F.coalesce("_label", "_pos").alias("_label"))
    )
    row = (
        every.groupBy("_label")
        .count()
        .agg(F.count("*").alias("_clusters"), F.max("count").alias("_largest"))
        .collect()[0]
    )
    return _Clusters(every, int(row["_clusters"] or 0), int(row["_largest"] or 0), split)


# --- the runs ------------------------------------------------------------------------------------


def _outputs(
    records: _Records,
    clusters: _Clusters,
    scored: DataFrame,
    settings: MatchSettings,
    id_column: str,
    link: bool,
) -> tuple[DataFrame, DataFrame, int]:
    ids = records.frame.select("_pos", "_id", "_side")
    named = clusters.labels.join(ids, "_pos").join(
        ids.select(
            F.col("_pos").alias("_label"),
            F.col("_id").alias("_cid"),
            F.col("_side").alias("_cside"),
        ),
        "_label",
    )
    side = F.when(F.col("_side") == 0, "left").otherwise("right")
    cluster_side = F.when(F.col("_cside") == 0, "left").otherwise("right")
    if link:
        table = named.select(
            F.col("_id").alias(id_column),
            side.alias("side"),
            cluster_side.alias("cluster_side"),
            F.col("_cid").alias("cluster_id"),
        )
    else:
        table = named.select(F.col("_id").alias(id_column), F.col("_cid").alias("cluster_id"))
    matched = (
        scored.where(F.col("_w") >= settings.threshold_weight)
        .join(ids.select(F.col("_pos").alias("_l"), F.col("_id").alias("id_l")), "_l")
        .join(ids.select(F.col("_pos").alias("_r"), F.col("_id").alias("id_r")), "_r")
    )
    pairs = matched.select(
        "id_l",
        "id_r",
        F.col("_p").alias("match_probability"),
        F.col("_w").alias("match_weight"),
        *[F.col(f"_g{f}").alias(f"gamma_{c.name}") for f, c in enumerate(settings.comparisons)],
    )
    pairs = _materialize(pairs)
    return _materialize(table), pairs, pairs.count()


def _run(
    tables: Sequence[tuple[DataFrame, str, Mapping[str, str]]],
    settings: MatchSettings | None,
    *,
    id_column: str,
    seed: int,
    region: str | None,
    dayfirst: bool,
    retrain: bool,
    threshold: float | None,
) -> SparkMatchResult:  # the stages in order, each timed: long but flat
    link = len(tables) == 2
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    context = _session(tables[0][0]).sparkContext
    stages = iter(("block", "compare", "fit", "score", "cluster", "output"))
    context.setJobDescription("crmclean prepare")  # names the stage's jobs in the Spark UI

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now
        context.setJobDescription(f"crmclean {next(stages, stage)}")

    records = _records(tables, settings, region, dayfirst)
    used, unused = settings_for_keys(settings, records.non_null, threshold, stacklevel=4)
    n, n_left = records.n, records.n_left
    if n < 2 or (n_left is not None and (n_left == 0 or n_left == n)):
        warnings.warn(
            "fewer than two records to match: every record is its own cluster",
            MatchingWarning,
            stacklevel=3,
        )
    lap("prepare")
    candidates = _block(records, used, link)
    lap("block")
    records, values = _value_counts(records, used, link)
    tf = values.tf
    extra = list(dict.fromkeys(col for col, _, _ in tf.values()))
    levels = _materialize(_compare(records, candidates.pairs, used, rules=True, extra=extra))
    lap("compare")
    iterations, converged = 0, True
    if retrain or not used.fitted:
        u = _estimate_u(records, used, seed, values.exact)
        fit = fit_counts(
            used, u, _patterns(levels, used, by_rules=True), all_pairs(n, n_left), stacklevel=4
        )
        used, iterations, converged = fit.settings, fit.iterations, fit.converged
    lap("fit")
    scored = _materialize(_score(levels, used, tf))
    lap("score")
    clustered = _cluster(records, scored, used)
    lap("cluster")
    clusters, pairs, matched = _outputs(records, clustered, scored, used, id_column, link)
    lap("output")
    context.setJobDescription(None)  # type: ignore[arg-type]
    stats = MatchStats(
        records=n,
        candidate_pairs=candidates.count,
        rule_pairs=candidates.rule_pairs,
        rule_new=candidates.rule_new,
        capped_blocks=candidates.capped,
        matched_pairs=matched,
        clusters=clustered.clusters,
        largest_cluster=clustered.largest,
        guard_split_clusters=clustered.split,
        em_iterations=iterations,
        em_converged=converged,
        unused_columns=tuple(unused),
        timings=dict(timings),
    )
    return SparkMatchResult(clusters=clusters, pairs=pairs, settings=used, stats=stats)


def dedupe(
    sdf: DataFrame,
    id_column: str,
    *,
    settings: MatchSettings | str | Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    seed: int = 0,
    region: str | None = None,
    dayfirst: bool = True,
    retrain: bool = False,
    threshold: float | None = None,
) -> SparkMatchResult:
    """Find the duplicate records of a Spark DataFrame: :func:`crmclean.dedupe` on Spark.

    Options as for :func:`crmclean.dedupe`; ``id_column`` is required (a distributed table has
    no row numbers). The same table, settings and seed give the same clusters, pairs and
    fitted settings as :func:`crmclean.dedupe`, whatever the partitioning.

    Raises:
        TypeError: ``sdf`` is not a Spark DataFrame.
        ColumnError: the id column or a named column is missing, or the settings use a key
            column the table lacks.
        ConfigError: duplicate or empty ids, an unknown role, invalid settings.

    Example:
        >>> import crmclean.spark  # doctest: +SKIP
        >>> contacts = spark.table("crm.contacts")  # doctest: +SKIP
        >>> result = crmclean.spark.dedupe(contacts, id_column="id")  # doctest: +SKIP
        >>> result.clusters.write.mode("overwrite").saveAsTable("crm.clusters")  # doctest: +SKIP
        >>> open("model.json", "w").write(result.settings.to_json())  # doctest: +SKIP
    """
    sdf = _check_frame(sdf, "the table")
    id_column = _check_id(sdf, id_column, "table")
    seed = _check_seed(seed)
    found = coerce_settings(settings)
    roles = matching_roles(list(sdf.columns), id_column, columns)
    return _run(
        [(sdf, id_column, roles)],
        found,
        id_column=id_column,
        seed=seed,
        region=region,
        dayfirst=dayfirst,
        retrain=retrain,
        threshold=threshold,
    )


def link(
    left: DataFrame,
    right: DataFrame,
    id_column: str,
    *,
    right_id_column: str | None = None,
    settings: MatchSettings | str | Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    right_columns: Mapping[str, str] | None = None,
    seed: int = 0,
    region: str | None = None,
    dayfirst: bool = True,
    retrain: bool = False,
    threshold: float | None = None,
) -> SparkMatchResult:
    """Link two Spark DataFrames: :func:`crmclean.link` on Spark.

    Only pairs across the tables are compared; ``clusters`` has ``side`` and ``cluster_side``
    and ``cluster_id`` is the smallest left-table id of the cluster, else its smallest
    right-table id, as in memory. The two id columns must hold values of one type.

    Raises:
        TypeError: a table is not a Spark DataFrame.
        ColumnError: an id column or a named column is missing.
        ConfigError: duplicate or empty ids within a table, id columns of different types,
            invalid settings.

    Example:
        >>> result = crmclean.spark.link(spark.table("crm.contacts"), spark.table("crm.import"),
        ...                              id_column="id")  # doctest: +SKIP
        >>> result.clusters.where("side = 'right'").show()  # doctest: +SKIP
    """
    left = _check_frame(left, "the left table")
    right = _check_frame(right, "the right table")
    id_column = _check_id(left, id_column, "left table")
    right_id = _check_id(
        right, right_id_column if right_id_column is not None else id_column, "right table"
    )
    seed = _check_seed(seed)
    found = coerce_settings(settings)
    roles_l = matching_roles(list(left.columns), id_column, columns)
    roles_r = matching_roles(
        list(right.columns), right_id, right_columns if right_columns is not None else columns
    )
    return _run(
        [(left, id_column, roles_l), (right, right_id, roles_r)],
        found,
        id_column=id_column,
        seed=seed,
        region=region,
        dayfirst=dayfirst,
        retrain=retrain,
        threshold=threshold,
    )


# --- merge -----------------------------------------------------------------------------------


def merge(
    sdf: DataFrame,
    clusters: DataFrame,
    *,
    id_column: str,
    strategy: MergeStrategy | None = None,
) -> SparkMergeResult:
    """Golden records and lineage of clustered records: :func:`crmclean.merge`, cluster by
    cluster.

    The records of each cluster go through :func:`crmclean.merge` together, in id order, so a
    cluster's golden record is the one the in-memory merge gives for the table in id order.
    Golden columns keep the records' types, except that a field written in standard form
    (``standardize`` in its rule chain) is text; the lineage's ``value`` is text.

    Args:
        sdf: the records.
        clusters: the id column and ``cluster_id`` (:attr:`SparkMatchResult.clusters`).
        id_column: the records' id column.
        strategy: the survivorship rules (default :meth:`crmclean.MergeStrategy.default_for`
            the records' columns).

    Raises:
        TypeError: a table is not a Spark DataFrame.
        ColumnError: the id column or ``cluster_id`` is missing.

    Example:
        >>> result = crmclean.spark.dedupe(contacts, id_column="id")  # doctest: +SKIP
        >>> merged = crmclean.spark.merge(contacts, result.clusters,
        ...                               id_column="id")  # doctest: +SKIP
        >>> merged.golden.write.saveAsTable("crm.golden")  # doctest: +SKIP
        >>> merged.lineage.write.saveAsTable("crm.golden_lineage")  # doctest: +SKIP
    """
    sdf = _check_frame(sdf, "the records")
    clusters = _check_frame(clusters, "the clusters")
    id_column = _check_id(sdf, id_column, "records")
    _check_id(clusters, id_column, "clusters")
    if "cluster_id" not in clusters.columns:
        raise ColumnError("the clusters have no 'cluster_id' column")
    names = list(sdf.columns)
    strategy = strategy if strategy is not None else MergeStrategy.default_for(names)
    types = {f.name: f.dataType for f in sdf.schema.fields}
    cluster_type = clusters.schema["cluster_id"].dataType
    probe = merge_records(
        {c: [] for c in names},
        {id_column: [], "cluster_id": []},
        id_column=id_column,
        strategy=strategy,
    ).golden
    golden_fields: list[T.StructField] = []
    text: set[str] = set()
    for column in list(probe):  # a dict of columns, as the probe's input was
        base = column[: -len("_all")] if column.endswith("_all") else column
        if column == "cluster_id":
            kind: T.DataType = cluster_type
        elif base in types:
            kind = types[base]
            if strategy.standard_form_rule(base) is not None or not isinstance(kind, T.AtomicType):
                kind = T.StringType()
            if isinstance(kind, T.StringType):
                text.add(column)
            if column != base:
                kind = T.ArrayType(kind, True)
        else:
            kind = T.StringType()
            text.add(column)
        golden_fields.append(T.StructField(column, kind, True))
    lineage_fields = [
        T.StructField("_field", T.StringType(), True),
        T.StructField("_value", T.StringType(), True),
        T.StructField("_source_id", types[id_column], True),
        T.StructField("_status", T.StringType(), True),
        T.StructField("_rule", T.StringType(), True),
    ]
    schema = T.StructType(
        [T.StructField("_kind", T.StringType(), False), *golden_fields, *lineage_fields]
    )
    golden_names = [f.name for f in golden_fields]
    buckets = _partitions(_session(sdf)) * 4

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.sort_values(id_column, kind="stable").reset_index(drop=True)
        links = pd.DataFrame({id_column: frame[id_column], "cluster_id": frame["cluster_id"]})
        merged = merge_records(frame[names], links, id_column=id_column, strategy=strategy)
        golden = merged.golden.copy()
        for column in golden_names:
            if column in text:
                golden[column] = [
                    ([_text(x) for x in v] if isinstance(v, list) else v)
                    if column.endswith("_all")
                    else _text(v)
                    for v in golden[column]
                ]
        golden["_kind"] = "g"
        lineage = merged.lineage
        rows = pd.DataFrame(
            {
                "_kind": "l",
                "cluster_id": lineage["cluster_id"],
                "_field": lineage["field"],
                "_value": [_text(v) for v in lineage["value"]],
                "_source_id": lineage["source_id"],
                "_status": lineage["status"],
                "_rule": lineage["rule"],
            }
        )
        both = pd.concat([golden, rows], ignore_index=True).reindex(columns=schema.names)
        both = both.astype(object).where(both.notna(), None)  # the cells the other kind lacks
        return cast(pd.DataFrame, both)

    joined = sdf.join(clusters.select(id_column, "cluster_id"), id_column)
    both = _materialize(
        joined.groupBy((F.abs(F.hash("cluster_id")) % buckets).alias("_bucket")).applyInPandas(
            run, schema
        )
    )
    golden = both.where(F.col("_kind") == "g").select(*golden_names)
    lineage = both.where(F.col("_kind") == "l").select(
        "cluster_id",
        F.col("_field").alias("field"),
        F.col("_value").alias("value"),
        F.col("_source_id").alias("source_id"),
        F.col("_status").alias("status"),
        F.col("_rule").alias("rule"),
    )
    return SparkMergeResult(golden=golden, lineage=lineage)
