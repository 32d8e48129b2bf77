"""A factory for every model; tests build only what they need."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.reference.codes import ActivityStatus, OrganisationRole, OrganisationType
from cooperation.reference.models import Country, Currency, Sector
from cooperation.roles import Role
from partners.models import Contact, Membership, Organisation
from programs.models import Objective, Participation, Programme, ProgrammeObjective, ProgrammeUpdate

PASSWORD = "correct-horse-battery-staple"


def country(code: str = "ID") -> Country:
    return Country.objects.get(code=code)


def currency(code: str = "USD") -> Currency:
    return Currency.objects.get(code=code)


def sector(code: str = "72010") -> Sector:
    return Sector.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))
            if extracted in (Role.OFFICER, Role.MANAGER, Role.AUDITOR, Role.ADMINISTRATOR):
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    acronym = factory.Sequence(lambda n: f"PO{n}")
    kind = OrganisationType.NATIONAL_NGO
    country = factory.LazyFunction(lambda: country("ID"))
    website = "https://partner.example.org"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example.org")
    position = "Programme lead"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role=Role.PARTNER)
    organisation = factory.SubFactory(OrganisationFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"KSM-2026-{n:04d}")
    title = factory.Sequence(lambda n: f"Programme {n}")
    description = "Cooperation programme."
    is_technical = True
    status = ActivityStatus.IMPLEMENTATION
    planned_start = datetime.date(2026, 1, 1)
    planned_end = datetime.date(2027, 12, 31)
    budget_amount = Decimal("100000.00")
    budget_currency = factory.LazyFunction(lambda: currency("USD"))

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create:
            self.recipient_countries.set([country(code) for code in (extracted or ["ID"])])


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganisationRole.IMPLEMENTING


class ProgrammeObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeObjective

    programme = factory.SubFactory(ProgrammeFactory)
    objective = Objective.DEVELOPMENT


class ProgrammeUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeUpdate

    programme = factory.SubFactory(ProgrammeFactory)
    author = factory.SubFactory(UserFactory, role=Role.OFFICER)
    reported_on = datetime.date(2026, 6, 1)
    title = "Quarterly progress"
    body = "Work is on track."


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """An outgoing message; ``about=record`` links it to the record whose page lists it."""

    class Meta:
        model = OutboxMessage
        exclude = ["about"]

    about = None
    kind = "programs.update_posted"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    recipient = factory.Sequence(lambda n: f"recipient{n}@example.org")
    subject = "Kerjasama: a message"
    body = "Hello."
    language = "en"
    status = MessageStatus.PENDING
    content_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.about) if o.about is not None else None
    )
    object_id = factory.LazyAttribute(lambda o: o.about.pk if o.about is not None else None)
