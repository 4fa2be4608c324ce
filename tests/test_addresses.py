"""Postal addresses: parsing, USPS Publication 28 standardization, postcodes, countries, keys."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import crmclean
from crmclean import ConfigError, normalize_address, normalize_country
from crmclean.codes import ISSUE_CODES
from crmclean.normalize import addresses as addresses_module
from crmclean.normalize.addresses import Address, country_name

# --- United States: one line ---------------------------------------------------------------

US_CASES = [
    # value, line1, unit, city, region, postcode
    ("123 north main street apartment 4, springfield, il 62701",
     "123 N Main St", "Apt 4", "Springfield", "IL", "62701"),
    ("123 Main Street, Springfield, IL 62701", "123 Main St", None, "Springfield", "IL", "62701"),
    ("123 Main St Springfield IL 62701", "123 Main St", None, "Springfield", "IL", "62701"),
    ("456 Oak Avenue Suite 200, Austin, Texas 78701", "456 Oak Ave", "Ste 200", "Austin", "TX",
     "78701"),
    ("789 NORTHEAST BROADWAY BLVD #5, PORTLAND OR 97232", "789 NE Broadway Blvd", "# 5",
     "Portland", "OR", "97232"),
    ("1 Infinite Loop, Cupertino, CA 95014", "1 Infinite Loop", None, "Cupertino", "CA", "95014"),
    ("1600 Amphitheatre Parkway, Mountain View, CA 94043-1351", "1600 Amphitheatre Pkwy", None,
     "Mountain View", "CA", "94043-1351"),
    ("350 5th Ave Fl 34, New York, NY 10118", "350 5th Ave", "Fl 34", "New York", "NY", "10118"),
    ("350 Fifth Avenue, 34th Floor, New York, New York 10118", "350 Fifth Ave", "Fl 34",
     "New York", "NY", "10118"),
    ("100 Congress Ave., Ste. 2000, Austin, TX 78701", "100 Congress Ave", "Ste 2000", "Austin",
     "TX", "78701"),
    ("2400 N. Lamar Blvd. Apt. 12B, Austin, TX 78705", "2400 N Lamar Blvd", "Apt 12B", "Austin",
     "TX", "78705"),
    ("10 S Wacker Dr, Chicago, IL 60606", "10 S Wacker Dr", None, "Chicago", "IL", "60606"),
    ("233 South Wacker Drive Chicago IL 60606", "233 S Wacker Dr", None, "Chicago", "IL", "60606"),
    ("1 Microsoft Way, Redmond, WA 98052-6399", "1 Microsoft Way", None, "Redmond", "WA",
     "98052-6399"),
    ("1 Microsoft Way, Redmond, WA 980526399", "1 Microsoft Way", None, "Redmond", "WA",
     "98052-6399"),
    ("1234 W 42nd St Unit 5, Kansas City, MO 64111", "1234 W 42nd St", "Unit 5", "Kansas City",
     "MO", "64111"),
    ("221 E 7th Street Rear, Cincinnati, OH 45202", "221 E 7th St", "Rear", "Cincinnati", "OH",
     "45202"),
    ("500 Avenue of the Americas, New York, NY 10036", "500 Avenue of the Americas", None,
     "New York", "NY", "10036"),
    ("1 E Pratt St, Baltimore, Md 21202", "1 E Pratt St", None, "Baltimore", "MD", "21202"),
    ("2000 Pennsylvania Ave NW Suite 300, Washington, DC 20006", "2000 Pennsylvania Ave NW",
     "Ste 300", "Washington", "DC", "20006"),
    ("1600 Pennsylvania Avenue Northwest, Washington, D.C. 20500", "1600 Pennsylvania Ave NW",
     None, "Washington", "DC", "20500"),
    ("742 Park Ave, New York, NY 10021", "742 Park Ave", None, "New York", "NY", "10021"),
    ("55 WATER ST, BROOKLYN, NY 11201", "55 Water St", None, "Brooklyn", "NY", "11201"),
    ("12 Old Mill Road Building 3 Floor 2, Hartford, Connecticut 06103", "12 Old Mill Rd",
     "Bldg 3 Fl 2", "Hartford", "CT", "06103"),
    ("400 Broad St Room 12, Seattle, Wash. 98109", "400 Broad St", "Rm 12", "Seattle", "WA",
     "98109"),
    ("77 Massachusetts Ave, Cambridge, Mass 02139", "77 Massachusetts Ave", None, "Cambridge",
     "MA", "02139"),
    ("8 Harbor Point Southwest, Suite 12, Miami, FL 33131", "8 Harbor Pt SW", "Ste 12", "Miami",
     "FL", "33131"),
    ("15 Peachtree Center Avenue NE, Atlanta, Georgia 30303", "15 Peachtree Center Ave NE", None,
     "Atlanta", "GA", "30303"),
    ("3 Saint Charles Pl Apt 2A, Saint Louis, MO 63101", "3 Saint Charles Pl", "Apt 2A",
     "Saint Louis", "MO", "63101"),
    ("123 1/2 Main St, Springfield, IL 62701", "123 1/2 Main St", None, "Springfield", "IL",
     "62701"),
    ("P.O. Box 1234, Anchorage, AK 99501", "PO Box 1234", None, "Anchorage", "AK", "99501"),
    ("PO BOX 55, HONOLULU, HI 96801", "PO Box 55", None, "Honolulu", "HI", "96801"),
    ("Post Office Box 9, Burlington, VT 05401", "PO Box 9", None, "Burlington", "VT", "05401"),
    ("RR 2 Box 152, Hartland, VT 05048", "RR 2 Box 152", None, "Hartland", "VT", "05048"),
    ("1 Main St, San Juan, PR 00901", "1 Main St", None, "San Juan", "PR", "00901"),
    ("123 Main St, Springfield, IL 62701, USA", "123 Main St", None, "Springfield", "IL", "62701"),
    ("123 Main St, Springfield, IL 62701, U.S.A.", "123 Main St", None, "Springfield", "IL",
     "62701"),
    ("123 Main St, Springfield, IL 62701, United States of America", "123 Main St", None,
     "Springfield", "IL", "62701"),
    ("123 Main St\nApt 4\nSpringfield, IL 62701", "123 Main St", "Apt 4", "Springfield", "IL",
     "62701"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "line1", "unit", "city", "region", "postcode"), US_CASES)
def test_us_one_line(
    value: str, line1: str, unit: str | None, city: str, region: str, postcode: str
) -> None:
    a = normalize_address(value)
    assert (a.line1, a.unit, a.city, a.region, a.postcode) == (line1, unit, city, region, postcode)
    assert a.country == ("PR" if region == "PR" else "US")
    assert a.valid, a.issues


def test_issue_example_full_result() -> None:
    a = normalize_address("123 north main street apartment 4, springfield, il 62701")
    assert a.house_number == "123"
    assert a.street == "N Main St"
    assert a.formatted == "123 N Main St Apt 4\nSpringfield IL 62701\nUnited States"
    assert a.value == a.formatted
    assert a.key == "123 n main st|springfield|il|62701|us"
    assert a.issues == ("country_inferred",)
    assert normalize_address(a.formatted).key == a.key


@pytest.mark.parametrize(
    ("street", "standard"),
    [
        ("100 Main Street", "100 Main St"), ("100 Oak Avenue", "100 Oak Ave"),
        ("100 Oak Av", "100 Oak Ave"), ("100 Sunset Boulevard", "100 Sunset Blvd"),
        ("100 Lake Shore Drive", "100 Lake Shore Dr"), ("100 Maple Lane", "100 Maple Ln"),
        ("100 Cedar Court", "100 Cedar Ct"), ("100 Elm Place", "100 Elm Pl"),
        ("100 Fox Run Circle", "100 Fox Run Cir"), ("100 Pine Terrace", "100 Pine Ter"),
        ("100 Deer Trail", "100 Deer Trl"), ("100 Route 66 Highway", "100 Route 66 Hwy"),
        ("100 Bay Parkway", "100 Bay Pkwy"), ("100 Kings Crossing", "100 Kings Xing"),
        ("100 River Heights", "100 River Hts"), ("100 Forest Expressway", "100 Forest Expy"),
        ("100 Turnpike", "100 Turnpike"), ("100 Garden State Turnpike", "100 Garden State Tpke"),
        ("100 Union Square", "100 Union Sq"), ("100 Mill Creek", "100 Mill Crk"),
        ("100 Stone Bridge", "100 Stone Brg"), ("100 Green Meadows", "100 Green Mdws"),
        ("100 Oak Meadow", "100 Oak Mdw"), ("100 Hunters Ridge", "100 Hunters Rdg"),
        ("100 Spring Valley", "100 Spring Vly"), ("100 Harbor View", "100 Harbor Vw"),
        ("100 Country Club Road", "100 Country Club Rd"), ("100 Main Street Extension",
                                                           "100 Main Street Ext"),
        ("100 North Avenue", "100 North Ave"), ("100 East West Highway", "100 E West Hwy"),
        ("100 Broadway", "100 Broadway"), ("100 N Broadway", "100 N Broadway"),
        ("100 Main St South", "100 Main St S"), ("100 Southeast 2nd Street", "100 SE 2nd St"),
    ],
)  # fmt: skip
def test_publication_28_suffixes_and_directionals(street: str, standard: str) -> None:
    assert normalize_address({"street": street, "city": "Springfield", "state": "IL"}).line1 == (
        standard
    )


@pytest.mark.parametrize(
    ("line2", "unit"),
    [
        ("Apartment 4", "Apt 4"), ("Apt. 4B", "Apt 4B"), ("apt #4", "Apt 4"), ("#12", "# 12"),
        ("Suite 200", "Ste 200"), ("STE 200", "Ste 200"), ("Floor 3", "Fl 3"),
        ("3rd Floor", "Fl 3"), ("Unit B", "Unit B"), ("Building 7", "Bldg 7"), ("Room 101",
        "Rm 101"), ("Penthouse", "PH"), ("Basement", "Bsmt"), ("Lot 12", "Lot 12"),
        ("Trailer 9", "Trlr 9"), ("Space 4", "Spc 4"), ("Department 5", "Dept 5"),
    ],
)  # fmt: skip
def test_publication_28_secondary_units(line2: str, unit: str) -> None:
    a = normalize_address({"street": "100 Main St", "line2": line2, "city": "Springfield",
                           "state": "IL", "zip": "62701"})  # fmt: skip
    assert a.unit == unit
    assert a.formatted == f"100 Main St {unit}\nSpringfield IL 62701\nUnited States"


# --- Canada ---------------------------------------------------------------------------------

CA_CASES = [
    ("24 Sussex Drive, Ottawa, ON K1A 0A1", "24 Sussex Dr", None, "Ottawa", "ON", "K1A 0A1"),
    ("24 sussex dr, ottawa, ontario k1a0a1", "24 Sussex Dr", None, "Ottawa", "ON", "K1A 0A1"),
    ("1 Yonge Street, Suite 1801, Toronto, Ontario M5E 1W7, Canada", "1 Yonge St", "Ste 1801",
     "Toronto", "ON", "M5E 1W7"),
    ("1000 rue Sherbrooke Ouest, Montréal, QC H3A 3R2", "1000 rue Sherbrooke Ouest", None,
     "Montréal", "QC", "H3A 3R2"),
    ("100 Queen St W, Toronto ON M5H 2N2", "100 Queen St W", None, "Toronto", "ON", "M5H 2N2"),
    ("800 Burrard Street, Vancouver, British Columbia V6Z 2V8", "800 Burrard St", None,
     "Vancouver", "BC", "V6Z 2V8"),
    ("10 Main St, Halifax, Nova Scotia B3H-1A1", "10 Main St", None, "Halifax", "NS", "B3H 1A1"),
    ("5 Rue Saint-Jean, Québec, Québec G1R 1N8", "5 Rue Saint-Jean", None, "Québec", "QC",
     "G1R 1N8"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "line1", "unit", "city", "region", "postcode"), CA_CASES)
def test_canada(
    value: str, line1: str, unit: str | None, city: str, region: str, postcode: str
) -> None:
    a = normalize_address(value)
    assert (a.line1, a.unit, a.city, a.region, a.postcode) == (line1, unit, city, region, postcode)
    assert a.country == "CA"
    assert a.valid, a.issues


def test_canadian_postal_code_k1a0b1() -> None:
    a = normalize_address({"street": "80 Wellington St", "city": "Ottawa", "province": "ON",
                           "postal code": "k1a0b1", "country": "Canada"})  # fmt: skip
    assert a.postcode == "K1A 0B1"
    assert a.key == "80 wellington st|ottawa|on|k1a0b1|ca"


# --- other countries ------------------------------------------------------------------------

INTL_CASES = [
    # value, house number, street, line1, city, region, postcode, country
    ("10 Downing Street, London SW1A 2AA, United Kingdom", "10", "Downing Street",
     "10 Downing Street", "London", None, "SW1A 2AA", "GB"),
    ("221B Baker St, London NW1 6XE, England", "221B", "Baker St", "221B Baker St", "London", None,
     "NW1 6XE", "GB"),
    ("1 Princes Street, Edinburgh EH2 2EQ, Scotland", "1", "Princes Street", "1 Princes Street",
     "Edinburgh", None, "EH2 2EQ", "GB"),
    ("10 downing street, london, sw1a2aa, great britain", "10", "Downing Street",
     "10 Downing Street", "London", None, "SW1A 2AA", "GB"),
    ("Hauptstraße 5, 10115 Berlin, Deutschland", "5", "Hauptstraße", "Hauptstraße 5", "Berlin",
     None, "10115", "DE"),
    ("Hauptstr. 5, 10115 Berlin, Germany", "5", "Hauptstr.", "Hauptstr. 5", "Berlin", None,
     "10115", "DE"),
    ("Marienplatz 8, 80331 München, Deutschland", "8", "Marienplatz", "Marienplatz 8", "München",
     None, "80331", "DE"),
    ("Königsallee 1a, D-40212 Düsseldorf", "1a", "Königsallee", "Königsallee 1a", "Düsseldorf",
     None, "40212", "DE"),
    ("Friedrichstr. 43 a, 10117 Berlin, BRD", "43a", "Friedrichstr.", "Friedrichstr. 43a",
     "Berlin", None, "10117", "DE"),
    ("Stephansplatz 1, 1010 Wien, Österreich", "1", "Stephansplatz", "Stephansplatz 1", "Wien",
     None, "1010", "AT"),
    ("Bahnhofstrasse 1, 8001 Zürich, Schweiz", "1", "Bahnhofstrasse", "Bahnhofstrasse 1",
     "Zürich", None, "8001", "CH"),
    ("12 rue de la Paix, 75002 Paris, France", "12", "rue de la Paix", "12 rue de la Paix",
     "Paris", None, "75002", "FR"),
    ("1 place Bellecour, 69002 Lyon, France", "1", "place Bellecour", "1 place Bellecour", "Lyon",
     None, "69002", "FR"),
    ("8 BIS AVENUE FOCH, 75116 PARIS, FRANCE", "8 BIS", "Avenue Foch", "8 BIS Avenue Foch",
     "Paris", None, "75116", "FR"),
    ("Kalverstraat 92, 1012 PH Amsterdam, Nederland", "92", "Kalverstraat", "Kalverstraat 92",
     "Amsterdam", None, "1012 PH", "NL"),
    ("Damrak 1, 1012LG Amsterdam, Holland", "1", "Damrak", "Damrak 1", "Amsterdam", None,
     "1012 LG", "NL"),
    ("Coolsingel 40, 3011 AD Rotterdam, The Netherlands", "40", "Coolsingel", "Coolsingel 40",
     "Rotterdam", None, "3011 AD", "NL"),
    ("Bağdat Caddesi No: 123 D: 4, 34710 Kadıköy/İstanbul, Türkiye", "123", "Bağdat Caddesi",
     "Bağdat Caddesi 123", "Kadıköy", "İstanbul", "34710", "TR"),
    ("Atatürk Bulvarı No:5, 06420 Çankaya/Ankara, Turkey", "5", "Atatürk Bulvarı",
     "Atatürk Bulvarı 5", "Çankaya", "Ankara", "06420", "TR"),
    ("ул. Тверская, д. 7, кв. 5, Москва, 125009, Россия", "7", "ул. Тверская",
     "ул. Тверская, д. 7", "Москва", None, "125009", "RU"),
    ("Россия, 190000, г. Санкт-Петербург, Невский пр., д. 28", "28", "Невский пр.",
     "Невский пр., д. 28", "Санкт-Петербург", None, "190000", "RU"),
    ("Невский проспект, 28, Санкт-Петербург, 191186, Российская Федерация", "28",
     "Невский проспект", "Невский проспект, д. 28", "Санкт-Петербург", None, "191186", "RU"),
    ("北京市朝阳区建国路88号 100022 中国", "88", "建国路", "建国路88号", "朝阳区", "北京市",
     "100022", "CN"),
    ("上海市浦东新区世纪大道100号, 200120", "100", "世纪大道", "世纪大道100号", "浦东新区",
     "上海市", "200120", "CN"),
    ("广东省广州市天河区天河路385号 510620", "385", "天河路", "天河路385号", "广州市天河区",
     "广东省", "510620", "CN"),
    ("〒100-0001 東京都千代田区千代田1-1", "1-1", "千代田", "千代田1-1", "千代田区", "東京都",
     "100-0001", "JP"),
    ("〒150-0002 東京都渋谷区渋谷2-21-1 日本", "2-21-1", "渋谷", "渋谷2-21-1", "渋谷区",
     "東京都", "150-0002", "JP"),
    ("1-1 Chiyoda, Chiyoda-ku, Tokyo 100-0001, Japan", "1-1", "Chiyoda", "1-1 Chiyoda", "Tokyo",
     None, "100-0001", "JP"),
    ("Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brasil", "1578",
     "Av. Paulista", "Av. Paulista, 1578", "São Paulo", "SP", "01310-200", "BR"),
    ("Rua Augusta, 1500, São Paulo/SP, 01304-001, Brazil", "1500", "Rua Augusta",
     "Rua Augusta, 1500", "São Paulo", "SP", "01304-001", "BR"),
    ("Avenida Atlântica, 1702, Rio de Janeiro - RJ, 22021001, Brasil", "1702",
     "Avenida Atlântica", "Avenida Atlântica, 1702", "Rio de Janeiro", "RJ", "22021-001", "BR"),
    ("Via Roma 10, 00184 Roma, Italia", "10", "Via Roma", "Via Roma 10", "Roma", None, "00184",
     "IT"),
    ("Calle Mayor 5, 28013 Madrid, España", "5", "Calle Mayor", "Calle Mayor 5", "Madrid", None,
     "28013", "ES"),
    ("1 George St, Sydney NSW 2000, Australia", "1", "George St", "1 George St", "Sydney", "NSW",
     "2000", "AU"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "house", "street", "line1", "city", "region", "postcode", "country"), INTL_CASES
)
def test_international(
    value: str,
    house: str,
    street: str,
    line1: str,
    city: str,
    region: str | None,
    postcode: str,
    country: str,
) -> None:
    a = normalize_address(value)
    got = (a.house_number, a.street, a.line1, a.city, a.region, a.postcode, a.country)
    assert got == (house, street, line1, city, region, postcode, country)
    assert a.valid, a.issues


@pytest.mark.parametrize(
    ("value", "formatted"),
    [
        ("Hauptstraße 5, 10115 Berlin, Deutschland", "Hauptstraße 5\n10115 Berlin\nGermany"),
        ("Flat 3, 12 Baker Street, London, W1U 3BW, UK",
         "Flat 3\n12 Baker Street\nLondon\nW1U 3BW\nUnited Kingdom"),
        ("Kalverstraat 92, 1012PH Amsterdam, Nederland",
         "Kalverstraat 92\n1012 PH Amsterdam\nNetherlands"),
        ("Bağdat Caddesi No: 123 D: 4, 34710 Kadıköy/İstanbul, Türkiye",
         "Bağdat Caddesi 123\nDaire 4\n34710 Kadıköy/İstanbul\nTürkiye"),
        ("ул. Тверская, д. 7, кв. 5, Москва, 125009, Россия",
         "ул. Тверская, д. 7\nкв. 5\nг. Москва\n125009\nRussia"),
        ("北京市朝阳区建国路88号 100022 中国", "北京市朝阳区建国路88号\n100022\nChina"),
        ("〒100-0001 東京都千代田区千代田1-1", "〒100-0001\n東京都千代田区千代田1-1\nJapan"),
        ("Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brasil",
         "Av. Paulista, 1578\nBela Vista\nSão Paulo - SP\n01310-200\nBrazil"),
        ("24 Sussex Drive, Ottawa ON k1a0a1", "24 Sussex Dr\nOttawa ON K1A 0A1\nCanada"),
        ("1 George St, Sydney NSW 2000, Australia", "1 George St\nSydney NSW 2000\nAustralia"),
    ],
)  # fmt: skip
def test_postal_form_of_the_country(value: str, formatted: str) -> None:
    assert normalize_address(value).formatted == formatted


@pytest.mark.parametrize(
    ("country", "postcode", "standard"),
    [
        ("US", "62701", "62701"), ("US", "62701-1234", "62701-1234"), ("US", "627011234",
        "62701-1234"), ("US", "62701 1234", "62701-1234"), ("CA", "k1a0b1", "K1A 0B1"),
        ("CA", "K1A-0B1", "K1A 0B1"), ("GB", "sw1a2aa", "SW1A 2AA"), ("GB", "M1 1AE", "M1 1AE"),
        ("GB", "EC1A 1BB", "EC1A 1BB"), ("DE", "10115", "10115"), ("DE", "D-10115", "10115"),
        ("FR", "75002", "75002"), ("NL", "1012ab", "1012 AB"), ("TR", "34710", "34710"),
        ("RU", "125009", "125009"), ("CN", "100022", "100022"), ("JP", "1000001", "100-0001"),
        ("JP", "〒100-0001", "100-0001"), ("BR", "01310100", "01310-100"),
        ("BR", "CEP 01310-100", "01310-100"), ("PL", "00950", "00-950"), ("SE", "11455",
        "114 55"), ("PT", "1100148", "1100-148"), ("AT", "1010", "1010"), ("IE", "d02x285",
        "D02 X285"),
    ],
)  # fmt: skip
def test_postcode_standard_forms(country: str, postcode: str, standard: str) -> None:
    a = normalize_address({"street": "1 High St", "city": "X", "postcode": postcode,
                           "country": country})  # fmt: skip
    assert a.postcode == standard
    assert "invalid_postcode" not in a.issues


@pytest.mark.parametrize(
    ("country", "postcode"),
    [("US", "6270"), ("US", "ABCDE"), ("CA", "12345"), ("GB", "12345"), ("DE", "1011"),
     ("DE", "00123"), ("FR", "7500"), ("NL", "1012"), ("NL", "0123 AB"), ("TR", "99999"),
     ("RU", "12345"), ("CN", "1000221"), ("JP", "100-001"), ("BR", "0131010")],
)  # fmt: skip
def test_postcode_that_does_not_fit_the_country(country: str, postcode: str) -> None:
    a = normalize_address({"street": "1 High St", "city": "Springfield", "state": "IL"
                           if country == "US" else None, "postcode": postcode,
                           "country": country})  # fmt: skip
    assert "invalid_postcode" in a.issues
    assert not a.valid


# --- countries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("USA", "US"), ("U.S.A.", "US"), ("US", "US"), ("us", "US"), ("United States", "US"),
        ("United States of America", "US"), ("America", "US"), ("UK", "GB"), ("U.K.", "GB"),
        ("Great Britain", "GB"), ("England", "GB"), ("Scotland", "GB"), ("United Kingdom", "GB"),
        ("GBR", "GB"), ("Deutschland", "DE"), ("Germany", "DE"), ("DEU", "DE"), ("de", "DE"),
        ("Россия", "RU"), ("Российская Федерация", "RU"), ("Russian Federation", "RU"),
        ("Türkiye", "TR"), ("Turkey", "TR"), ("TURKIYE", "TR"), ("中国", "CN"),
        ("People's Republic of China", "CN"), ("日本", "JP"), ("Japan", "JP"), ("Brasil", "BR"),
        ("Brazil", "BR"), ("Nederland", "NL"), ("Holland", "NL"), ("The Netherlands", "NL"),
        ("Österreich", "AT"), ("Schweiz", "CH"), ("Suisse", "CH"), ("España", "ES"),
        ("Italia", "IT"), ("Polska", "PL"), ("Ελλάδα", "GR"), ("Україна", "UA"),
        ("Côte d'Ivoire", "CI"), ("Korea, Republic of", "KR"), ("South Korea", "KR"),
        ("Viet Nam", "VN"), ("Czech Republic", "CZ"), ("Czechia", "CZ"), ("  france  ", "FR"),
    ],
)  # fmt: skip
def test_normalize_country(value: str, code: str) -> None:
    assert normalize_country(value) == code


@pytest.mark.parametrize("value", [None, "", "   ", "Atlantis", "XX", "Narnia", 3.5, math.nan])
def test_normalize_country_unknown(value: object) -> None:
    assert normalize_country(value) is None


def test_every_iso_country_has_a_name_and_its_codes() -> None:
    rows = addresses_module.load_rows("countries.csv")
    assert len(rows) == 249
    for row in rows:
        assert normalize_country(row["alpha2"]) == row["alpha2"]
        assert normalize_country(row["alpha3"]) == row["alpha2"]
        assert normalize_country(row["name"]) == row["alpha2"]
        assert country_name(row["alpha2"]) == row["name"]


def test_country_in_the_text_wins_over_the_option() -> None:
    a = normalize_address("Hauptstraße 5, 10115 Berlin, Germany", country="US")
    assert a.country == "DE"
    b = normalize_address("Hauptstraße 5, 10115 Berlin", country="DE")
    assert (b.country, b.issues) == ("DE", ())
    assert normalize_address("Hauptstraße 5, 10115 Berlin", country="Deutschland").country == "DE"


def test_country_option_is_validated() -> None:
    with pytest.raises(ConfigError) as excinfo:
        normalize_address("1 Main St", country="Atlantis")
    assert "Atlantis" not in str(excinfo.value)
    with pytest.raises(TypeError):
        normalize_address("1 Main St", country=1)  # type: ignore[arg-type]


# --- mappings (CRM columns) -----------------------------------------------------------------


def test_salesforce_mailing_columns() -> None:
    a = normalize_address({"MailingStreet": "123 North Main Street\nApartment 4",
                           "MailingCity": "SPRINGFIELD", "MailingState": "Illinois",
                           "MailingPostalCode": "62701", "MailingCountry": "United States"})
    assert (a.line1, a.unit, a.city, a.region, a.postcode, a.country) == (
        "123 N Main St", "Apt 4", "Springfield", "IL", "62701", "US")
    assert a.issues == ()
    assert a.key == "123 n main st|springfield|il|62701|us"  # fmt: skip


def test_hubspot_and_billing_columns() -> None:
    hubspot = normalize_address({"Street Address": "456 Oak Avenue", "City": "Austin",
                                 "State/Region": "TX", "Zip Code": 78701, "Country/Region": "USA"})
    billing = normalize_address({"BillingStreet": "456 Oak Ave.", "BillingCity": "austin",
                                 "ShippingState": "texas", "BillingPostalCode": "78701"})
    assert hubspot.key == billing.key == "456 oak ave|austin|tx|78701|us"


def test_standardize_style_mapping() -> None:
    a = normalize_address({"street": "Hauptstrasse 5", "line2": None, "city": "Berlin",
                           "region": None, "postcode": "10115", "country": "DE"})  # fmt: skip
    assert (a.line1, a.city, a.postcode, a.country) == ("Hauptstrasse 5", "Berlin", "10115", "DE")
    assert a.formatted == "Hauptstrasse 5\n10115 Berlin\nGermany"


def test_house_number_column_goes_where_the_country_puts_it() -> None:
    de = normalize_address({"street": "Hauptstraße", "house_number": 5, "city": "Berlin",
                            "zip": "10115", "country": "DE"})  # fmt: skip
    us = normalize_address({"street": "Main Street", "house number": "12", "city": "Springfield",
                            "state": "IL", "zip": "62701"})  # fmt: skip
    assert (de.line1, de.house_number) == ("Hauptstraße 5", "5")
    assert (us.line1, us.house_number) == ("12 Main St", "12")


def test_full_address_in_one_column() -> None:
    a = normalize_address({"Address": "10 Downing Street, London SW1A 2AA", "Country": "UK"})
    assert (a.line1, a.city, a.postcode, a.country) == (
        "10 Downing Street", "London", "SW1A 2AA", "GB")  # fmt: skip


def test_unknown_country_column() -> None:
    a = normalize_address({"street": "1 Main St", "city": "X", "country": "Atlantis"})
    assert "unknown_country" in a.issues
    assert "missing_country" not in a.issues
    assert not a.valid


def test_zip_that_lost_its_leading_zero() -> None:
    a = normalize_address({"street": "14 Elm St", "city": "Boston", "state": "MA", "zip": 2134})
    assert a.postcode == "02134"
    assert "postcode_zero_padded" in a.issues
    assert a.valid


# --- United States: the forms real address strings take -------------------------------------

# value, house_number, street, unit, po_box, city, region, postcode
US_REAL_FORMS = [
    # a unit, then the city, in one comma segment
    ("1065 Nine North Drive, Ste B Alpharetta, GA 30004",
     "1065", "Nine North Dr", "Ste B", None, "Alpharetta", "GA", "30004"),
    ("3701 16th Ave SW, Trlr 11 Cedar Rapids, IA, 52404",
     "3701", "16th Ave SW", "Trlr 11", None, "Cedar Rapids", "IA", "52404"),
    # units without a designator, and floors written in words
    ("111 W. Monroe, 12C, Chicago, IL 60603",
     "111", "W Monroe", "# 12C", None, "Chicago", "IL", "60603"),
    ("101 W. Grand Ave. 600, Chicago, IL 60654",
     "101", "W Grand Ave", "# 600", None, "Chicago", "IL", "60654"),
    ("219 South Dearborn Second Floor", "219", "S Dearborn", "Fl 2", None, None, None, None),
    ("4949 Harrison Ave. No. 102", "4949", "Harrison Ave", "# 102", None, None, None, None),
    # a street line alone: no city and no ZIP are made up
    ("10317 HOLLY HILL PLACE", "10317", "Holly Hill Pl", None, None, None, None, None),
    ("P.O. Box 11418", None, "PO Box 11418", None, "PO Box 11418", None, None, None),
    ("123 Main St, Suite 230", "123", "Main St", "Ste 230", None, None, None, None),
    ("2515 N SEMINARY AVE UNIT F", "2515", "N Seminary Ave", "Unit F", None, None, None, None),
    # a directional after a comma
    ("1800 M Street, NW, Washington, DC 20036",
     "1800", "M St NW", None, None, "Washington", "DC", "20036"),
    ("1105 Bolton Road, NW Atlanta, GA 30331",
     "1105", "Bolton Rd NW", None, None, "Atlanta", "GA", "30331"),
    # a PO box before the city; a directional after the house number
    ("PO Box 637 Powder Springs, GA 30127",
     None, "PO Box 637", None, "PO Box 637", "Powder Springs", "GA", "30127"),
    ("6330 S Stony Island", "6330", "S Stony Is", None, None, None, None, None),
    ("115 Harting Road PO Box 12, Springfield, IL 62701",
     "115", "Harting Rd", None, "PO Box 12", "Springfield", "IL", "62701"),
    # a street word is no state; a dot after the ZIP
    ("233 S Wacker Dr 60606-6306", "233", "S Wacker Dr", None, None, None, None, "60606-6306"),
    ("707 E MAIN ST 6TH FL", "707", "E Main St", "Fl 6", None, None, None, None),
    ("42 Cedar Crest Ct.", "42", "Cedar Crest Ct", None, None, None, None, None),
    ("203 N. LaSalle St., Chicago, IL 60601.",
     "203", "N LaSalle St", None, None, "Chicago", "IL", "60601"),
    # a city after the street, no comma, no state
    ("1755 Howard Street Des Plaines", "1755", "Howard St", None, None, "Des Plaines", None, None),
    ("123 Main St, Upper Darby, PA 19082",
     "123", "Main St", None, None, "Upper Darby", "PA", "19082"),
    # a street without a suffix, then its city, no comma: the place names tell where
    ("4410 Greenwood Evanston IL 60201", "4410", "Greenwood", None, None, "Evanston", "IL",
     "60201"),
    ("350 Elm Oak Park IL 60302", "350", "Elm", None, None, "Oak Park", "IL", "60302"),
    ("7 Lincoln Springfield IL 62701", "7", "Lincoln", None, None, "Springfield", "IL", "62701"),
    ("41 Center Mt Vernon IA 52314", "41", "Center", None, None, "Mt Vernon", "IA", "52314"),
    ("88 Cottage Grove Woods Cedar Rapids IA 52403",
     "88", "Cottage Grove Woods", None, None, "Cedar Rapids", "IA", "52403"),
    ("364 Golfview Rd N Palm Beach FL 33408",
     "364", "Golfview Rd", None, None, "N Palm Beach", "FL", "33408"),
    ("55 Main St Rocky Hill CT", "55", "Main St", None, None, "Rocky Hill", "CT", None),
    # a street named like a place keeps its name where its suffix or a comma ends it
    ("120 Springfield Ave Summit NJ 07901",
     "120", "Springfield Ave", None, None, "Summit", "NJ", "07901"),
    ("12 Oak Park Ave, Chicago, IL 60634",
     "12", "Oak Park Ave", None, None, "Chicago", "IL", "60634"),
    ("500 Royal Palm Beach FL 33411", "500", "Royal Palm Bch", None, None, None, "FL", "33411"),
    # no state and no ZIP: a place name alone does not cut the street
    ("106 Comella Cove", "106", "Comella Cv", None, None, None, None, None),
    # a directional or a unit before a known place in the city segment
    ("1005 Gravenstein Hwy, N Sebastopol CA 95472",
     "1005", "Gravenstein Hwy N", None, None, "Sebastopol", "CA", "95472"),
    ("977 Pleasant St, N. Orange, NJ 07052",
     "977", "Pleasant St", None, None, "N. Orange", "NJ", "07052"),
    ("600 32nd Ave, Interim Unit 1 San Francisco, CA 94121",
     "600", "32nd Ave", "Interim Unit 1", None, "San Francisco", "CA", "94121"),
    ("4500 Park Blvd, # 204 Palm Beach Gardens FL 33418",
     "4500", "Park Blvd", "# 204", None, "Palm Beach Gardens", "FL", "33418"),
    ("4101 Winnfield Rd, 106 D, Warrenville IL 60555",
     "4101", "Winnfield Rd", "# 106 D", None, "Warrenville", "IL", "60555"),
    ("1800 M St., NW Ste. 700, Washington, DC 20036",
     "1800", "M St NW", "Ste 700", None, "Washington", "DC", "20036"),
    # what follows a street's suffix and holds a number or a unit word is a unit
    ("55 Harbor Dr Mailbox 12 Stamford CT 06902",
     "55", "Harbor Dr", "MAILBOX 12", None, "Stamford", "CT", "06902"),
    ("7411 S Cottage Grove Ave Ground Floor",
     "7411", "S Cottage Grove Ave", "GROUND FLOOR", None, None, None, None),
    ("2610 West 25th Place Lower Level", "2610", "W 25th Pl", "Lowr", None, None, None, None),
    ("3948 21st Ave SW, Unit 4, Cedar Rapids, IA 52404",
     "3948", "21st Ave SW", "Unit 4", None, "Cedar Rapids", "IA", "52404"),
    # grid house numbers, lettered and misspelled county roads, a country after the ZIP
    ("N56 W13585 Silver Spring Dr, Menomonee Falls, WI 53051",
     "N56W13585", "Silver Spring Dr", None, None, "Menomonee Falls", "WI", "53051"),
    ("4715 F 41, Oscoda, MI 48750", "4715", "F 41", None, None, "Oscoda", "MI", "48750"),
    ("1901 Country Road 183 Carbon TX 76435",
     "1901", "Country Road 183", None, None, "Carbon", "TX", "76435"),
    ("3315 S General McMullen, Ste 7002, San Antonio, TX 78236 US",
     "3315", "S General McMullen", "Ste 7002", None, "San Antonio", "TX", "78236"),
    # a PO box with a department, a mail stop or a reference number before or after it
    ("msc 5512 po box 10000 memphis tn 38101",
     None, "PO Box 10000", "MSC 5512", "PO Box 10000", "Memphis", "TN", "38101"),
    ("po box 2200 dept 17 austin tx 78768",
     None, "PO Box 2200", "Dept 17", "PO Box 2200", "Austin", "TX", "78768"),
    ("fm 170 box 77 marfa tx 79843", None, "Fm 170", None, "PO Box 77", "Marfa", "TX", "79843"),
    # rural route, highway contract and star route boxes, with the city after them
    ("rr # 1 box 103 a rio il 61472",
     None, "RR 1 Box 103 A", None, "RR 1 Box 103 A", "Rio", "IL", "61472"),
    ("Star Rte 12A Box # 455B", None, "STAR RTE 12A Box 455B", None, "STAR RTE 12A Box 455B",
     None, None, None),
    ("Rt 9", None, "Rt 9", None, None, None, None, None),
    # an intersection stays one street: the number after "&" is the second road's
    ("Route 30 & Route 45", None, "Route 30 & Route 45", None, None, None, None, None),
    ("9 US Highway 18 And 15, Dodgeville, WI 53533",
     "9", "US Highway 18 And 15", None, None, "Dodgeville", "WI", "53533"),
    # NE/SE after the street with no city before it: the street's directional, not a state
    # (Nebraska) or a country (Sweden)
    ("410 Ponce De Leon Ave, NE", "410", "Ponce De Leon Ave NE", None, None, None, None, None),
    ("77 Maple Dr, SE", "77", "Maple Dr SE", None, None, None, None, None),
    ("28 Linden Way NE", "28", "Linden Way NE", None, None, None, None, None),
    ("12 Dodge St, Omaha, NE", "12", "Dodge St", None, None, "Omaha", "NE", None),
    ("12 Dodge St Omaha NE", "12", "Dodge St", None, None, "Omaha", "NE", None),
    ("500 peachtree st., ne ste.210", "500", "Peachtree St NE", "Ste 210", None, None, None,
     None),
    # a directional written in two letters
    ("40 Elm St S. E., Atlanta, GA 30312", "40", "Elm St SE", None, None, "Atlanta", "GA",
     "30312"),
    ("1234 S W 8th St, Miami, FL 33135", "1234", "SW 8th St", None, None, "Miami", "FL",
     "33135"),
    ("9 N E St, Miami, FL 33101", "9", "N E St", None, None, "Miami", "FL", "33101"),
    # rural route boxes written in other ways
    ("Route Box # 12, Dover, VT 05356", None, "RR Box 12", None, "RR Box 12", "Dover", "VT",
     "05356"),
    ("55 Oak St rr 2 box 40 Ava MO 65608", "55", "Oak St", None, "RR 2 Box 40", "Ava", "MO",
     "65608"),
    ("RR 3, Box 18 B", None, "RR 3 Box 18 B", None, "RR 3 Box 18 B", None, None, None),
    # bank lockboxes; a drawer before a PO box is the box's unit
    ("700 Elm Rd lockbox # 4410 Dallas TX 75201", "700", "Elm Rd", None, "Lockbox 4410",
     "Dallas", "TX", "75201"),
    ("drawer 77 po box 1200 troy mi 48007", None, "PO Box 1200", "drawer 77", "PO Box 1200",
     "Troy", "MI", "48007"),
    ("PO Box 9000, File 5521, Fresno, CA 93790", None, "PO Box 9000", "File 5521",
     "PO Box 9000", "Fresno", "CA", "93790"),
    # a lettered street name after the house number is no house number suffix
    ("3100 L B J Fwy, Dallas, TX 75234", "3100", "L B J Fwy", None, None, "Dallas", "TX",
     "75234"),
    ("410 C and D Mill Rd, Reidsville, NC 27320", "410", "C and D Mill Rd", None, None,
     "Reidsville", "NC", "27320"),
    ("2458 B Wesley Chapel Rd", "2458B", "Wesley Chapel Rd", None, None, None, None, None),
    ("# 7 Pine Ridge Rd", "7", "Pine Ridge Rd", None, None, None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "house", "street", "unit", "po_box", "city", "region", "postcode"), US_REAL_FORMS
)
def test_us_real_address_forms(
    value: str,
    house: str | None,
    street: str | None,
    unit: str | None,
    po_box: str | None,
    city: str | None,
    region: str | None,
    postcode: str | None,
) -> None:
    a = normalize_address(value)
    assert (a.house_number, a.street, a.unit, a.po_box, a.city, a.region, a.postcode) == (
        house, street, unit, po_box, city, region, postcode
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "recipient", "building", "line1"),
    [
        ("c/o John Smith, 100 Main St, Springfield, IL 62701", "c/o John Smith", None,
         "100 Main St"),
        ("Attn: Accounts Payable, 100 Main St, Springfield, IL 62701", "Attn: Accounts Payable",
         None, "100 Main St"),
        ("3348 peachtree rd ne attn: david allman", "attn: david allman", None,
         "3348 Peachtree Rd NE"),
        ("Acme Insurance Inc 100 Main St Springfield IL 62701", "Acme Insurance Inc", None,
         "100 Main St"),
        ("Merchandise Mart, 222 W Merchandise Mart Plaza, Chicago, IL 60654", None,
         "Merchandise Mart", "222 W Merchandise Mart Plz"),
        ("Hayes Center 4859 S. Wabash", None, "Hayes Center", "4859 S Wabash"),
        ("Union Station, Washington, DC 20001", None, "Union Station", None),
        ("C/O GLENN M KOOGLER", "C/O GLENN M KOOGLER", None, None),
        # a landmark or complex line with no house number is a building, not a street
        ("Danbury Fair Mall, Danbury, CT 06810", None, "Danbury Fair Mall", None),
        ("Mystic Harbor, Mystic, CT 06355", None, "Mystic Harbor", None),
        ("The Belvedere, Baltimore, MD 21202", None, "The Belvedere", None),
        # but a street named after a building stays a street
        ("Old Mill Inn Road, Bristol, ME 04539", None, None, "Old Mill Inn Rd"),
        # a complex named after the street on its line
        ("2201 Ridge Rd Willow Creek Gardens, Evanston, IL 60201", None,
         "Willow Creek Gardens", "2201 Ridge Rd"),
        ("80 Pine St SE Foundry Lofts, Atlanta, GA 30312", None, "Foundry Lofts",
         "80 Pine St SE"),
        ("500 Oak Ave The Fairmont, Apt 3, Ames, IA 50010", None, "The Fairmont",
         "500 Oak Ave"),
        ("1400 Commerce Bank Bldg", None, "1400 Commerce Bank Bldg", None),
        # a name ending after a comma, and an account reference
        ("c/o Mary Lee Jones, Jr.", "c/o Mary Lee Jones, Jr.", None, None),
        ("client # 30051 po box 1800 dallas tx 75201", "client # 30051", None, "PO Box 1800"),
    ],
)  # fmt: skip
def test_recipient_and_building_text_have_their_own_fields(
    value: str, recipient: str | None, building: str | None, line1: str | None
) -> None:
    a = normalize_address(value)
    assert (a.recipient, a.building, a.line1) == (recipient, building, line1)
    assert a.city is None or a.city not in (recipient, building)


def test_place_names_split_street_and_city_only_with_a_state() -> None:
    with_state = normalize_address("27 Washington Oak Park IL 60302")
    assert (with_state.street, with_state.city) == ("Washington", "Oak Park")
    by_zip = normalize_address("27 Washington Oak Park 60302")  # the ZIP points to the state
    assert (by_zip.street, by_zip.city, by_zip.postcode) == ("Washington", "Oak Park", "60302")
    alone = normalize_address("27 Washington Oak Park")
    assert (alone.street, alone.city) == ("Washington Oak Park", None)


def test_us_place_names_ship_as_a_data_table() -> None:
    from crmclean.normalize.data import load_rows

    rows = load_rows("address_us_places.csv")
    assert len(rows) > 15_000
    assert {"place": "Oak Park", "states": "CA|GA|IL|MI|MN"} in rows


def test_recipient_and_building_are_kept_in_the_postal_form_but_not_in_the_key() -> None:
    a = normalize_address("c/o John Smith, 100 Main St, Springfield, IL 62701")
    b = normalize_address("100 Main St, Springfield, IL 62701")
    assert a.formatted == "c/o John Smith\n100 Main St\nSpringfield IL 62701\nUnited States"
    assert a.key == b.key


def test_a_landmark_without_a_street_keys_by_its_name() -> None:
    a = normalize_address("Union Station, Washington, DC 20001")
    b = normalize_address("Wrigley Field, Washington, DC 20001")
    assert a.street is None
    assert "missing_street" in a.issues
    assert a.key != b.key


# --- keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ("123 North Main Street Apt 4, Springfield, IL 62701",
         "123 N. Main St., Springfield, Illinois 62701-1234",
         "123 N MAIN ST, SPRINGFIELD IL 62701, USA",
         {"street": "123 north main st", "line2": "#4", "city": "springfield", "state": "il",
          "zip": "62701"}),
        ("Hauptstraße 5, 10115 Berlin", "Hauptstr. 5, 10115 Berlin", "Hauptstrasse 5, 10115 Berlin",
         "HAUPTSTRASSE 5, 10115 BERLIN"),
        ("10 Downing Street, London SW1A 2AA", "10 Downing St, London, sw1a2aa"),
        ("Kalverstraat 92, 1012 PH Amsterdam", "Kalverstr. 92, 1012PH Amsterdam"),
        ("12 rue de la Paix, 75002 Paris", "12 r. de la Paix, 75002 PARIS"),
        ("1 Main St, St. Louis, MO 63101", "1 Main Street, Saint Louis, Missouri 63101"),
        ("Rua Augusta, 1500, São Paulo - SP, 01304-001",
         "R. Augusta, 1500, Sao Paulo/SP, 01304001"),
    ],
)  # fmt: skip
def test_spellings_of_one_address_share_a_key(spellings: tuple[object, ...]) -> None:
    country = "DE" if "Berlin" in str(spellings[0]) else None
    country = "GB" if "London" in str(spellings[0]) else country
    country = "NL" if "Amsterdam" in str(spellings[0]) else country
    country = "FR" if "Paris" in str(spellings[0]) else country
    country = "BR" if "Paulo" in str(spellings[0]) else country
    keys = {normalize_address(s, country=country).key for s in spellings}
    assert len(keys) == 1, keys
    assert None not in keys


def test_key_leaves_out_the_unit() -> None:
    a = normalize_address("123 Main St Apt 4, Springfield, IL 62701")
    b = normalize_address("123 Main St Apt 5, Springfield, IL 62701")
    assert a.key == b.key
    assert a.unit != b.unit


def test_different_addresses_have_different_keys() -> None:
    base = normalize_address("123 Main St, Springfield, IL 62701").key
    for other in ("125 Main St, Springfield, IL 62701", "123 Main Ave, Springfield, IL 62701",
                  "123 N Main St, Springfield, IL 62701", "123 Main St, Springfield, MO 62701"):
        assert normalize_address(other).key != base


# --- junk and incomplete addresses ----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["N/A", "n/a", "NA", "none", "None", "unknown", "TBD", "-", "xxx", "test", "same as above",
     "no address", "123 Test St", "123 Fake Street, Springfield, IL 62701",
     "123 Main St, Anytown, USA", "1 Asdf Rd, Boston, MA 02110", "Test Address"],
)  # fmt: skip
def test_fake_addresses(value: str) -> None:
    a = normalize_address(value)
    assert "fake_address" in a.issues
    assert not a.valid
    assert a.key is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("123 Main St, IL 62701", "missing_city"),
        ("123 Main St", "missing_city"),
        ("Springfield, IL 62701", "missing_street"),
        ("Main St, Springfield, IL 62701", "missing_house_number"),
        ("123 Main St, Springfield, 62701, USA", "missing_region"),
        ("123 Main St, Springfield, IL", "missing_postcode"),
        ("123 Main St, Springfield, XX 62701", "invalid_region"),
        ("123 Main St, Springfield, IL 90210", "postcode_region_mismatch"),
        ("24 Sussex Dr, Ottawa, BC K1A 0A1", "postcode_region_mismatch"),
        ("Hauptstraße 5, 1011 Berlin, Germany", "invalid_postcode"),
        ("10 Downing Street, London, 12345, UK", "invalid_postcode"),
        ("123 Main St, Springfield", "missing_country"),
        ("PO Box 12, Springfield, IL 62701", "po_box"),
        ("123 Main St, Springfield, IL 62701", "country_inferred"),
    ],
)  # fmt: skip
def test_issues(value: str, code: str) -> None:
    assert code in normalize_address(value).issues


def test_only_blocking_issues_make_an_address_invalid() -> None:
    assert normalize_address("PO Box 12, Springfield, IL 62701").valid
    assert normalize_address("Main St, Springfield, IL 62701").valid
    assert normalize_address("123 Main St, Springfield, IL").valid
    assert not normalize_address("123 Main St, IL 62701").valid


@pytest.mark.parametrize(
    ("value", "issue"),
    [(None, "missing"), ("", "missing"), ("   ", "missing"), (math.nan, "missing"),
     ([1, 2], "unsupported_type"), (True, "unsupported_type"), ({}, "missing"),
     ({"Email": "a@b.com"}, "missing"), ({"city": None, "zip": math.nan}, "missing"),
     ({"street": "N/A", "city": "n/a"}, "fake_address")],
)  # fmt: skip
def test_nulls_and_wrong_types(value: object, issue: str) -> None:
    a = normalize_address(value)
    assert a.issues == (issue,)
    assert not a.valid
    assert a.formatted is None
    assert a.key is None
    assert a.original is value


def test_too_long_is_cut() -> None:
    a = normalize_address("123 Main St, Springfield, IL 62701 " + "x" * 5_000)
    assert "too_long" in a.issues


def test_every_issue_code_is_registered() -> None:
    values = [c[0] for c in US_CASES + CA_CASES + INTL_CASES] + [
        "N/A", "123 Main St, IL 62701", "123 Main St, Springfield, XX 62701", None, [1],
        "Hauptstraße 5, 1011 Berlin, Germany", {"street": "1 A St", "country": "Atlantis"},
        "14 Elm St, Boston, MA 2134", "123 Main St, Springfield, IL 90210",
    ]  # fmt: skip
    for value in values:
        for code in normalize_address(value).issues:
            assert code in ISSUE_CODES


def test_public_api() -> None:
    assert crmclean.normalize_address is normalize_address
    assert isinstance(normalize_address("1 Main St"), Address)


# --- properties -----------------------------------------------------------------------------

_NUMBERS = st.integers(1, 20_000).map(str)
_US_STREETS = st.sampled_from(["Main", "Oak", "north main", "Elm", "MARKET", "5th", "W 42nd",
                               "Martin Luther King Jr", "Saint Charles", "Old Mill"])
_US_SUFFIXES = st.sampled_from(["Street", "St", "st.", "Avenue", "Ave", "Road", "Rd", "Drive",
                                "Blvd", "Lane", "Court", "Way", "Parkway", "Hwy", "Circle"])
_US_UNITS = st.sampled_from(["", "Apt 4", "Apartment 12B", "Suite 200", "Ste 5", "#7",
                             "3rd Floor", "Unit C", "Rear"])
_US_CITIES = st.sampled_from([("Springfield", "IL", "627"), ("Austin", "Texas", "787"),
                              ("New York", "NY", "100"), ("Boston", "MA", "021"),
                              ("Saint Louis", "Missouri", "631"), ("Seattle", "WA", "981")])


@st.composite
def us_addresses(draw: st.DrawFn) -> str:
    city, state, prefix = draw(_US_CITIES)
    street = f"{draw(_NUMBERS)} {draw(_US_STREETS)} {draw(_US_SUFFIXES)}"
    unit = draw(_US_UNITS)
    zipcode = prefix + draw(st.sampled_from(["01", "15", "99"])) + draw(
        st.sampled_from(["", "-1234"])
    )
    sep = draw(st.sampled_from([", ", " ", "\n"]))
    parts = [street, unit, city, f"{state} {zipcode}", draw(st.sampled_from(["", "USA"]))]
    value = sep.join(p for p in parts if p)
    return draw(st.sampled_from([value, value.upper(), value.lower()]))


_INTL = st.sampled_from([
    "Hauptstraße {n}, 10115 Berlin, Deutschland", "Hauptstr. {n}a, 80331 München",
    "{n} rue de la Paix, 75002 Paris, France", "Kalverstraat {n}, 1012PH Amsterdam",
    "{n} Baker Street, London NW1 6XE, UK", "Flat {n}, 10 High St, Leeds LS1 1AA, England",
    "Bağdat Cad. No: {n}, 34710 Kadıköy/İstanbul, Türkiye",
    "ул. Тверская, д. {n}, кв. 5, Москва, 125009, Россия",
    "Rua Augusta, {n}, São Paulo - SP, 01304-001, Brasil", "北京市朝阳区建国路{n}号 100022",
    "〒100-0001 東京都千代田区千代田{n}-1", "{n} Sussex Drive, Ottawa ON K1A 0A1",
    "Via Roma {n}, 00184 Roma, Italia", "{n} George St, Sydney NSW 2000, Australia",
])  # fmt: skip


@st.composite
def intl_addresses(draw: st.DrawFn) -> str:
    value = draw(_INTL).format(n=draw(st.integers(1, 999)))
    return draw(st.sampled_from([value, value.upper(), value.lower(), value.replace(", ", "\n")]))


@settings(max_examples=300, deadline=None)
@given(st.one_of(us_addresses(), intl_addresses()))
@example("123 north main street apartment 4, springfield, il 62701")
@example("c/o John Smith, 115 Harting Road PO Box 12, Springfield, IL 62701")
@example("1065 Nine North Drive, Ste B Alpharetta, GA 30004")
@example("Merchandise Mart, 222 W Merchandise Mart Plaza, Chicago, IL 60654")
@example("111 W. Monroe, 12C, Chicago, IL 60603")
def test_idempotent_on_formatted(value: str) -> None:
    a = normalize_address(value)
    assert a.formatted is not None
    again = normalize_address(a.formatted, country=a.country)
    assert again.formatted == a.formatted
    assert again.key == a.key


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), us_addresses(), intl_addresses()),
       st.sampled_from([None, "US", "CA", "GB", "DE", "FR", "NL", "TR", "RU", "CN", "JP", "BR"]))
def test_never_raises(value: str, country: str | None) -> None:
    a = normalize_address(value, country=country)
    assert isinstance(a.issues, tuple)
    for code in a.issues:
        assert code in ISSUE_CODES
    if a.formatted is not None:  # the postal form reads back without error
        normalize_address(a.formatted, country=a.country)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["street", "MailingStreet", "city", "State/Region", "zip",
                                        "Country", "line2", "house_number", "other"]),
                       st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats())))
def test_never_raises_on_mappings(value: dict[str, object]) -> None:
    normalize_address(value)


@settings(max_examples=300, deadline=None)
@given(us_addresses())
def test_fast_path_agrees_with_the_general_path(value: str) -> None:
    fast = normalize_address(value)
    original = addresses_module._fast_us
    addresses_module._fast_us = lambda value, default: None  # type: ignore[assignment]
    try:
        general = normalize_address(value)
    finally:
        addresses_module._fast_us = original
    assert fast == general


def test_a_region_abbreviation_in_capitals_is_kept_as_typed() -> None:
    def region(text: str, country: str) -> str | None:
        return normalize_address({"street": "Av. Reforma 222", "region": text,
                                  "country": country}).region  # fmt: skip

    assert region("CDMX", "MX") == "CDMX"  # not "Cdmx"
    assert (region("JALISCO", "MX"), region("bavaria", "DE")) == ("Jalisco", "Bavaria")


def test_a_house_number_alone_before_the_street_is_the_house_number() -> None:
    # "12, MG Road" (India, the UK and much of Europe write the number in a segment of its own)
    r = normalize_address("12, MG Road, Bengaluru 560001")
    assert (r.house_number, r.city, r.postcode) == ("12", "Bengaluru", "560001")
    assert r.street is not None
    assert "12" not in r.street
    r = normalize_address("221B, Baker Street")
    assert (r.house_number, r.city) == ("221B", None)
    # a postcode in its own first segment stays a postcode
    r = normalize_address("620420, Екатеринбург, ул. Центральная, д. 30")
    assert (r.postcode, r.city, r.house_number) == ("620420", "Екатеринбург", "30")


def test_a_large_city_after_the_street_needs_no_state() -> None:
    def read(text: str) -> tuple[str | None, str | None, str | None, str | None]:
        r = normalize_address(text)
        return (r.house_number, r.street, r.unit, r.city)

    assert read("5429 woodlawn chicago") == ("5429", "Woodlawn", None, "Chicago")
    assert read("132 n 10 Brooklyn") == ("132", "N 10", None, "Brooklyn")
    assert read("100 Broadway New York") == ("100", "Broadway", None, "New York")
    # a small place, or a place name with no street before it, is the street's own name
    assert read("12 Cherry Hill")[3] is None
    assert read("500 Houston") == ("500", "Houston", None, None)
    assert read("8517 So Nashville")[3] is None  # "So" is South: no street name
    assert read("1112 So. Washington")[3] is None


def test_two_letters_after_the_street_suffix_are_a_unit() -> None:
    r = normalize_address("4315 WEBSTER AVENUE LH")
    assert (r.street, r.unit, r.city) == ("Webster Ave", "LH", None)
    r = normalize_address("3850 HUDSON MANOR TERRACE EE")
    assert (r.street, r.unit, r.city) == ("Hudson Manor Ter", "EE", None)
    # a directional and a state code are not units
    r = normalize_address("7509 13th Ave No St Petersburg FL 33710")
    assert (r.unit, r.city) == (None, "St Petersburg")
    assert normalize_address("12 Main St NY").region == "NY"
