"""Column roles of real CRM export shapes, in every language crmclean supports: at least 95 %
of each export's role-bearing columns must get their role, and none a wrong one."""

from __future__ import annotations

import pytest

from crmclean import fields
from crmclean.columns import detect_roles, header_key, header_table, unused_role_of
from crmclean.normalize.data import load_rows

# header -> the role it should get (None: a column with no role, which must stay unassigned)
EXPORTS: dict[str, dict[str, str | None]] = {
    "hubspot": {
        "Record ID": "id", "First Name": "first_name", "Last Name": "last_name",
        "Email": "email", "Phone Number": "phone", "Mobile Phone Number": "mobile",
        "Job Title": "title", "Company Name": "company", "Street Address": "street",
        "City": "city", "State/Region": "region", "Postal Code": "postcode",
        "Country/Region": "country", "Create Date": "created_at",
        "Last Modified Date": "updated_at", "Original Source": "source",
        "Contact owner": None, "Lifecycle Stage": None,
    },
    "salesforce_report": {
        "Contact ID": "id", "Salutation": "salutation", "First Name": "first_name",
        "Last Name": "last_name", "Title": "title", "Account Name": "company",
        "Mailing Street": "street", "Mailing City": "city",
        "Mailing State/Province": "region", "Mailing Zip/Postal Code": "postcode",
        "Mailing Country": "country", "Phone": "phone", "Mobile": "mobile", "Email": "email",
        "Birthdate": "dob", "Lead Source": "source", "Created Date": "created_at",
        "Last Modified Date": "updated_at",
    },
    "salesforce_data_loader": {
        "Id": "id", "AccountId": None, "FirstName": "first_name", "LastName": "last_name",
        "Email": "email", "Phone": "phone", "MobilePhone": "mobile", "Title": "title",
        "Account.Name": "company", "MailingStreet": "street", "MailingCity": "city",
        "MailingState": "region", "MailingPostalCode": "postcode",
        "MailingCountry": "country", "Birthdate": "dob", "LeadSource": "source",
        "CreatedDate": "created_at", "LastModifiedDate": "updated_at",
    },
    "dynamics_display": {
        "(Do Not Modify) Contact": "id", "(Do Not Modify) Row Checksum": None,
        "(Do Not Modify) Modified On": "updated_at", "Full Name": "full_name",
        "First Name": "first_name", "Middle Name": "middle_name", "Last Name": "last_name",
        "Email": "email", "Business Phone": "phone", "Mobile Phone": "mobile",
        "Job Title": "title", "Company Name": "company", "Address 1: Street 1": "street",
        "Address 1: Street 2": "address_2", "Address 1: City": "city",
        "Address 1: State/Province": "region", "Address 1: ZIP/Postal Code": "postcode",
        "Address 1: Country/Region": "country", "Birthday": "dob", "Created On": "created_at",
    },
    "dynamics_api": {
        "contactid": "id", "fullname": "full_name", "firstname": "first_name",
        "middlename": "middle_name", "lastname": "last_name", "emailaddress1": "email",
        "telephone1": "phone", "mobilephone": "mobile", "jobtitle": "title",
        "parentcustomeridname": "company", "address1_line1": "street",
        "address1_line2": "address_2", "address1_city": "city",
        "address1_stateorprovince": "region", "address1_postalcode": "postcode",
        "address1_country": "country", "birthdate": "dob", "governmentid": "national_id",
        "websiteurl": "website", "leadsourcecode": "source", "createdon": "created_at",
        "modifiedon": "updated_at", "gendercode": "gender",
    },
    "zoho": {
        "Record Id": "id", "Salutation": "salutation", "First Name": "first_name",
        "Last Name": "last_name", "Email": "email", "Phone": "phone", "Mobile": "mobile",
        "Title": "title", "Account Name": "company", "Mailing Street": "street",
        "Mailing City": "city", "Mailing State": "region", "Mailing Zip": "postcode",
        "Mailing Country": "country", "Date of Birth": "dob", "Lead Source": "source",
        "Created Time": "created_at", "Modified Time": "updated_at",
    },
    "pipedrive": {
        "Person - ID": "id", "Person - Name": "full_name", "Person - First name": "first_name",
        "Person - Last name": "last_name", "Person - Email - Work": "email",
        "Person - Phone - Work": "phone", "Person - Phone - Mobile": "mobile",
        "Person - Organization": "company", "Person - Add time": "created_at",
        "Person - Update time": "updated_at", "Person - Owner": None,
    },
    "bitrix24": {
        "ID": "id", "Обращение": "salutation", "Имя": "first_name", "Отчество": "middle_name",
        "Фамилия": "last_name", "Дата рождения": "dob", "Должность": "title",
        "Компания": "company", "Рабочий телефон": "phone", "Мобильный телефон": "mobile",
        "Рабочий e-mail": "email", "Улица, дом, корпус, строение": "street",
        "Квартира / офис": "address_2", "Город": "city", "Область": "region",
        "Почтовый индекс": "postcode", "Страна": "country", "Источник": "source",
        "Дата создания": "created_at", "Дата изменения": "updated_at",
        "Ответственный": None,
    },
    "amocrm": {
        "ID": "id", "Полное имя": "full_name", "Имя": "first_name", "Фамилия": "last_name",
        "Компания": "company", "Должность": "title", "Рабочий телефон": "phone",
        "Мобильный телефон": "mobile", "Рабочий email": "email", "Дата создания": "created_at",
        "Изменено": "updated_at", "Теги": None, "Ответственный": None,
    },
    "chinese": {
        "客户编号": "id", "姓名": "full_name", "手机": "mobile", "电话": "phone",
        "电子邮箱": "email", "公司名称": "company", "职位": "title", "省份": "region",
        "城市": "city", "详细地址": "address", "邮编": "postcode", "国家": "country",
        "出生日期": "dob", "来源": "source", "创建时间": "created_at", "更新时间": "updated_at",
        "负责人": None,
    },
    "chinese_traditional": {
        "客戶編號": "id", "聯絡人姓名": "full_name", "手機": "mobile", "電話": "phone",
        "電子郵件": "email", "公司名稱": "company", "職稱": "title", "城市": "city",
        "詳細地址": "address", "郵遞區號": "postcode", "國家": "country", "建立時間": "created_at",
    },
    "turkish": {
        "Müşteri No": "id", "Adı": "first_name", "Soyadı": "last_name", "E-posta": "email",
        "Telefon": "phone", "Cep Telefonu": "mobile", "Ünvan": "title", "Şirket": "company",
        "Adres": "address", "Şehir": "city", "Posta Kodu": "postcode", "Ülke": "country",
        "Doğum Tarihi": "dob", "TC Kimlik No": "national_id", "Kaynak": "source",
        "Oluşturulma Tarihi": "created_at", "Güncellenme Tarihi": "updated_at",
    },
    "turkish_upper": {
        "AD": "first_name", "SOYAD": "last_name", "E-POSTA": "email", "CEP TELEFONU": "mobile",
        "ŞİRKET ADI": "company", "İL": "city", "ÜLKE": "country",
    },
    "people_register": {
        "Person ID": "id", "First Name": "first_name", "Middle Initial": "middle_name",
        "Surname": "last_name", "Date of Birth": "dob", "Place of Birth": "birthplace",
        "Sex": "gender", "Occupation": "occupation", "Post Code": "postcode",
        "National ID Number": "national_id",
    },
    "people_register_ru": {
        "Фамилия": "last_name", "Имя": "first_name", "Отчество": "middle_name",
        "Дата рождения": "dob", "Место рождения": "birthplace", "Пол": "gender",
        "Профессия": "occupation",
        "Индекс": "postcode", "СНИЛС": "national_id",
    },
    "people_register_zh": {
        "姓名": "full_name", "出生日期": "dob", "出生地": "birthplace", "性别": "gender",
        "职业": "occupation",
        "邮政编码": "postcode", "身份证号码": "national_id",
    },
    "people_register_tr": {
        "Adı": "first_name", "İkinci Adı": "middle_name", "Soyadı": "last_name",
        "Doğum Tarihi": "dob", "Doğum Yeri": "birthplace", "Cinsiyet": "gender",
        "Meslek": "occupation",
        "Posta Kodu": "postcode", "T.C. Kimlik No": "national_id",
    },
}  # fmt: skip


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_each_export_shape_gets_its_roles(export: str) -> None:
    expected = EXPORTS[export]
    found = {column: role for role, column in detect_roles(list(expected)).items()}
    wanted = {h: r for h, r in expected.items() if r is not None}
    right = sum(1 for h, r in wanted.items() if found.get(h) == r)
    assert right / len(wanted) >= 0.95, {h: (r, found.get(h)) for h, r in wanted.items()}
    wrong = {h: found[h] for h in found if expected[h] != found[h]}
    assert not wrong


