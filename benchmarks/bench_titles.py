"""Job-title normalization throughput: unique titles, realistic repeated columns, worst case.

Values are generated CRM title cells: levels and departments in every word order ("VP Sales",
"Head of Sales, EMEA", "Sr. Marketing Mgr."), the C-suite in its many spellings, titles in
Russian, Chinese, Turkish, German, French, Spanish and Portuguese, typos, unknown titles and
junk, in original, lower, upper and title case. Every timed run starts with empty caches.

Each is timed per value (``normalize_title``) and, for the first two, as one column
(``normalize_titles``, the same reading returned as columns instead of one object per value).
Where crmclean's normalizers are compiled, the unique rows are also timed in pure Python.

- unique: every value a distinct string (many share their words once case and punctuation are
  folded, as real columns do; the table says how many distinct word keys there are);
- repeated: a column of the same size drawn from 10% of the unique values (Zipf-like);
- worst case: every value has words no other value has, so each one is read from scratch.

Usage: python benchmarks/bench_titles.py [--n 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import in_fresh_processes, machine_line, per_second, print_rows
from crmclean import normalize_many, normalize_title, normalize_titles
from crmclean.normalize import COMPILED
from crmclean.normalize.titles import default_taxonomy

MODIFIERS = ["", "", "", "Senior ", "Sr. ", "Sr ", "Junior ", "Jr. ", "Lead ", "Principal ",
             "Associate ", "Assistant ", "Deputy "]  # fmt: skip
LEVELS = ["VP", "V.P.", "Vice President", "SVP", "EVP", "Director", "Dir.", "Head", "Manager",
          "Mgr", "Mgr.", "Lead", "Specialist", "Coordinator", "Analyst", "Associate",
          "Representative", "Rep", "Consultant", "Supervisor", "Executive", "Intern"]  # fmt: skip
DEPARTMENTS = ["Sales", "Marketing", "Engineering", "Finance", "HR", "Human Resources", "People",
               "IT", "Operations", "Ops", "Product", "Customer Success", "Customer Support",
               "Business Development", "BD", "Legal", "Data", "Security", "Procurement",
               "Logistics", "R&D", "Accounting", "Communications", "PR", "Digital Marketing",
               "Sales & Marketing", "Sales Operations", "Design", "QA", "Compliance"]  # fmt: skip
SHAPES = ["{m}{l} {d}", "{m}{d} {l}", "{m}{l} of {d}", "{m}{l}, {d}", "{m}{l} - {d}"]
QUALIFIERS = ["", "", "", "", ", EMEA", " - North America", " II", " (DACH)", ", Global",
              " APAC", ", US", " III"]  # fmt: skip
FIXED = ["CEO", "C.E.O.", "Chief Executive Officer", "Founder & CEO", "Owner and CEO", "CEOn",
         "Cheif Executive Officer", "President & CEO", "Co-Founder / CTO", "CFO", "CTO", "COO",
         "CMO", "CIO", "Owner", "Founder", "Partner", "Managing Director", "General Manager",
         "Software Engineer", "Sr. Software Engineer", "Software Developer", "Data Scientist",
         "Account Executive", "Account Manager", "Sales Rep", "BDR", "Executive Assistant",
         "Office Manager", "Project Manager", "Product Owner", "Accountant", "Recruiter",
         "Markting Manager", "Sales Manger", "Генеральный директор", "Директор по продажам",
         "Руководитель отдела маркетинга", "Главный бухгалтер", "Программист", "总经理",
         "销售经理", "市场总监", "软件工程师", "Genel Müdür", "Satış Müdürü", "Pazarlama Müdürü",
         "Geschäftsführer", "Vertriebsleiter", "Leiter Marketing", "PDG", "Directeur commercial",
         "Chef de projet", "Director General", "Gerente de Ventas", "Jefe de Ventas",
         "Diretor Comercial", "Gerente de Vendas", "N/A", "-", "test", "asdf", "Mr.",
         "Growth Hacker", "Chief Happiness Officer", "Evangelist", "Staff Accountant",
         "Senior Firmware Wizard", "Content Writer"]  # fmt: skip
CASES = [str, str, str, str.lower, str.upper, str.title]


def make_values(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        if rng.random() < 0.15:
            value = rng.choice(FIXED) + rng.choice(QUALIFIERS)
        else:
            value = rng.choice(SHAPES).format(
                m=rng.choice(MODIFIERS), l=rng.choice(LEVELS), d=rng.choice(DEPARTMENTS)
            ) + rng.choice(QUALIFIERS)
        value = rng.choice(CASES)(value)
        roll = rng.random()
        if roll < 0.10:
            value = f"  {value} "
        elif roll < 0.15:
            value = value.replace(" ", "  ", 1)
        elif roll < 0.25:  # an otherwise unique value: a team or company name after the title
            value = f"{value} - Team {rng.randrange(100_000)}"
        out.add(value)
    return sorted(out)


def cold(values: list[str]) -> None:
    default_taxonomy().clear_cache()
    for value in values:
        normalize_title(value)


def cold_many(values: list[str]) -> None:
    default_taxonomy().clear_cache()
    normalize_many(normalize_title, values)


def cold_column(values: list[str]) -> None:
    default_taxonomy().clear_cache()
    normalize_titles(values)


ROWS = {
    "unique, normalize_title per value": ("unique", cold),
    "unique, normalize_titles (column)": ("unique", cold_column),
    "repeated (10% distinct)": ("repeated", cold),
    "repeated, normalize_many": ("repeated", cold_many),
    "repeated, normalize_titles (column)": ("repeated", cold_column),
    "worst case (every value new words)": ("worst", cold),
}


def inputs(n: int, seed: int) -> dict[str, list[str]]:
    unique = make_values(n, seed)
    rng = random.Random(seed)
    pool = rng.sample(unique, max(1, n // 10))  # a random tenth of the values
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    return {
        "unique": unique,
        "repeated": rng.choices(pool, weights=weights, k=n),
        "worst": [f"Senior Unit{i} Lead Person{i} of Area{i}" for i in range(n // 5)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--row", choices=list(ROWS), help="time one row here and print it")
    args = parser.parse_args()
    if args.row:  # one row, in this process
        values = inputs(args.n, args.seed)[ROWS[args.row][0]]
        run = ROWS[args.row][1]
        normalize_title("warm up")  # build the taxonomy outside the timings
        print(per_second(lambda: run(values), len(values)))
        return
    unique = inputs(args.n, args.seed)["unique"]
    tax = default_taxonomy()
    tax.clear_cache()
    results = [normalize_title(v) for v in unique]
    folded = len({" ".join(v.lower().split()) for v in unique})
    known = sum(r.canonical is not None for r in results) / len(results)
    unknown = sum("unknown_title" in r.issues for r in results) / len(results)
    invalid = sum(not r.valid for r in results) / len(results)
    argv = ["--n", str(args.n), "--seed", str(args.seed)]
    figures = in_fresh_processes(list(ROWS), argv)
    if COMPILED:  # the same unique rows in plain Python, for comparison
        pure = in_fresh_processes(list(ROWS)[:2], argv, pure_python=True)
        figures.update({f"{row}, pure Python": value for row, value in pure.items()})
    print(machine_line())
    print(
        f"{len(unique):,} unique values ({folded:,} once case and spaces are folded): "
        f"{known:.1%} canonical, {unknown:.1%} unknown, {invalid:.1%} not valid"
    )
    print_rows(["input (caches emptied before each run, each row in a fresh process)",
                "titles/s"], list(figures.items()))  # fmt: skip


if __name__ == "__main__":
    main()
