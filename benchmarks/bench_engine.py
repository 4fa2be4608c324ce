"""Matching engine speed: block + compare + score + cluster on already prepared contact keys.

Generates N synthetic contacts (keys as the prepare stage makes them: compact names, nickname
canonical, phonetic code, email key, E.164, YYYYMMDD, ...), about a third of them noisy
duplicates, runs ``crmclean.pipeline.match_prepared`` and prints the time of each stage, the
peak memory, and the comparison core's string pairs per second against raw rapidfuzz
``cpdist`` on the same pairs.

    python benchmarks/bench_engine.py --rows 1000000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from _harness import machine_line, print_rows
from crmclean.compare import similarity
from crmclean.pipeline import match_prepared
from crmclean.prepare import encode_keys

GIVEN = [
    "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas",
    "charles", "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven",
    "paul", "andrew", "joshua", "kenneth", "kevin", "brian", "george", "timothy", "mary",
    "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah",
    "karen", "lisa", "nancy", "betty", "margaret", "sandra", "ashley", "kimberly", "emily",
    "donna", "michelle", "carol", "amanda", "melissa", "deborah", "stephanie", "olivia",
    "amelia", "isla", "ava", "mia", "ivy", "lily", "isabella", "rosie", "sophia", "grace",
    "freya", "willow", "emma", "ella",
]  # fmt: skip
NICK = {"robert": "bob", "william": "bill", "james": "jim", "elizabeth": "liz",
        "margaret": "maggie", "richard": "dick", "joseph": "joe", "thomas": "tom",
        "michael": "mike", "katherine": "kate", "daniel": "dan", "matthew": "matt"}  # fmt: skip
SYLLABLES = [
    "ba", "be", "bi", "bo", "bu", "ka", "ke", "ki", "ko", "ku", "la", "le", "li", "lo", "lu",
    "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "ra", "re", "ri", "ro", "ru",
    "sa", "se", "si", "so", "su", "ta", "te", "ti", "to", "tu", "va", "ve", "vi", "vo", "wa",
    "we", "wi", "son", "man", "ton", "ley", "ford",
]  # fmt: skip
DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "acme.org", "globex.com", "initech.net")


def _typo(rng: np.random.Generator, word: str) -> str:
    if len(word) < 3:
        return word
    i = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + "aeiou"[int(rng.integers(0, 5))] + word[i + 1 :]


def generate(n: int, seed: int = 1) -> tuple[dict[str, list[str | None]], np.ndarray]:
    """``n`` prepared contacts and their true entity ids."""
    rng = np.random.default_rng(seed)
    n_entities = int(n * 0.7)
    families = sorted({
        "".join(rng.choice(SYLLABLES, size=int(rng.integers(2, 4))))
        for _ in range(max(n // 20, 1000))
    })  # fmt: skip
    ent_given = rng.choice(GIVEN, size=n_entities)
    ent_family = rng.choice(families, size=n_entities)
    ent_dob = rng.integers(0, 25000, size=n_entities)
    ent_phone = rng.integers(2_000_000_000, 9_999_999_999, size=n_entities)
    ent_domain = rng.choice(DOMAINS, size=n_entities)
    entity = np.concatenate([np.arange(n_entities), rng.integers(0, n_entities, n - n_entities)])
    rng.shuffle(entity)
    first_seen = np.zeros(n_entities, dtype=bool)
    cols: dict[str, list[str | None]] = {k: [] for k in (
        "given", "given_canonical", "family", "family_phonetic", "email", "phone", "dob", "city",
    )}  # fmt: skip
    import datetime

    base = datetime.date(1940, 1, 1).toordinal()
    for e in entity.tolist():
        given, family = str(ent_given[e]), str(ent_family[e])
        email = f"{given}.{family}@{ent_domain[e]}"
        phone = f"+1{ent_phone[e]}"
        dob = datetime.date.fromordinal(base + int(ent_dob[e])).strftime("%Y%m%d")
        canonical = given
        if first_seen[e]:  # a duplicate: a few errors
            r = rng.random(6)
            if r[0] < 0.2:
                given = NICK.get(given, _typo(rng, given))
            if r[1] < 0.2:
                family = _typo(rng, family)
            if r[2] < 0.3:
                email = None  # type: ignore[assignment]
            if r[3] < 0.3:
                phone = None  # type: ignore[assignment]
            if r[4] < 0.1:
                dob = dob[:6] + dob[7] + dob[6]
        first_seen[e] = True
        cols["given"].append(given)
        cols["given_canonical"].append(canonical)
        cols["family"].append(family)
        cols["family_phonetic"].append(family[:4])
        cols["email"].append(email)
        cols["phone"].append(phone)
        cols["dob"].append(dob)
        cols["city"].append(f"city{e % 2000}")
    return cols, entity


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    print(machine_line())
    clock = time.perf_counter()
    keys, _entity = generate(args.rows)
    print(f"generated {args.rows:,} prepared contacts in {time.perf_counter() - clock:.1f} s",
          file=sys.stderr)  # fmt: skip
    rss_before = _peak_rss_mb()
    ids = list(range(args.rows))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clock = time.perf_counter()
        result = match_prepared(keys, ids=ids)
        total = time.perf_counter() - clock
    stats = result.stats
    rows = [[stage, seconds] for stage, seconds in stats.timings.items()]
    rows.append(["total (encode + block + compare + fit + score + cluster + output)", total])
    print_rows(["stage", "seconds"], rows)
    print()
    labels = np.asarray(result.cluster_index)
    same = labels[:, None] == labels[None, :] if args.rows <= 2000 else None
    del same
    print(f"candidate pairs: {stats.candidate_pairs:,}; matched pairs: {stats.matched_pairs:,}; "
          f"clusters: {stats.clusters:,}; peak RSS before: {rss_before:,.0f} MB, "
          f"after: {_peak_rss_mb():,.0f} MB")  # fmt: skip
    # comparison core against raw cpdist on the same (distinct) pairs
    encoded = encode_keys({"family": keys["family"]})
    column = encoded["family"]
    n_pairs = min(2_000_000, args.rows * 2)
    rng = np.random.default_rng(0)
    a = rng.integers(0, args.rows, n_pairs)
    b = np.clip(a + rng.integers(1, 5, n_pairs), 0, args.rows - 1)
    ca, cb = column.codes[a], column.codes[b]
    strings_a = column.vocab[ca].tolist()
    strings_b = column.vocab[cb].tolist()
    clock = time.perf_counter()
    process.cpdist(strings_a, strings_b, scorer=JaroWinkler.normalized_similarity, workers=-1)
    raw = n_pairs / (time.perf_counter() - clock)
    clock = time.perf_counter()
    similarity(column, ca, cb)
    ours = n_pairs / (time.perf_counter() - clock)
    print()
    print_rows(
        ["Jaro-Winkler on candidate-like pairs", "pairs/s"],
        [["raw rapidfuzz cpdist (strings given)", raw],
         ["crmclean similarity (codes in, distinct pairs once)", ours]],
    )  # fmt: skip


if __name__ == "__main__":
    main()
