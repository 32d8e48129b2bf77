"""Generated partner organisations and their contacts, for measuring at scale (see ``generate_bulk``).

About 800 organisations at scale 1.0: Indonesian ministries, local governments, NGOs and universities that
borrow, receive goods and host scholars, and the donors, agencies and lenders abroad that fund them. Each name
starts with ``MARK`` followed by a number, which is how the generators after this one and the command recognise
generated rows.
"""

from cooperation.reference.codes import OrganisationType
from partners.models import Contact, Organisation

ORDER = 10
MARK = "BULK-"
ORGANISATIONS_AT_FULL_SCALE = 800

# (kind, countries, share): who takes part in a national portfolio.
T = OrganisationType
PROFILES = (
    (T.GOVERNMENT, ("ID",), 8),
    (T.LOCAL_GOVERNMENT, ("ID",), 14),
    (T.OTHER_PUBLIC_SECTOR, ("ID", "TL", "PH"), 8),
    (T.NATIONAL_NGO, ("ID",), 16),
    (T.PARTNER_COUNTRY_NGO, ("TL", "PH", "PG", "FJ", "KH", "LA", "MM", "VN"), 10),
    (T.INTERNATIONAL_NGO, ("GB", "US", "NL", "DE", "AU"), 8),
    (T.ACADEMIC, ("ID", "JP", "AU", "DE", "NL", "KR"), 12),
    (T.MULTILATERAL, ("PH", "US", "CH", "FR"), 4),
    (T.FOUNDATION, ("ID", "US", "JP"), 6),
    (T.PRIVATE_SECTOR_RECIPIENT, ("ID", "TL", "PH"), 8),
    (T.GOVERNMENT, ("JP", "DE", "AU", "KR", "NL", "US"), 6),
)
WORDS = {
    T.GOVERNMENT: ("Ministry of", ("Public Works", "Health", "Education", "Agriculture", "Finance", "Social Affairs")),
    T.LOCAL_GOVERNMENT: ("Regency of", ("Sleman", "Bantul", "Maros", "Sikka", "Jayapura", "Pidie", "Lombok Timur")),
    T.OTHER_PUBLIC_SECTOR: ("Agency for", ("Disaster Management", "Water Supply", "Rural Roads", "Food Security")),
    T.NATIONAL_NGO: ("Yayasan", ("Air Bersih", "Pangan Sejahtera", "Peduli Anak", "Hutan Lestari", "Sehat Bersama")),
    T.PARTNER_COUNTRY_NGO: ("Community", ("Water Trust", "Health Network", "Farmers Union", "Women's Forum")),
    T.INTERNATIONAL_NGO: ("International", ("Relief Alliance", "Children's Fund", "Water Mission", "Rescue Corps")),
    T.ACADEMIC: ("University of", ("Gadjah Mada Region", "Eastern Islands", "Applied Sciences", "Technology")),
    T.MULTILATERAL: ("Development", ("Bank Office", "Project Office", "Fund Secretariat")),
    T.FOUNDATION: ("Foundation for", ("Rural Futures", "Ocean Health", "Learning", "Clean Energy")),
    T.PRIVATE_SECTOR_RECIPIENT: ("PT", ("Nusantara Logistik", "Karya Bangun", "Agro Makmur", "Surya Energi")),
}


def generate(*, run) -> None:
    profiles = [profile for profile in PROFILES for _ in range(profile[2])]
    ids = run.ids(Organisation)
    organisations = run.table(
        Organisation,
        ("id", "name", "acronym", "kind", "country_id", "iati_identifier", "website", "created_at", "updated_at"),
    )
    contacts = run.table(
        Contact,
        ("organisation_id", "name", "email", "position", "receives_reminders", "preferred_language", "created_at"),
    )
    first_day = run.today.replace(year=run.today.year - 6)
    for number in range(1, run.count(ORGANISATIONS_AT_FULL_SCALE, minimum=12) + 1):
        kind, countries, _share = profiles[(number - 1) % len(profiles)]
        country = run.random.choice(countries)
        lead, names = WORDS[kind]
        name = f"{lead} {run.random.choice(names)}"
        acronym = "".join(word[0] for word in name.split() if word[0].isupper())[:8] + str(number)
        created = run.moment(run.day_between(first_day, run.today))
        pk = next(ids)
        organisations.add(
            pk,
            f"{MARK}{number:04d} {name}",
            acronym,
            kind.value,
            country,
            f"XM-BULK-{number}" if number % 3 == 0 else "",
            f"https://org{number}.bulk.example",
            created,
            created,
        )
        for index in range(1 + number % 2):
            contacts.add(
                pk,
                f"Contact {index + 1} of {acronym}",
                f"contact{index + 1}@org{number}.bulk.example",
                "Project manager" if index == 0 else "Finance officer",
                index == 0,
                "id" if country == "ID" else "en",
                created,
            )
