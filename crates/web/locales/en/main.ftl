# Frontera's interface in English. Each message has the same key in es/main.ftl.

app-name = Frontera
app-tagline = Border crossings, Belize–Mexico
skip-to-content = Skip to content
nav-home = Home
nav-logout = Log out
lang-switch = Español
lang-switch-label = Cambiar a español
signed-in-as = Signed in as { $name }

login-title = Log in
login-intro = Use the user name and password your administrator gave you.
login-name = User name
login-password = Password
login-submit = Log in
login-bad-credentials = The user name or the password is wrong.
login-locked = Too many failed attempts. This account is locked until { $time } UTC; ask your administrator to unlock it sooner.
login-session-ended = Your session has ended. Please log in again.
login-logged-out = You have logged out.

form-expired = The form had expired or did not come from this site. Please try again.

home-title = Home
home-welcome = Welcome, { $name }
home-role = Role
home-country = Country
home-port = Port
home-organisation = Organisation
home-session-ends = Session ends
home-all-ports = All ports of the country

role-officer = Border officer
role-supervisor = Supervisor
role-registrar = Registrar
role-protection = Protection officer
role-provider = Service provider
role-analyst = Analyst
role-liaison = Binational liaison
role-admin = Administrator
role-auditor = Auditor

error-title = Something went wrong
error-forbidden = You may not see this page with your role or scope.
error-not-found = This page does not exist.
error-internal = Something went wrong on this node. The error was logged.
error-back = Back to the home page
