"""The two approval workflows: public needs (jurisdiction staff) and charity projects."""

from django.db import migrations

WORKFLOWS = [
    ("publicneed", "publication", "需求公示审批", "jurisdictionapprovaltask", "辖区民政审核"),
    ("project", "offers", "帮扶项目审核", "projectmoderationtask", "帮扶项目审核"),
]


def create_workflows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    for model, app_label, workflow_name, task_model, task_name in WORKFLOWS:
        task_class = apps.get_model("publication", task_model)
        task_type, _ = ContentType.objects.get_or_create(app_label="publication", model=task_model)
        task, _ = task_class.objects.get_or_create(
            name=task_name, defaults={"content_type": task_type, "active": True}
        )
        workflow, _ = Workflow.objects.get_or_create(name=workflow_name, defaults={"active": True})
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        target, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=target, defaults={"workflow": workflow}
        )


def remove_workflows(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore.Workflow")
    Workflow.objects.filter(name__in=[w[2] for w in WORKFLOWS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0001_public_needs"),
        ("offers", "0002_project_moderation"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflows, remove_workflows)]
