import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("outreach", "0002_publicity_by_any_node"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publicityevent",
            name="node",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="recorded_publicity_events",
                to="orgs.orgnode",
                verbose_name="登记单位",
            ),
        ),
    ]
