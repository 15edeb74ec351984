"""An agency's units (phòng, ban, bộ phận): the audit's scope and who belongs where."""

from django.conf import settings
from django.db import models

from simple_history.models import HistoricalRecords


class QualityUnit(models.Model):
    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="quality_units",
    )
    name = models.CharField("tên đơn vị", max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ thuộc đơn vị",
        blank=True,
        related_name="quality_units",
        help_text="Dùng để bảo đảm tính khách quan: đánh giá viên không đánh giá đơn vị mình.",
    )
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = "đơn vị (phòng, ban)"
        verbose_name_plural = "đơn vị (phòng, ban)"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unique_quality_unit_name"),
        ]

    def __str__(self) -> str:
        return self.name
