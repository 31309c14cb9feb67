# La interfaz de Frontera en español. Cada mensaje tiene la misma clave en en/main.ftl.

app-name = Frontera
app-tagline = Cruces fronterizos, Belice–México
skip-to-content = Ir al contenido
nav-home = Inicio
nav-logout = Cerrar sesión
lang-switch = English
lang-switch-label = Switch to English
signed-in-as = Sesión de { $name }

login-title = Iniciar sesión
login-intro = Use el nombre de usuario y la contraseña que le dio su administrador.
login-name = Nombre de usuario
login-password = Contraseña
login-submit = Entrar
login-bad-credentials = El nombre de usuario o la contraseña no son correctos.
login-locked = Demasiados intentos fallidos. Esta cuenta está bloqueada hasta las { $time } UTC; pida a su administrador que la desbloquee antes.
login-session-ended = Su sesión terminó. Vuelva a iniciar sesión.
login-logged-out = Cerró su sesión.

form-expired = El formulario caducó o no provenía de este sitio. Inténtelo de nuevo.

home-title = Inicio
home-welcome = Bienvenido/a, { $name }
home-role = Rol
home-country = País
home-port = Puesto
home-organisation = Organización
home-session-ends = La sesión termina
home-all-ports = Todos los puestos del país

role-officer = Oficial de frontera
role-supervisor = Supervisor/a
role-registrar = Registrador/a
role-protection = Oficial de protección
role-provider = Proveedor de servicios
role-analyst = Analista
role-liaison = Enlace binacional
role-admin = Administrador/a
role-auditor = Auditor/a

error-title = Algo salió mal
error-forbidden = Su rol o su ámbito no le permiten ver esta página.
error-not-found = Esta página no existe.
error-internal = Algo falló en este nodo. El error quedó registrado.
error-back = Volver al inicio
