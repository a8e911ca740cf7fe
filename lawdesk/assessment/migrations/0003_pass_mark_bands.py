"""The default standard's lowest band (0 points → 1 star) gave a star to platforms under the pass mark: replace the
bands of version 1 where it still has the old ones, and of rounds not yet published that copied them. Published
rounds keep the results they were published with."""

from decimal import Decimal
from typing import Any

from django.db import migrations


def _same(rows: list[tuple[Decimal, int]], old: list[tuple[int, int]]) -> bool:
    return sorted((Decimal(m), s) for m, s in rows) == sorted((Decimal(m), s) for m, s in old)


def forward(apps: Any, schema_editor: Any) -> None:
    from lawdesk.assessment.seed import DEFAULT_BANDS, DEFAULT_NAME, OLD_DEFAULT_BANDS

    Standard = apps.get_model("assessment", "Standard")
    StarBand = apps.get_model("assessment", "StarBand")
    Round = apps.get_model("assessment", "Round")
    for standard in Standard.objects.filter(name=DEFAULT_NAME):
        rows = [(b.min_score, b.stars) for b in StarBand.objects.filter(standard=standard)]
        if _same(rows, OLD_DEFAULT_BANDS):
            StarBand.objects.filter(standard=standard).delete()
            for minimum, stars in DEFAULT_BANDS:
                StarBand.objects.create(standard=standard, min_score=Decimal(minimum), stars=stars)
    new = [[str(Decimal(m).quantize(Decimal("0.01"))), s] for m, s in DEFAULT_BANDS]
    for round_ in Round.objects.exclude(status="published"):
        if round_.bands and _same([(Decimal(str(m)), int(s)) for m, s in round_.bands], OLD_DEFAULT_BANDS):
            round_.bands = new
            round_.save(update_fields=["bands"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_default_standard")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
