"""The IATI 2.03 codes the files may use that the reference tables do not hold (countries, currencies and
sectors are read from those tables), withdrawn codes left out.

Source: IATI Standard (http://iatistandard.org/), codelists version 2.03 (IATI-Codelists and
IATI-Codelists-NonEmbedded), licensed CC BY 4.0.
"""

ACTIVITY_DATE_TYPE = frozenset({"1", "2", "3", "4"})

ACTIVITY_STATUS = frozenset({"1", "2", "3", "4", "5", "6"})

AID_TYPE = frozenset(
    {
        "A01",
        "A02",
        "B01",
        "B02",
        "B021",
        "B022",
        "B03",
        "B031",
        "B032",
        "B033",
        "B04",
        "C01",
        "D01",
        "D02",
        "E01",
        "E02",
        "F01",
        "G01",
        "H01",
        "H02",
        "H03",
        "H04",
        "H05",
        "H06",
    }
)

BUDGET_STATUS = frozenset({"1", "2"})

BUDGET_TYPE = frozenset({"1", "2"})

FINANCE_TYPE = frozenset(
    {
        "1",
        "110",
        "1100",
        "2",
        "210",
        "3",
        "310",
        "311",
        "4",
        "421",
        "422",
        "423",
        "424",
        "425",
        "431",
        "432",
        "433",
        "510",
        "520",
        "530",
        "610",
        "611",
        "612",
        "613",
        "614",
        "615",
        "616",
        "617",
        "618",
        "620",
        "621",
        "622",
        "623",
        "624",
        "625",
        "626",
        "627",
        "630",
        "631",
        "632",
        "633",
        "634",
        "635",
        "636",
        "637",
        "638",
        "639",
    }
)

FLOW_TYPE = frozenset({"10", "21", "22", "30", "36", "37", "40", "50"})

ORGANISATION_ROLE = frozenset({"1", "2", "3", "4"})

ORGANISATION_TYPE = frozenset(
    {"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"}
)

REGION = frozenset(
    {
        "88",
        "89",
        "189",
        "289",
        "298",
        "389",
        "489",
        "498",
        "589",
        "619",
        "679",
        "689",
        "789",
        "798",
        "889",
        "998",
        "1027",
        "1028",
        "1029",
        "1030",
        "1031",
        "1032",
        "1033",
        "1034",
        "1035",
    }
)

TRANSACTION_TYPE = frozenset({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"})

RESULT_TYPE = frozenset({"1", "2", "3", "9"})

INDICATOR_MEASURE = frozenset({"1", "2", "3", "4", "5"})

DOCUMENT_CATEGORY = frozenset(
    {
        "A01",
        "A02",
        "A03",
        "A04",
        "A05",
        "A06",
        "A07",
        "A08",
        "A09",
        "A10",
        "A11",
        "A12",
        "B01",
        "B02",
        "B03",
        "B04",
        "B05",
        "B06",
        "B07",
        "B08",
        "B09",
        "B10",
        "B11",
        "B12",
        "B13",
        "B14",
        "B15",
        "B16",
        "B17",
        "B18",
    }
)
