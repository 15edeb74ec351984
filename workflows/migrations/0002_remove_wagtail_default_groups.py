"""Wagtail's project defaults give groups "Editors" and "Moderators" rights on the whole tree and a
"Moderators approval" workflow on the root. In a province every right is per agency, so those
defaults would let one group edit and publish everywhere: remove them on a fresh install."""

from django.db import migrations

DEFAULT_GROUPS = ["Editors", "Moderators"]


def remove_defaults(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    for group in Group.objects.filter(name__in=DEFAULT_GROUPS):
        if not group.user_set.exists():
            group.delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    apps.get_model("wagtailcore", "WorkflowPage").objects.filter(
        workflow__name="Moderators approval"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_defaults, migrations.RunPython.noop)]
