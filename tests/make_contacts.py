"""Write tests/data/contacts_labelled.csv: small labelled contact data for the matching tests.

Deterministic (fixed seed): 240 people, some with one to three noisy duplicates (nicknames,
typos, swapped first and last names, missing fields, another email domain, a reformatted
phone), plus hard negatives: namesakes in other cities and family members sharing an address
and a phone. ``true_id`` is the person each record belongs to.

    python tests/make_contacts.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

GIVEN = [
    "James", "Robert", "William", "Elizabeth", "Margaret", "Katherine", "Michael", "Thomas",
    "Olivia", "Amelia", "Isla", "Sophia", "Daniel", "Matthew", "Joseph", "Sarah", "Emily",
    "Hannah", "Lucas", "Noah", "Oliver", "Grace", "Chloe", "Zoe", "Ethan", "Liam", "Mia",
    "Anna", "Jacob", "Samuel", "Patricia", "Jennifer", "Richard", "Charles", "Susan",
]  # fmt: skip
NICKNAMES = {
    "James": "Jim", "Robert": "Bob", "William": "Bill", "Elizabeth": "Liz",
    "Margaret": "Maggie", "Katherine": "Kate", "Michael": "Mike", "Thomas": "Tom",
    "Daniel": "Dan", "Matthew": "Matt", "Joseph": "Joe", "Samuel": "Sam", "Richard": "Rick",
    "Charles": "Charlie", "Patricia": "Pat", "Jennifer": "Jen", "Susan": "Sue",
}  # fmt: skip
FAMILY = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
    "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kowalczyk", "Okonkwo",
    "Fitzgerald", "Van der Berg", "O'Brien", "Przybylski", "Haugland", "Tanaka", "Moreau",
]  # fmt: skip
CITIES = ["Leeds", "York", "Bristol", "Norwich", "Glasgow", "Cardiff", "Bath", "Derby"]
DOMAINS = ["gmail.com", "yahoo.co.uk", "outlook.com", "acme.co.uk", "globex.com", "initech.io"]
COMPANIES = ["Acme Ltd", "Globex plc", "Initech", "Umbrella Corp", "Hooli", "Stark Industries"]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def _phone(rng: random.Random) -> str:
    return f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}"


def _person(rng: random.Random, pid: int) -> dict[str, str]:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    local = f"{given.lower()}.{family.lower().replace(' ', '').replace(chr(39), '')}{pid % 97}"
    return {
        "First Name": given,
        "Last Name": family,
        "Email": f"{local}@{rng.choice(DOMAINS)}",
        "Mobile": _phone(rng),
        "City": rng.choice(CITIES),
        "Birth Date": f"{rng.randrange(1950, 2002)}-{rng.randrange(1, 13):02d}-"
        f"{rng.randrange(1, 29):02d}",
        "Company": rng.choice(COMPANIES),
    }


def _duplicate(rng: random.Random, person: dict[str, str]) -> dict[str, str]:
    dup = dict(person)
    changes = rng.sample(range(8), k=rng.randrange(1, 4))
    for change in changes:
        if change == 0:
            dup["First Name"] = NICKNAMES.get(dup["First Name"], _typo(rng, dup["First Name"]))
        elif change == 1:
            dup["Last Name"] = _typo(rng, dup["Last Name"])
        elif change == 2:
            dup["First Name"], dup["Last Name"] = dup["Last Name"], dup["First Name"]
        elif change == 3:
            local = dup["Email"].split("@")[0]
            dup["Email"] = f"{local}@{rng.choice(DOMAINS)}"
        elif change == 4:
            dup["Email"] = ""
        elif change == 5:
            digits = dup["Mobile"].replace(" ", "")
            dup["Mobile"] = "+44 " + digits[1:5] + " " + digits[5:]
        elif change == 6:
            dup["City"] = ""
        else:
            dup["First Name"] = dup["First Name"].upper()
            dup["Last Name"] = dup["Last Name"].lower()
    return dup


def make_rows(seed: int = 5, people: int = 240) -> list[dict[str, str]]:
    """The labelled records, in a shuffled but fixed order."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for pid in range(people):
        person = _person(rng, pid)
        rows.append({"true_id": str(pid), **person})
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
            rows.append({"true_id": str(pid), **_duplicate(rng, person)})
        if pid % 15 == 0:  # a namesake in another city: another person
            other = _person(rng, pid + 1000)
            other["First Name"], other["Last Name"] = person["First Name"], person["Last Name"]
            rows.append({"true_id": str(pid + 1000), **other})
        if pid % 20 == 0:  # a family member: same family name, phone and city
            relative = _person(rng, pid + 2000)
            relative["Last Name"] = person["Last Name"]
            relative["Mobile"] = person["Mobile"]
            relative["City"] = person["City"]
            rows.append({"true_id": str(pid + 2000), **relative})
    rng.shuffle(rows)
    return [{"record_id": f"r{i:04d}", **row} for i, row in enumerate(rows)]


def main() -> None:
    path = Path(__file__).parent / "data" / "contacts_labelled.csv"
    path.parent.mkdir(exist_ok=True)
    rows = make_rows()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} records to {path}")


if __name__ == "__main__":
    main()
