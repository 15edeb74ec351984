from django.apps import AppConfig


class ContentTypesConfig(AppConfig):
    name = "content_types"
    label = "content_types"
    verbose_name = "Nội dung"
