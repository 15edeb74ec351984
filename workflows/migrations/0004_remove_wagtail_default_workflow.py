"""Wagtail's "Moderators approval" workflow and step, switched off by 0002, still showed in the
approval reports' filters and the workflow screens, in English and for every agency. Each agency
has its own workflow (workflows.provisioning); remove Wagtail's when nothing ever ran through it,
so history is never lost."""

from django.db import migrations

DEFAULT_NAME = "Moderators approval"


def remove_default_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow.objects.filter(
        name=DEFAULT_NAME, active=False, workflow_states__isnull=True, workflow_pages__isnull=True
    ).delete()
    GroupApprovalTask.objects.filter(
        name=DEFAULT_NAME, task_states__isnull=True, workflow_tasks__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_withdrawal_request")]

    operations = [migrations.RunPython(remove_default_workflow, migrations.RunPython.noop)]
