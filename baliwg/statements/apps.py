from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "baliwg.statements"
    label = "statements"
    verbose_name = "Statement import"
