"""The "Editors" group: marketing staff who run the public site.

Wagtail's first migrations make "Editors" and "Moderators" groups with rights on the root page and
the root collection, which would reach every couple's registry and photos. Editors get a fresh set
of rights below; Moderators (unused here) is removed, and so is Wagtail's default "Moderators
approval" workflow, which would ask couples to submit their registry to a group nobody is in.

They edit the home page and everything under it, the snippets (packages) and redirects, and keep
their images and documents in a "Marketing" collection. Registries stay the couples' own: the
registry pages' permission tester ignores rights inherited from the home page, so editors see
registries in the explorer (for support) but cannot edit, publish or delete them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
MODEL_PERMISSIONS = {
    "registries": ("add_package", "change_package", "delete_package", "view_package"),
    "wagtailredirects": ("add_redirect", "change_redirect", "delete_redirect"),
}
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image", "delete_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document", "delete_document"),
}


def create_editors(apps, schema_editor):
    # Permissions are normally made after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    HomePage = apps.get_model("home", "HomePage")

    Group.objects.filter(name="Moderators").delete()
    Workflow = apps.get_model("wagtailcore", "Workflow")
    apps.get_model("wagtailcore", "WorkflowPage").objects.filter(workflow__name="Moderators approval").delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.clear()
    GroupPagePermission.objects.filter(group=editors).delete()
    GroupCollectionPermission.objects.filter(group=editors).delete()
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for app_label, codenames in MODEL_PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )

    for home in HomePage.objects.all():
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors,
                page_id=home.pk,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )

    marketing = Collection.objects.filter(name="Marketing", depth=2).first()
    if marketing is None:
        root = Collection.objects.get(depth=1)
        # Collection is a treebeard node; the historical model has no add_child, so set the path by hand.
        last_child = Collection.objects.filter(depth=2).order_by("-path").first()
        next_step = int(last_child.path[-4:], 36) + 1 if last_child else 1
        marketing = Collection.objects.create(
            name="Marketing", depth=2, path=root.path + _base36(next_step).rjust(4, "0"), numchild=0
        )
        Collection.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    for app_label, codenames in COLLECTION_PERMISSIONS.items():
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=marketing, permission=permission
            )


def _base36(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    encoded = ""
    while number:
        number, remainder = divmod(number, 36)
        encoded = digits[remainder] + encoded
    return encoded or "0"


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("home", "0002_create_homepage"),
        ("registries", "0003_default_packages"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
