"""Email normalization throughput, side by side with calling email-validator directly.

The raw baseline is ``email_validator.validate_email(value, check_deliverability=False)``
(syntax and IDNA only); crmclean's result holds that and more (free / role / disposable
classification, typo suggestions, the provider-aware match key). Values are realistic CRM
cells: mixed case, spaces, display names, typo domains, invalid ones, a few non-ASCII.

Usage: python benchmarks/bench_emails.py [--n 100000] [--seed 5]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, per_second, print_rows
from crmclean import normalize_email, normalize_many

GIVEN = ["jane", "john", "maria", "ivan", "wei", "ayse", "pierre", "lukas", "olga", "kenji"]
FAMILY = ["smith", "garcia", "petrov", "wang", "yilmaz", "dubois", "muller", "sato", "brown"]
DOMAINS = (
    ["gmail.com"] * 20 + ["yahoo.com"] * 5 + ["hotmail.com"] * 5 + ["outlook.com"] * 4
    + ["yandex.ru", "mail.ru", "qq.com", "163.com", "gmx.de", "web.de", "orange.fr"] * 2
    + [f"company{i}.com" for i in range(200)] + [f"firma{i}.de" for i in range(50)]
    + ["gmial.com", "hotmial.com", "gmail.con", "yaho.com", "mailinator.com", "bücher.de"]
)  # fmt: skip
SHAPES = ["{g}.{f}", "{g}{f}", "{g}_{f}", "{i}{f}", "{g}.{f}{n}", "{g}+crm@", "info", "sales"]


def make_values(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        g, f = rng.choice(GIVEN), rng.choice(FAMILY)
        local = rng.choice(SHAPES).format(g=g, f=f, i=g[0], n=rng.randrange(10_000)).rstrip("@")
        if local in ("info", "sales") or rng.random() < 0.5:
            local += str(rng.randrange(100_000))
        value = f"{local}@{rng.choice(DOMAINS)}"
        roll = rng.random()
        if roll < 0.15:
            value = value.title()
        elif roll < 0.20:
            value = f"  {value} "
        elif roll < 0.23:
            value = f"{g.title()} {f.title()} <{value}>"
        elif roll < 0.26:
            value = value.replace("@", "")
        elif roll < 0.28:
            value = value.replace(".", "..", 1)
        out.add(value)
    return sorted(out)


def raw(values: list[str]) -> None:
    for value in values:
        with contextlib.suppress(EmailNotValidError):
            validate_email(value.strip(), check_deliverability=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    unique = make_values(args.n, args.seed)
    rng = random.Random(args.seed)
    repeated = rng.choices(unique[: args.n // 10], k=args.n)
    normalize_email("warm@up.com")  # load the reference tables outside the timings
    valid = sum(r.valid for r in normalize_many(normalize_email, unique)) / len(unique)
    rows = []
    for label, values in (("unique", unique), ("repeated (10% distinct)", repeated)):
        base = per_second(lambda v=values: raw(v), args.n)  # type: ignore[misc]
        ours = per_second(
            lambda v=values: normalize_many(normalize_email, v), args.n  # type: ignore[misc]
        )
        rows.append((label, base, ours, f"{base / ours:.2f}x"))
    print(machine_line())
    print(f"{args.n:,} values, {valid:.1%} valid")
    print_rows(["input", "email-validator direct, values/s",
                "normalize_many(normalize_email), values/s",
                "crmclean time / direct time"], rows)  # fmt: skip


if __name__ == "__main__":
    main()
