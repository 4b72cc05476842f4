"""A record of each generated demo data set, so `demo --reuse` can say what is already there."""

from django.db import models


class DemoDataset(models.Model):
    scale = models.CharField(max_length=20)
    seed = models.BigIntegerField()
    today = models.DateField()
    county_codes = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.scale} (seed {self.seed}, {self.today:%Y-%m-%d})"
