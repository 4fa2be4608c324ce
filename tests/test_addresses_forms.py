"""US address lines as real contact data writes them: units, boxes, buildings, recipients and
states where the usual order does not put them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmclean import normalize_address
from crmclean.normalize import addresses as addresses_module

# value, house_number, street, unit, po_box, city, region, postcode
FORMS = [
    # mail stops are units, in brackets or not; other bracketed words are a remark
    ("1919 W Taylor St (M/C 525) Rm 128, Chicago, IL 60612",
     "1919", "W Taylor St", "M/C 525 Rm 128", None, "Chicago", "IL", "60612"),
    ("1 Research Way MSC 24, South San Francisco, CA 94080",
     "1", "Research Way", "MSC 24", None, "South San Francisco", "CA", "94080"),
    ("728 W Roosevelt Rd (east side) 2nd Floor, Chicago, IL 60607",
     "728", "W Roosevelt Rd", "Fl 2", None, "Chicago", "IL", "60607"),
    # a box after a unit on the street line
    ("1950 N Stemmons Fwy Suite 5010 Lockbox 848104, Dallas, TX 75207",
     "1950", "N Stemmons Fwy", "Ste 5010", "Lockbox 848104", "Dallas", "TX", "75207"),
    # a state written before the city
    ("4674 Marshall Rd CA Garden Valley 95633",
     "4674", "Marshall Rd", None, None, "Garden Valley", "CA", "95633"),
    ("12 Main St Springfield 62701", "12", "Main St", None, None, "Springfield", None, "62701"),
    # units written before the house number
    ("41st Floor 1221 Ave of the Americas, New York, NY 10020",
     "1221", "Ave of the Americas", "Fl 41", None, "New York", "NY", "10020"),
    ("Flat 4 10A Martin Luther King Blvd, Austin, TX 78701",
     "10A", "Martin Luther King Blvd", "Flat 4", None, "Austin", "TX", "78701"),
    ("3 Fl 45-18 Court Sq, Long Island City, NY 11101",
     "45-18", "Court Sq", "Fl 3", None, "Long Island City", "NY", "11101"),
    # units alone
    ("Bldg 15, Suite 100", None, None, "Bldg 15 Ste 100", None, None, None, None),
    # where the street's city and state are written in an unusual way
    ("123 Maple Rochester, New York", "123", "Maple", None, None, "Rochester", "NY", None),
    ("260 5th Av New York", "260", "5th Ave", None, None, "New York", None, None),
    ("12 Water St, New York, New York", "12", "Water St", None, None, "New York", "NY", None),
    ("162 Limerick Ln, Rochester, New, York 14606",
     "162", "Limerick Ln", None, None, "Rochester", "NY", "14606"),
    ("45 Woodstock St, Roswell, Georgia, GA 30075",
     "45", "Woodstock St", None, None, "Roswell", "GA", "30075"),
    ("110 Crossways Park Dr, Woodbury, NY 11797, United States US",
     "110", "Crossways Park Dr", None, None, "Woodbury", "NY", "11797"),
    # a ZIP after a unit that takes no number; a unit number before the state
    ("233 S Wacker Dr Lobby 60606", "233", "S Wacker Dr", "Lbby", None, None, None, "60606"),
    ("171 Auburn Ave 303 GA", "171", "Auburn Ave", "# 303", None, None, "GA", None),
    # boxes
    ("PO Box 850001 Box # 0123 Orlando FL 32885",
     None, "PO Box 850001", "Box 0123", "PO Box 850001", "Orlando", "FL", "32885"),
    ("Box, # 209", None, "PO Box 209", None, "PO Box 209", None, None, None),
    ("4900 W 95th St Lockbox 233204 Oak Lawn IL 60453",
     "4900", "W 95th St", None, "Lockbox 233204", "Oak Lawn", "IL", "60453"),
    # roads: a number sign after a road type, where on the roads, business routes
    ("3904 Route # A, Arlington, VT 05250",
     "3904", "Route A", None, None, "Arlington", "VT", "05250"),
    ("17071 W Dixie Hwy # 312, North Miami Beach, FL 33160",
     "17071", "W Dixie Hwy", "# 312", None, "North Miami Beach", "FL", "33160"),
    ("Corner of First and Albemarle Streets",
     None, "First and Albemarle Sts", None, None, None, None, None),
    ("Junction Highway 76 & 86, Cassville, MO 65625",
     None, "Highway 76 & 86", None, None, "Cassville", "MO", "65625"),
    ("Junction City Rd", None, "Junction City Rd", None, None, None, None, None),
    ("Hwys 51 and 151, Madison, WI 53714",
     None, "Hwys 51 and 151", None, None, "Madison", "WI", "53714"),
    ("851 US Highway 53 Business Route N", "851", "US Highway 53 Business Rte N", None, None,
     None, None, None),
    # units written without a designator: before the street, an apartment's floor and side
    ("6910 # G Mary Caroline Circle", "6910", "Mary Caroline Cir", "# G", None, None, None, None),
    ("1024 Randolph 1 N Oak Park IL 60302",
     "1024", "Randolph", "# 1 N", None, "Oak Park", "IL", "60302"),
    ("750 Park Ave, NE 41 SW", "750", "Park Ave NE", "# 41 SW", None, None, None, None),
    ("123 E 100 S", "123", "E 100 S", None, None, None, None, None),
    ("115 Business Loop 70 W", "115", "Business Loop 70 W", None, None, None, None, None),
    # an initial before a particle is the street's
    ("1180 P de Leon Blvd", "1180", "P de Leon Blvd", None, None, None, None, None),
    ("2458 B Wesley Chapel Rd", "2458B", "Wesley Chapel Rd", None, None, None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "house", "street", "unit", "po_box", "city", "region", "postcode"), FORMS
)
def test_us_lines_read_by_what_they_hold(
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
    ("value", "recipient", "building", "line1", "unit"),
    [
        # a recipient's name ends where a box or a street starts
        ("6000 Feldwood Rd c/o BOA Lockbox 402605 College Park GA 30349", "c/o BOA", None,
         "6000 Feldwood Rd", None),
        ("c/o Bank of America 6000 Feldwood Rd, College Park, GA 30349", "c/o Bank of America",
         None, "6000 Feldwood Rd", None),
        ("PO Box 39000 Attn A/R San Francisco CA 94139", "Attn A/R", None, "PO Box 39000", None),
        ("re:acct # 552-9329 p.o. box 105068 atlanta ga 30348", "re:acct # 552-9329", None,
         "PO Box 105068", None),
        ("H E Brown RR 3 Box 9 Canton OH 44730", "H E Brown", None, "RR 3 Box 9", None),
        ("United Management Co", "United Management Co", None, None, None),
        # a building named with its number beside the street: the road is the street
        ("3565 Piedmont Rd, 1 Piedmont Ctr, Ste 700, Atlanta, GA 30305", None, "1 Piedmont Ctr",
         "3565 Piedmont Rd", "Ste 700"),
        ("30 Allen Plaza, Suite 700, 30 Ivan Allen Jr Blvd, Atlanta, GA 30308", None,
         "30 Allen Plaza", "30 Ivan Allen Jr Blvd", "Ste 700"),
        ("1000 Cathedral Pl 925 W Georgia St", None, "1000 Cathedral Pl", "925 W Georgia St",
         None),
        ("440 LaSalle St 1 Financial Place", None, "1 Financial Place", "440 LaSalle St", None),
        # a building and a unit around the house number or after the street
        ("14th Floor L & C Tower 401 Church St Nashville TN 37243", None, "L & C Tower",
         "401 Church St", "Fl 14"),
        ("WRS Tower 10th Floor 312 Rosa Parks Ave Nashville TN 37243", None, "WRS Tower",
         "312 Rosa Parks Ave", "Fl 10"),
        ("3340 Peachtree Rd, Tower Place Ste 1685, Atlanta, GA 30326", None, "Tower Place",
         "3340 Peachtree Rd", "Ste 1685"),
        ("2855 Old Hwy 5, Ste 110 Burns Prof Blg Blue Ridge GA 30513", None, "Burns Prof Blg",
         "2855 Old Hwy 5", "Ste 110"),
        ("1201 Peachtree St, NE 400 Colony Square, Suite 1730, Atlanta, GA 30361", None,
         "400 Colony Square", "1201 Peachtree St NE", "Ste 1730"),
    ],
)  # fmt: skip
def test_recipients_and_buildings_wherever_they_stand(
    value: str, recipient: str | None, building: str | None, line1: str | None, unit: str | None
) -> None:
    a = normalize_address(value)
    assert (a.recipient, a.building, a.line1, a.unit) == (recipient, building, line1, unit)


def test_where_on_the_roads_stays_on_the_line_but_not_in_the_street() -> None:
    a = normalize_address("Corner of Cave & Zerkel Sts, Luray, VA 22835")
    assert a.line1 == "Corner of Cave & Zerkel Sts"
    assert a.street == "Cave & Zerkel Sts"
    assert a.key == normalize_address("Cave & Zerkel Sts, Luray, VA 22835").key


def test_a_bracketed_remark_is_kept_in_the_postal_form_only() -> None:
    a = normalize_address("728 W Roosevelt Rd (east side) 2nd Floor, Chicago, IL 60607")
    assert a.formatted == "728 W Roosevelt Rd Fl 2\n(east side)\nChicago IL 60607\nUnited States"
    assert normalize_address(a.formatted).formatted == a.formatted
    assert a.key == normalize_address("728 W Roosevelt Rd, Chicago, IL 60607").key


@pytest.mark.parametrize(
    "value",
    [
        "4900 W 95th St Lockbox 233204 Oak Lawn IL 60453",
        "401 Church St, 14th Flr, L & C Twr Div of Fiscal Services Nashville TN 37243",
        "dept 33629 po box 39000 attn a/r san francisco ca 94139",
        "1919 W Taylor St (M/C 525) Rm 128, Chicago, IL 60612",
        "41st Floor 1221 Ave of the Americas New York NY 10020",
        "1 Lincoln Ctr 5400 LBJ Fwy, Dallas, TX 75240",
        "1600 Crestar Bank Bldg, Richmond, VA 23219",
        "1950 N Campbell Ave Luxe Logan Square Chicago IL 60647",
        "1024 Randolph 1 N Oak Park IL 60302",
        "2855 Old Hwy 5, Ste 110 Burns Prof Blg, Blue Ridge, GA 30513",
    ],
)
def test_the_fast_path_reads_these_lines_as_the_general_reader_does(value: str) -> None:
    fast = normalize_address(value)
    original = addresses_module._fast_us
    addresses_module._fast_us = lambda value, default: None  # type: ignore[assignment]
    try:
        general = normalize_address(value)
    finally:
        addresses_module._fast_us = original
    assert fast == general
    assert fast.city is not None
    assert fast.city.lower() in value.lower()
    assert (fast.building, fast.po_box, fast.unit) != (None, None, None)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet="0123456789 ,-;:|\tAaZz", max_size=16),
    st.sampled_from(["", " IL 62701", ",IL,62701-1234", ", il  12345-123", " X 12345", " 62701"]),
)
def test_the_fast_path_tests_its_shape_as_its_patterns_say(text: str, tail: str) -> None:
    value = text + tail
    m = addresses_module._FAST_TAIL_RE.match(value)
    assert addresses_module._fast_tail(value) == (m.groups() if m else None)
    if value:
        bad = addresses_module._FAST_BAD_RE.search(value) is not None
        assert addresses_module._fast_bad(value) == bad