def test_unicode_letters_are_kept_in_header_keys() -> None:
    assert header_key("Şirket") == "sirket"
    assert header_key("Имя") == "имя"
    assert header_key("电子邮箱") == "电子邮箱"
    assert header_key("İL") == header_key("il") == header_key("İl")


def test_the_header_table_has_one_role_per_folded_header() -> None:
    by_key: dict[str, set[str]] = {}
    for row in load_rows("column_roles.csv"):
        by_key.setdefault(header_key(row["header"]), set()).add(row["role"])
    clashes = {k: v for k, v in by_key.items() if len(v) > 1}
    assert not clashes


def test_roles_no_field_knows_are_skipped_not_fatal() -> None:
    # the header table may name a role before any field claims it: without the gender field,
    # "Cinsiyet" is a known header of an unused role, and detection leaves it alone
    gender = fields.get_field("gender")
    fields.unregister_field("gender")
    try:
        assert "gender" in set(header_table().values())
        assert "gender" not in set(fields.known_roles())
        roles = detect_roles(["Cinsiyet", "Doğum Yeri", "Meslek", "Ad"])
        assert roles == {"first_name": "Ad", "birthplace": "Doğum Yeri", "occupation": "Meslek"}
        assert unused_role_of("Cinsiyet") == "gender"
        assert unused_role_of("Ad") is None
    finally:
        fields.register_field(gender)
    assert detect_roles(["Cinsiyet"]) == {"gender": "Cinsiyet"}
    assert unused_role_of("Cinsiyet") is None
