"""Column roles detected from the headers of real CRM exports."""

from __future__ import annotations

import pytest

from crmclean.columns import ROLES, detect_roles
from crmclean.errors import ColumnError, ConfigError

HUBSPOT = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
    "Job Title", "Company Name", "Street Address", "City", "State/Region", "Postal Code",
    "Country/Region", "Create Date", "Last Modified Date", "Original Source",
]  # fmt: skip
SALESFORCE = [
    "Id", "FirstName", "LastName", "Email", "Phone", "MobilePhone", "Title", "Account.Name",
    "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry",
    "CreatedDate", "LastModifiedDate", "LeadSource",
]  # fmt: skip
ZOHO = [
    "Contact Id", "First Name", "Last Name", "Email", "Phone", "Mobile", "Title", "Account Name",
    "Mailing Street", "Mailing City", "Mailing State", "Mailing Zip", "Mailing Country",
    "Created Time", "Modified Time", "Lead Source",
]  # fmt: skip
PIPEDRIVE = [
    "Person - ID", "Person - Name", "Person - Email - Work", "Person - Phone - Work",
    "Person - Organization", "Person - Add time", "Person - Update time",
]  # fmt: skip

FULL = {
    "id", "first_name", "last_name", "email", "phone", "mobile", "title", "company", "street",
    "city", "region", "postcode", "country", "created_at", "updated_at", "source",
}  # fmt: skip


@pytest.mark.parametrize("headers", [HUBSPOT, SALESFORCE, ZOHO], ids=["hubspot", "sf", "zoho"])
def test_every_field_of_the_big_crm_exports_is_recognized(headers: list[str]) -> None:
    roles = detect_roles(headers)
    assert set(roles) == FULL
    assert len(set(roles.values())) == len(roles)


def test_pipedrive_person_prefix_is_understood() -> None:
    roles = detect_roles(PIPEDRIVE)
    assert roles == {
        "id": "Person - ID",
        "full_name": "Person - Name",
        "email": "Person - Email - Work",
        "phone": "Person - Phone - Work",
        "company": "Person - Organization",
        "created_at": "Person - Add time",
        "updated_at": "Person - Update time",
    }


def test_public_benchmark_headers_are_recognized() -> None:
    splink = detect_roles(["unique_id", "first_name", "surname", "dob", "city", "email"])
    assert splink == {
        "id": "unique_id", "first_name": "first_name", "last_name": "surname",
        "email": "email", "city": "city", "dob": "dob",
    }  # fmt: skip
    febrl = detect_roles(["rec_id", "given_name", "surname", "street_number", "address_1",
                          "address_2", "suburb", "postcode", "state", "date_of_birth",
                          "soc_sec_id"])  # fmt: skip
    assert febrl["first_name"] == "given_name"
    assert febrl["city"] == "suburb"
    assert febrl["national_id"] == "soc_sec_id"


def test_first_column_of_a_role_wins_and_unknown_headers_are_ignored() -> None:
    roles = detect_roles(["Notes", "Email", "Work Email", "Favourite colour"])
    assert roles == {"email": "Email"}


def test_overrides_win_and_free_the_detected_column() -> None:
    roles = detect_roles(["E-mail", "Email", "Tel."], overrides={"email": "Email", "phone": "Tel."})
    assert roles == {"email": "Email", "phone": "Tel."}


def test_unknown_role_in_override_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown column role 'emial'"):
        detect_roles(["Email"], overrides={"emial": "Email"})


def test_missing_column_in_override_names_the_column_not_the_data() -> None:
    with pytest.raises(ColumnError, match="'Phone'") as info:
        detect_roles(["Email"], overrides={"phone": "Phone"})
    assert "role 'phone'" in str(info.value)


def test_one_column_cannot_take_two_roles() -> None:
    with pytest.raises(ColumnError, match="more than one role"):
        detect_roles(["Email"], overrides={"email": "Email", "phone": "Email"})


def test_roles_come_out_in_canonical_order() -> None:
    roles = detect_roles(["Email", "Last Name", "First Name"])
    assert list(roles) == [r for r in ROLES if r in roles]
