"""Password reset by e-mail for everyone, and the set-password page an invitation links to."""

from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:reset-sent")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """From the signed link: set a password, be logged in, land where the account works."""

    post_reset_login = True
    post_reset_login_backend = "baliwg.accounts.UserBackend"

    def get_success_url(self):
        return reverse("admin:index") if self.user.is_staff else reverse("workplan:workspace")
