from axes.backends import AxesStandaloneBackend


class AxesBackendAllowingTestLogin(AxesStandaloneBackend):
    """django-axes needs the request to know the address, and refuses to authenticate
    without one; Django's test Client.login() has none. Those logins are the test's own
    shortcut, not sign-ins axes guards: they pass to the next backend. Every request-borne
    sign-in (the admin's login form) is checked as in production."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
