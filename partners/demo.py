"""Demonstration partners for ``manage.py load_demo``: organisations of every kind, their contacts, and the
organisations the partner users work for.

Natural keys make a second run change nothing: an organisation's name, a contact's email within it.
"""

from dataclasses import asdict, dataclass

from cooperation.reference.codes import OrganisationType
from cooperation.reference.models import Country
from partners import services
from partners.models import Contact, Membership, Organisation


@dataclass(frozen=True)
class DemoContact:  # contact_create's arguments
    name: str
    email: str
    position: str
    phone: str = ""
    receives_reminders: bool = False
    preferred_language: str = "en"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    acronym: str
    kind: OrganisationType
    country: str
    iati_identifier: str
    website: str
    address: str
    contacts: tuple[DemoContact, ...] = ()


ORGANISATIONS = (
    DemoOrganisation(
        "Directorate of Technical Cooperation",
        "DKT",
        OrganisationType.GOVERNMENT,
        "ID",
        "ID-GOV-0101",
        "https://dkt.example.go.id",
        "Jl. Taman Pejambon No. 6, Jakarta Pusat 10110",
        (
            DemoContact("Agus Pratama", "agus.pratama@dkt.example.go.id", "Director", "+62 21 344 1508", True, "id"),
            DemoContact(
                "Ratna Sari", "ratna.sari@dkt.example.go.id", "Head of South-South cooperation", preferred_language="id"
            ),
        ),
    ),
    DemoOrganisation(
        "Ministry of Health of Timor-Leste",
        "MS-TL",
        OrganisationType.GOVERNMENT,
        "TL",
        "TL-GOV-MS",
        "https://ms.example.gov.tl",
        "Rua de Caicoli, Dili",
        (DemoContact("Ana Soares", "ana.soares@ms.example.gov.tl", "Public health director", "+670 3310009", True),),
    ),
    DemoOrganisation(
        "Department of Agriculture, Eastern Visayas",
        "DA-RFO8",
        OrganisationType.LOCAL_GOVERNMENT,
        "PH",
        "PH-LGU-0808",
        "https://rfo8.example.gov.ph",
        "Kanhuraw Hill, Tacloban City, Leyte",
        (DemoContact("Ramon dela Cruz", "ramon.delacruz@rfo8.example.gov.ph", "Regional technical director"),),
    ),
    DemoOrganisation(
        "Yayasan Air Bersih Nusantara",
        "YABN",
        OrganisationType.NATIONAL_NGO,
        "ID",
        "ID-NGO-0417",
        "https://airbersih.example.org",
        "Jl. El Tari No. 12, Kupang, Nusa Tenggara Timur",
        (
            DemoContact("Siti Rahmawati", "siti@airbersih.example.org", "Programme lead", "+62 380821455", True, "id"),
            DemoContact("Yohanes Lado", "yohanes@airbersih.example.org", "Field engineer", "", False, "id"),
        ),
    ),
    DemoOrganisation(
        "Fundasaun Haburas Komunidade",
        "FHK",
        OrganisationType.PARTNER_COUNTRY_NGO,
        "TL",
        "TL-NGO-0033",
        "https://haburas.example.tl",
        "Rua de Bidau Lecidere, Dili",
        (DemoContact("João da Costa Belo", "joao@haburas.example.tl", "Executive director", "+670 7723 4410", True),),
    ),
    DemoOrganisation(
        "Pacific Disaster Relief Network",
        "PDRN",
        OrganisationType.REGIONAL_NGO,
        "FJ",
        "FJ-NGO-2210",
        "https://pdrn.example.org",
        "Victoria Parade 78, Suva",
        (DemoContact("Mere Tuilagi", "mere@pdrn.example.org", "Logistics coordinator", "+679 331 2200", True),),
    ),
    DemoOrganisation(
        "Asia-Pacific Development Fund",
        "APDF",
        OrganisationType.MULTILATERAL,
        "PH",
        "XM-APDF-40001",
        "https://apdf.example.int",
        "6 Development Avenue, Mandaluyong City, Metro Manila",
        (
            DemoContact("Li Wei", "li.wei@apdf.example.int", "Senior loan officer", "", True),
            DemoContact("Priya Raman", "priya.raman@apdf.example.int", "Portfolio analyst"),
        ),
    ),
    DemoOrganisation(
        "Universitas Teknologi Nusantara",
        "UTN",
        OrganisationType.ACADEMIC,
        "ID",
        "ID-UNI-0880",
        "https://utn.example.ac.id",
        "Jl. Grafika No. 2, Yogyakarta",
        (DemoContact("Dr. Wahyu Nugroho", "wahyu.nugroho@utn.example.ac.id", "Dean of engineering", "", False, "id"),),
    ),
    DemoOrganisation(
        "Kenya Institute for Dryland Research",
        "KIDR",
        OrganisationType.ACADEMIC,
        "KE",
        "KE-ACA-0412",
        "https://kidr.example.ac.ke",
        "Box 30197, Nairobi",
        (DemoContact("Grace Wanjiru", "grace.wanjiru@kidr.example.ac.ke", "Research director", "+254 20 491 000"),),
    ),
    DemoOrganisation(
        "Osaka Foundation for Cultural Exchange",
        "OFCE",
        OrganisationType.FOUNDATION,
        "JP",
        "JP-FDN-5521",
        "https://ofce.example.or.jp",
        "2-1 Nakanoshima, Kita-ku, Osaka",
        (DemoContact("Yuki Tanaka", "yuki.tanaka@ofce.example.or.jp", "Programme officer"),),
    ),
    DemoOrganisation(
        "Sakura Engineering Co., Ltd.",
        "Sakura Eng.",
        OrganisationType.PRIVATE_SECTOR_PROVIDER,
        "JP",
        "JP-COH-7780112",
        "https://sakura-eng.example.co.jp",
        "1-9-1 Marunouchi, Chiyoda-ku, Tokyo",
        (DemoContact("Kenji Watanabe", "k.watanabe@sakura-eng.example.co.jp", "Project director", "", True),),
    ),
    DemoOrganisation(
        "Australian Volunteers for Development",
        "AVD",
        OrganisationType.INTERNATIONAL_NGO,
        "AU",
        "AU-ABN-51004085616",
        "https://avd.example.org.au",
        "121 Flinders Lane, Melbourne VIC 3000",
        (DemoContact("Olivia Harris", "olivia.harris@avd.example.org.au", "Country manager, Timor-Leste", "", True),),
    ),
    DemoOrganisation(
        "Mindanao Cooperative Bank",
        "MCB",
        OrganisationType.PRIVATE_SECTOR_RECIPIENT,
        "PH",
        "PH-SEC-CS2009",
        "https://mcb.example.com.ph",
        "J.P. Laurel Avenue, Davao City",
        (DemoContact("Carmelita Reyes", "c.reyes@mcb.example.com.ph", "Credit operations head", "", True),),
    ),
    DemoOrganisation(
        "East Africa Humanitarian Logistics",
        "EAHL",
        OrganisationType.INTERNATIONAL_NGO,
        "KE",
        "KE-NGO-1190",
        "https://eahl.example.org",
        "Mombasa Road, Nairobi",
        (DemoContact("Daniel Otieno", "daniel.otieno@eahl.example.org", "Head of operations"),),
    ),
    DemoOrganisation(
        "Rotterdam Water Institute",
        "RWI",
        OrganisationType.PUBLIC_PRIVATE_PARTNERSHIP,
        "NL",
        "NL-KVK-40123456",
        "https://rwi.example.nl",
        "Westersingel 12, Rotterdam",
        (DemoContact("Pieter de Vries", "pieter@rwi.example.nl", "International programmes lead"),),
    ),
)


def load(*, run) -> None:
    """Create the organisations, contacts and memberships that are missing; ``run.organisations`` then finds each
    organisation by acronym and by name for the loaders that follow."""
    officer = run.users["officer"]
    for demo in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=demo.name).first()
        if organisation is None:
            organisation = services.organisation_create(
                created_by=officer,
                name=demo.name,
                acronym=demo.acronym,
                kind=demo.kind,
                country=Country.objects.get(code=demo.country),
                iati_identifier=demo.iati_identifier,
                website=demo.website,
                address=demo.address,
            )
            run.log(f"  partner {organisation} created")
        for contact in demo.contacts:
            if not Contact.objects.filter(organisation=organisation, email=contact.email).exists():
                services.contact_create(organisation=organisation, created_by=officer, **asdict(contact))
        run.organisations[demo.acronym] = organisation
        run.organisations[demo.name] = organisation
    for username, name in run.workplaces.items():
        user, organisation = run.users[username], run.organisations[name]
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            services.membership_create(user=user, organisation=organisation, created_by=run.users["admin"])
