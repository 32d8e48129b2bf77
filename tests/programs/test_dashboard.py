import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.reference.codes import ActivityStatus
from cooperation.roles import Perm
from programs.reporting import selectors
from programs.reporting.charts import ChartRow, horizontal_bar_chart
from tests.factories import ParticipationFactory, ProgrammeFactory, ProgrammeUpdateFactory, currency

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_programmes(partner_org):
    """Two financial programmes in USD and one in-kind programme in IDR."""
    loan = ProgrammeFactory(
        code="FIN-1",
        is_technical=False,
        is_financial=True,
        budget_amount=Decimal("100000.00"),
        countries=["ID", "TL"],
    )
    grant = ProgrammeFactory(
        code="FIN-2",
        is_technical=False,
        is_financial=True,
        status=ActivityStatus.PIPELINE,
        budget_amount=Decimal("50000.50"),
        countries=["ID"],
    )
    relief = ProgrammeFactory(
        code="KIND-1",
        is_technical=False,
        is_in_kind=True,
        budget_amount=Decimal("1500000000.00"),
        budget_currency=currency("IDR"),
        countries=["PH"],
    )
    ParticipationFactory(programme=loan, organisation=partner_org)
    return loan, grant, relief


def _rows(rows):
    return {row.key: row.count for row in rows}


def test_counts_by_form_in_one_query(manager, known_programmes, django_assert_num_queries):
    manager.has_perm(Perm.VIEW_ALL_PROGRAMMES)  # load the permission cache outside the count
    with django_assert_num_queries(1):
        total, rows = selectors.programme_counts_by_form(user=manager)
    assert total == 3
    assert _rows(rows) == {"financial": 2, "technical": 0, "cultural": 0, "in_kind": 1}


def test_counts_by_status_lists_every_status(manager, known_programmes):
    rows = selectors.programme_counts_by_status(user=manager)
    assert [row.key for row in rows] == [str(status.value) for status in ActivityStatus]
    assert _rows(rows)[str(ActivityStatus.IMPLEMENTATION.value)] == 2
    assert _rows(rows)[str(ActivityStatus.PIPELINE.value)] == 1
    assert _rows(rows)[str(ActivityStatus.CLOSED.value)] == 0


def test_counts_by_country_keeps_the_top_and_groups_the_rest(manager, known_programmes):
    assert [(row.key, row.count) for row in selectors.programme_counts_by_country(user=manager)] == [
        ("ID", 2),
        ("PH", 1),
        ("TL", 1),
    ]
    rows = selectors.programme_counts_by_country(user=manager, top=1)
    assert [(row.key, row.count) for row in rows] == [("ID", 2), ("other", 2)]
    assert rows[-1].label == "Other countries"


def test_budget_totals_are_grouped_per_currency(manager, known_programmes, django_assert_num_queries):
    manager.has_perm(Perm.VIEW_ALL_PROGRAMMES)
    with django_assert_num_queries(1):
        totals = selectors.budget_totals_by_currency(user=manager)
    assert [(t.currency.code, t.total, t.programmes) for t in totals] == [
        ("IDR", Decimal("1500000000.00"), 1),
        ("USD", Decimal("150000.50"), 2),
    ]


def test_figures_follow_the_users_scope(partner_user, known_programmes):
    """The selectors read through programme scoping: a partner user's figures cover only their programmes."""
    total, _ = selectors.programme_counts_by_form(user=partner_user)
    assert total == 1
    assert [t.currency.code for t in selectors.budget_totals_by_currency(user=partner_user)] == ["USD"]


def test_latest_updates_are_the_ten_newest(manager, known_programmes):
    loan = known_programmes[0]
    for index in range(12):
        ProgrammeUpdateFactory(programme=loan, title=f"Update {index}")
    titles = [update.title for update in selectors.latest_programme_updates(user=manager)]
    assert titles == [f"Update {index}" for index in range(11, 1, -1)]


