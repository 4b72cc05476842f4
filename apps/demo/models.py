"""A record of each generated demo data set, so `demo --reuse` can say what is already there."""

from django.db import models


class DemoDataset(models.Model):
    scale = models.CharField(max_length=20)
    seed = models.BigIntegerField()
    today = models.DateField()
    county_codes = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    # Each county's access-log chain head as generated ({code: [seq, hash]}): while a county's
    # ChainHead still says the same, nobody has read its demo data and the history may go with it.
    log_heads = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.scale} (seed {self.seed}, {self.today:%Y-%m-%d})"
