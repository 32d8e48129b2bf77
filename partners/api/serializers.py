"""Partner organisations in and out of the API: one serializer validates input, another shapes output."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.api.fields import code_field
from cooperation.reference.codes import OrganisationType
from cooperation.reference.models import Country
from partners.models import DacCategory, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    country = serializers.CharField(source="country_id", read_only=True, help_text=_("ISO 3166-1 alpha-2 code."))
    # Blank when unknown: documented as a URL or the empty string, not as a URL alone.
    website = serializers.URLField(read_only=True, allow_blank=True)
    dac_category = serializers.ChoiceField(choices=DacCategory.choices, read_only=True, allow_blank=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "kind_label",
            "country",
            "iati_identifier",
            "website",
            "address",
            "is_active",
            "dac_category",
            "area",
        ]
        read_only_fields = fields


class OrganisationWriteSerializer(serializers.Serializer):
    """What an officer sends to create or change a partner; the service applies the business rules."""

    name = serializers.CharField(max_length=200)
    acronym = serializers.CharField(max_length=30, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=OrganisationType.choices)
    country = code_field(
        Country,
        unknown_message=_("There is no country with the code “{value}”."),
        active_only=True,
        help_text=_("ISO 3166-1 alpha-2 code."),
    )
    iati_identifier = serializers.CharField(max_length=100, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    area = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text=_("Province or district, e.g. Central Sulawesi.")
    )
    dac_category = serializers.ChoiceField(
        choices=DacCategory.choices,
        required=False,
        allow_blank=True,
        help_text=_("Its category under the OECD DAC rules for concessional loans; empty when not recorded."),
    )
