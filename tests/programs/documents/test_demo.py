"""The demo documents: an agreement in two versions on the demo partner's programme, an MoU with the partner and a
staff-only photo; a second run changes nothing."""

import datetime
from types import SimpleNamespace

from programs.documents import demo, selectors
from programs.documents.models import Document


def test_demo_documents_are_made_once_and_the_partner_sees_the_shared_ones(officer, partner_user, own_programme):
    run = SimpleNamespace(
        users={"officer": officer, "partner": partner_user}, today=datetime.date(2026, 7, 15), log=lambda line: None
    )
    assert demo.load(run=run) == "Documents: 3 (3 created now)."
    assert demo.load(run=run) == "Documents: 3 (0 created now)."
    agreement = Document.objects.get(title="Partnership agreement")
    assert agreement.programme == own_programme
    assert list(agreement.versions.values_list("number", "note")) == [(2, "Signed"), (1, "First draft")]
    seen = set(selectors.portal_document_list(user=partner_user).values_list("title", flat=True))
    assert seen == {"Partnership agreement", "Memorandum of understanding"}
    assert Document.objects.get(title="Site visit photo").versions.get().content_type == "image/png"
