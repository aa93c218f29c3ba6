"""Small shared vocabularies: places and fields of work."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from directory.models.base import Named, ProtectedWhileReferenced


class City(Named):
    country = CountryField(_("country"))

    class Meta(Named.Meta):
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["slug"]

    def get_absolute_url(self):
        return f"{reverse('organization-list-page')}?city={self.slug}"


class FieldOfWork(ProtectedWhileReferenced, Named):
    """A field an organization works in, such as children's rights or volunteering."""

    class Meta(Named.Meta):
        verbose_name = _("field of work")
        verbose_name_plural = _("fields of work")
        ordering = ["slug"]

    def get_absolute_url(self):
        return f"{reverse('organization-list-page')}?field={self.slug}"
