from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = "账号与角色"