def test_dashboard_shows_the_known_figures(client, manager, known_programmes):
    ProgrammeUpdateFactory(programme=known_programmes[2], title="Rice delivered to Tacloban")
    client.force_login(manager)

    response = client.get(reverse("reporting:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="stat" id="stat-total">3</p>' in html
    assert "USD 150,000.50" in html
    assert "IDR 1,500,000,000.00" in html
    assert "Rice delivered to Tacloban" in html
    assert "Pipeline/identification" in html
    # Charts are inline SVG with an accessible name and a table alternative, and no script.
    assert html.count('role="img"') == 3
    assert html.count('<details class="alt-table">') == 3
    assert '<title id="chart-forms-title">Programmes by form of cooperation</title>' in html
    assert '<td data-label="Form">Financial</td><td class="num" data-label="Programmes">2</td>' in html
    assert '<td data-label="Form">In-kind</td><td class="num" data-label="Programmes">1</td>' in html
    assert '<td data-label="Country">Indonesia</td><td class="num" data-label="Programmes">2</td>' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert reverse("reporting:programmes_csv") in html


def test_longest_bar_fills_the_track_and_others_scale():
    chart = horizontal_bar_chart(
        [ChartRow("A", 4, "4"), ChartRow("B", 2, "2"), ChartRow("C", 0, "0")],
        slug="x",
        title="X",
        width=300,
        value_width=100,
    )
    assert [bar.width for bar in chart.bars] == [200.0, 100.0, 0.0]
    assert chart.bars[1].y > chart.bars[0].y
    assert [bar.value_x for bar in chart.bars] == [206.0, 106.0, 6.0]
    assert chart.height > chart.bars[-1].y + chart.bar_height


def test_long_labels_are_shortened_in_the_svg_only():
    label = "Programme with a very long descriptive name that will not fit on one line"
    [bar] = horizontal_bar_chart([ChartRow(label, 1, "1")], slug="x", title="X").bars
    assert bar.label == label
    assert bar.short_label.endswith("…") and len(bar.short_label) < len(label)


def test_svg_geometry_is_not_localised(client, manager, known_programmes):
    """Indonesian writes 1.234,5; SVG coordinates must stay 1234.5 whatever the language."""
    client.force_login(manager)
    response = client.get(reverse("reporting:dashboard"), HTTP_ACCEPT_LANGUAGE="id")
    html = response.content.decode()
    status_chart = response.context["charts"][1]["chart"]
    half_bar = next(bar for bar in status_chart.bars if bar.display == "1")
    assert half_bar.width == 152.0
    assert 'viewBox="0 0 360 ' in html
    assert f'width="{half_bar.width}"' in html
    assert f'x="{half_bar.value_x}"' in html


def test_filter_by_currency_narrows_every_figure(client, manager, known_programmes):
    client.force_login(manager)

    response = client.get(reverse("reporting:dashboard"), {"currency": "USD"})

    assert response.context["total"] == 2
    assert [t.currency.code for t in response.context["budgets"]] == ["USD"]
    assert "IDR 1,500,000,000.00" not in response.content.decode()
    assert response.context["export_url"] == reverse("reporting:programmes_csv") + "?currency=USD"


def test_filter_by_status(client, manager, known_programmes):
    client.force_login(manager)
    response = client.get(reverse("reporting:dashboard"), {"status": ActivityStatus.PIPELINE.value})
    assert response.context["total"] == 1


def test_bad_filter_value_is_shown_and_ignored(client, manager, known_programmes):
    client.force_login(manager)
    response = client.get(reverse("reporting:dashboard"), {"currency": "XXX"})
    assert response.status_code == 200
    assert "currency" in response.context["filter_form"].errors
    assert response.context["total"] == 3


def test_auditor_sees_the_dashboard(client, auditor, known_programmes):
    client.force_login(auditor)
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert response.context["total"] == 3


@pytest.mark.parametrize("user_fixture", ["officer", "partner_user"])
def test_officers_and_partners_get_403(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("reporting:dashboard")).status_code == 403


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:login"))


def test_dashboard_query_count_is_the_same_for_5_and_50_programmes(client, manager, partner_org):
    codes = ["ID", "TL", "PH", "MY", "VN", "TH", "LA", "KH", "MM", "PG", "FJ", "WS"]

    def make(start, count):
        for index in range(start, start + count):
            programme = ProgrammeFactory(
                is_financial=index % 2 == 0,
                is_in_kind=index % 3 == 0,
                status=ActivityStatus.values[index % len(ActivityStatus.values)],
                budget_currency=currency(("USD", "IDR", "EUR")[index % 3]),
                # Three countries each: even five programmes cover more than the top ten.
                countries=[codes[(index * 3 + offset) % len(codes)] for offset in range(3)],
            )
            ParticipationFactory(programme=programme, organisation=partner_org)
            ProgrammeUpdateFactory(programme=programme, reported_on=datetime.date(2026, 1, 1))

    client.force_login(manager)
    make(0, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reporting:dashboard")).context["total"] == 5
    make(5, 45)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reporting:dashboard"))

    assert response.context["total"] == 50
    assert len(response.context["updates"]) == 10
    assert len(many.captured_queries) == len(few.captured_queries)
