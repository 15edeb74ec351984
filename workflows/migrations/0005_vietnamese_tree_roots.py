"""Wagtail names the root of the page tree and of the collections «Root»: the page chooser, the
move screen, the «pages of this type» listing and the collection choosers showed it to the
agencies' staff in English. Only names that were never changed are touched."""

from django.db import migrations

ENGLISH, VIETNAMESE = "Root", "Gốc"


def rename_roots(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=ENGLISH).update(title=VIETNAMESE, draft_title=VIETNAMESE)
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name=ENGLISH).update(name=VIETNAMESE)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_remove_wagtail_default_workflow")]

    operations = [migrations.RunPython(rename_roots, migrations.RunPython.noop)]
