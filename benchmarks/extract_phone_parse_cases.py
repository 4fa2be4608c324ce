"""Extract the parse cases of python-phonenumbers' test suite as labelled data.

python-phonenumbers (https://github.com/daviddrysdale/python-phonenumbers, Apache-2.0) tests
its ``parse`` on a few hundred inputs: national and international forms, RFC 3966 ``tel:``
URIs, extensions, full-width and other non-ASCII digits, and inputs that must fail. Each case
is a fact (input, region, expected number or expected failure); this script records those facts
by running the suite's parse tests (``testParse*``, ``testFailedParse*`` of
``tests/phonenumberutiltest.py``) against the suite's own test metadata and writing down, for
each ``parse`` call, its arguments and outcome. No test code is copied.

The expected outcome is then mapped onto what crmclean's :class:`Phone` holds: the E.164 form
of the expected number, its extension, and whether that number is valid under the *real*
numbering plans of the installed ``phonenumbers`` (the test metadata is a simplified,
partly fictional copy, so some expected numbers do not exist in reality).

Usage: python benchmarks/extract_phone_parse_cases.py PATH/TO/python-phonenumbers [--commit SHA]
Writes tests/data/phonenumbers_parse_cases.csv (see tests/data/SOURCES.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "phonenumbers_parse_cases.csv"

# Runs inside the checkout's python/ folder, with its own phonenumbers and test metadata.
_RECORDER = r"""
import json, sys, types, unittest
import phonenumbers
from phonenumbers import NumberParseException
import tests.phonenumberutiltest as suite

records = []
current = [""]
real_parse = phonenumbers.parse

def recording_parse(number, region=None, keep_raw_input=False, numobj=None, **kw):
    row = {"test": current[0], "input": number, "region": region}
    try:
        result = real_parse(number, region, keep_raw_input, numobj, **kw)
    except NumberParseException as exc:
        row["error"] = exc.error_type
        records.append(row)
        raise
    row.update(country_code=result.country_code, national_number=result.national_number,
               italian_leading_zero=bool(result.italian_leading_zero),
               leading_zeros=result.number_of_leading_zeros or 1,
               extension=result.extension)
    records.append(row)
    return result

proxy = types.ModuleType("phonenumbers")
proxy.__dict__.update(phonenumbers.__dict__)
proxy.parse = recording_parse
suite.phonenumbers = proxy

names = [n for n in dir(suite.PhoneNumberUtilTest)
         if n.startswith("testParse") or n.startswith("testFailedParse")]
failed = []
for name in sorted(names):
    current[0] = name
    result = unittest.TestResult()
    suite.PhoneNumberUtilTest(name).run(result)
    if result.failures or result.errors:
        failed.append(name)
json.dump({"records": records, "failed": failed}, sys.stdout)
"""

_ERRORS = {0: "INVALID_COUNTRY_CODE", 1: "NOT_A_NUMBER", 2: "TOO_SHORT_AFTER_IDD",
           3: "TOO_SHORT_NSN", 4: "TOO_LONG"}  # fmt: skip


def record(checkout: Path) -> list[dict[str, Any]]:
    """The parse calls of the suite's parse tests, with their outcomes under test metadata."""
    done = subprocess.run(
        [sys.executable, "-c", _RECORDER],
        cwd=checkout / "python",
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)
    if data["failed"]:
        raise SystemExit(f"these tests failed, refusing to record them: {data['failed']}")
    return list(data["records"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("checkout", type=Path, help="a python-phonenumbers checkout")
    parser.add_argument("--commit", default="", help="the checkout's commit, for the record")
    args = parser.parse_args()
    import phonenumbers

    rows = []
    seen: set[tuple[str, str]] = set()
    for rec in record(args.checkout):
        value = rec["input"]
        if not isinstance(value, str):
            continue  # None: not a text case
        region = rec["region"] if rec["region"] not in (None, "ZZ") else ""
        key = (value, str(region))
        if key in seen:
            continue
        seen.add(key)
        row = {"source_test": rec["test"], "input": value, "region": region,
               "expected": "error", "expected_e164": "", "expected_extension": "",
               "valid_in_real_plan": "", "error": ""}  # fmt: skip
        if "error" in rec:
            row["error"] = _ERRORS.get(int(rec["error"]), str(rec["error"]))
        else:
            zeros = "0" * int(rec["leading_zeros"]) if rec["italian_leading_zero"] else ""
            nsn = zeros + str(rec["national_number"])
            number = phonenumbers.PhoneNumber(
                country_code=int(rec["country_code"]),
                national_number=int(rec["national_number"]),
                italian_leading_zero=bool(rec["italian_leading_zero"]) or None,
                number_of_leading_zeros=int(rec["leading_zeros"]) if zeros else None,
            )
            row.update(
                expected="number",
                expected_e164=f"+{rec['country_code']}{nsn}",
                expected_extension=rec["extension"] or "",
                valid_in_real_plan="1" if phonenumbers.is_valid_number(number) else "0",
            )
        rows.append(row)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        handle.write(
            "# Parse cases of python-phonenumbers' tests/phonenumberutiltest.py "
            f"(https://github.com/daviddrysdale/python-phonenumbers {args.commit}), "
            "Apache-2.0; extracted by benchmarks/extract_phone_parse_cases.py; "
            f"valid_in_real_plan from phonenumbers {phonenumbers.__version__}\n"
        )
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} cases -> {OUT}")


if __name__ == "__main__":
    main()
