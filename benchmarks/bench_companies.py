"""Company-name normalization throughput on realistic CRM company fields.

Values mix what company columns really hold: legal forms in many spellings and countries
("Inc", "INCORPORATED", "GmbH & Co. KG", "ООО", "株式会社"), ALL CAPS and all-lower names,
commas and quotes, web domains, and placeholders ("N/A", "self-employed"). "unique" parses
every value once; "repeated" is a column where 10% of the values are distinct, as in a real
export, parsed through ``normalize_many`` (each distinct value once).

Usage: python benchmarks/bench_companies.py [--n 100000] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, per_second, print_rows
from crmclean import company_key, normalize_company, normalize_many

WORDS = [
    "Acme", "Global", "Blue", "River", "Nordic", "Atlas", "Summit", "Pioneer", "Delta", "Orion",
    "Green", "Valley", "Smith", "Müller", "García", "Rossi", "Dubois", "Novak", "Yılmaz", "Tanaka",
]  # fmt: skip
KINDS = [
    "Consulting", "Logistics", "Software", "Foods", "Partners", "Systems", "Capital", "Media",
    "Holdings", "Group", "Trading", "Solutions", "Labs", "& Sons", "Technologies", "",
]  # fmt: skip
FORMS = (
    ["Inc", "Inc.", ", Inc.", "INC", "Incorporated", "LLC", "L.L.C.", "Corp.", "Corporation",
     "Ltd", "Ltd.", "Limited", "PLC", "LLP", "Co., Ltd.", "Pty Ltd", "Pvt. Ltd."] * 3
    + ["GmbH", "GmbH & Co. KG", "AG", "SA", "S.A.", "SAS", "SARL", "S.r.l.", "S.p.A.", "BV",
       "N.V.", "AB", "AS", "A/S", "Oy", "Sp. z o.o.", "s.r.o.", "S.A. de C.V.", "Ltda.",
       "A.Ş.", "Ltd. Şti."]
    + [""] * 15
)  # fmt: skip
RUSSIAN = ["Ромашка", "Вектор", "Альфа", "Гранит", "Север"]
JAPANESE = ["トヨタ", "ソニー", "山田商事", "東京物産"]
JUNK = ["N/A", "none", "-", "self-employed", "Freelance", "retired", "test", "unknown"]


def make_values(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        roll = rng.random()
        number = rng.randrange(100_000)
        if roll < 0.05:
            value = f"{rng.choice(['ООО', 'АО', 'ПАО'])} «{rng.choice(RUSSIAN)} {number}»"
        elif roll < 0.08:
            value = f"{rng.choice(JAPANESE)}{number}{rng.choice(['株式会社', '有限会社'])}"
        elif roll < 0.11:
            value = f"{rng.choice(WORDS).lower()}{number}.{rng.choice(['com', 'de', 'co.uk'])}"
        elif roll < 0.12:
            value = f"{rng.choice(JUNK)} {number}" if rng.random() < 0.9 else rng.choice(JUNK)
        else:
            base = f"{rng.choice(WORDS)} {rng.choice(KINDS)} {number}".replace("  ", " ")
            value = f"{base} {rng.choice(FORMS)}".replace(" ,", ",").strip()
            if rng.random() < 0.1:
                value = "The " + value
            style = rng.random()
            if style < 0.2:
                value = value.upper()
            elif style < 0.3:
                value = value.lower()
        out.add(value)
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    unique = make_values(args.n, args.seed)
    rng = random.Random(args.seed)
    distinct = unique[: args.n // 10]
    repeated = rng.choices(distinct, weights=[1 / (i + 1) for i in range(len(distinct))], k=args.n)
    normalize_company("Warm Up GmbH")  # load the reference tables outside the timings
    results = normalize_many(normalize_company, unique)
    with_form = sum(r.legal_form is not None for r in results) / len(results)
    valid = sum(r.valid for r in results) / len(results)

    rows = [
        ("normalize_company, unique",
         per_second(lambda: [normalize_company(v) for v in unique], args.n)),
        ("normalize_many(normalize_company), unique",
         per_second(lambda: normalize_many(normalize_company, unique), args.n)),
        ("normalize_many(normalize_company), 10% distinct",
         per_second(lambda: normalize_many(normalize_company, repeated), args.n)),
        ("company_key, unique", per_second(lambda: [company_key(v) for v in unique], args.n)),
        ("company_key(drop_noise=True), unique",
         per_second(lambda: [company_key(v, drop_noise=True) for v in unique], args.n)),
    ]  # fmt: skip
    print(machine_line())
    print(f"{args.n:,} values; legal form found in {with_form:.0%}, valid {valid:.0%}")
    print_rows(["what", "companies/s"], rows)


if __name__ == "__main__":
    main()
