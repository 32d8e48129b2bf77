"""Write the organisation's IATI 2.03 activities file (or its organisation file), checked against the schema.

``manage.py export_iati`` publishes every programme marked "publish to IATI"; ``--programme CODE`` (repeatable)
publishes those named instead, and fails when one of them cannot be published. Problems are printed per
programme; a file the IATI schema or codelists would refuse is never written.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programs import iati
from programs.models import Programme


class Command(BaseCommand):
    help = "Write the IATI 2.03 activities file of the programmes marked for publication, or the organisation file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--programme",
            action="append",
            dest="codes",
            default=[],
            metavar="CODE",
            help="Publish this programme (repeat for several) instead of those marked for publication.",
        )
        parser.add_argument("--output", help="Write the file here instead of to standard output.")
        parser.add_argument(
            "--organisation", action="store_true", help="Write the organisation file (iati-organisations)."
        )

    def handle(self, *args, codes, output, organisation, **options):
        programmes = self._programmes(codes)
        if organisation:
            publication = iati.organisation_publication(programmes)
            if publication.problems:
                raise CommandError("\n".join(publication.problems))
            xml, kind = publication.xml, "organisations"
        else:
            xml, kind = self._activities(programmes, named=bool(codes)), "activities"
        errors = iati.file_errors(xml, kind)
        if errors:
            raise CommandError("\n".join([_("The file would not be valid IATI, so it was not written:"), *errors]))
        if output:
            with open(output, "wb") as file:
                file.write(xml)
            self.stderr.write(_("Wrote %(path)s.") % {"path": output})
        else:
            self.stdout.write(xml.decode("utf-8"), ending="")

    def _programmes(self, codes: list[str]) -> list[Programme]:
        if not codes:
            return list(Programme.objects.filter(publish_to_iati=True).order_by("code"))
        found = {programme.code: programme for programme in Programme.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(_("There is no programme with the code %(codes)s.") % {"codes": ", ".join(unknown)})
        return [found[code] for code in dict.fromkeys(codes)]

    def _activities(self, programmes: list[Programme], *, named: bool) -> bytes:
        if not programmes:
            raise CommandError(_("No programme is marked for publication to IATI."))
        publication = iati.activities_publication(programmes)
        by_id = {programme.pk: programme for programme in programmes}
        for programme_id, problems in publication.problems.items():
            programme = by_id[programme_id]
            self.stderr.write(_("%(programme)s cannot be published yet:") % {"programme": programme})
            for problem in problems:
                self.stderr.write(f"  - {problem}")
        if named and publication.problems:
            raise CommandError(_("A programme you named cannot be published (see above); nothing was written."))
        if not publication.published:
            raise CommandError(_("No programme can be published yet; nothing was written."))
        return publication.xml
