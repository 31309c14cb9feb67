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
role-peer = Nodo central del otro país (intercambio)
role-admin = Administrador/a
role-auditor = Auditor/a
role-employer = Empleador

error-title = Algo salió mal
error-forbidden = Su rol o su ámbito no le permiten ver esta página.
error-not-found = Esta página no existe.
error-internal = Algo falló en este nodo. El error quedó registrado.
error-back = Volver al inicio

nav-counter = Ventanilla

counter-title = Ventanilla
counter-mrz = Zona de lectura mecánica
counter-mrz-hint = Pase el documento por el lector, o escriba o pegue sus dos o tres líneas.
counter-read = Leer documento
counter-record = Registrar cruce
counter-record-hint = Ctrl+Intro registra.
counter-typed = Documento sin zona de lectura mecánica
counter-document = Documento
counter-crossing = Cruce
counter-port = Puesto
counter-direction = Sentido
counter-category = Categoría
counter-purpose = Motivo
counter-transport = Medio de transporte
counter-stay = Estancia autorizada (días)
counter-not-chosen = (sin indicar)
counter-valid = Todos los dígitos de control coinciden.
counter-invalid = La zona de lectura mecánica de este documento no pasa sus controles. Compárela con el documento antes de registrar.
counter-not-mrz = Esto no es una zona de lectura mecánica: { $reason }
counter-recorded = Registrado: { $direction } de { $name } a las { $time }.
counter-resent = Este cruce ya estaba registrado.
counter-expired = Este documento venció el { $date }.
counter-history = Cruces anteriores
counter-history-none = No hay cruces anteriores de este documento en este lado.
counter-history-last = Último: { $direction } el { $time }.
counter-history-more = { $count } cruces en total.

field-document_kind = Tipo de documento
field-document_number = Número de documento
field-issuing_state = Estado emisor
field-expiry_date = Fecha de vencimiento
field-given_names = Nombre(s)
field-surname = Apellido(s)
field-first_surname = Primer apellido
field-second_surname = Segundo apellido
field-sex = Sexo
field-birth_date = Fecha de nacimiento
field-nationality = Nacionalidad
field-document_code = Código de documento
field-format = Formato
field-when = Cuándo

check-document_number = El dígito de control del número de documento no coincide: un carácter se leyó mal o fue alterado.
check-birth_date = El dígito de control de la fecha de nacimiento no coincide.
check-expiry_date = El dígito de control de la fecha de vencimiento no coincide.
check-optional_data = El dígito de control del número personal no coincide.
check-composite = El dígito de control compuesto no coincide: alguna parte de la zona se leyó mal o fue alterada.
check-label-optional_data = Dígito de control del número personal
check-label-composite = Dígito de control compuesto
check-name-truncated = El nombre ocupa todo su campo y puede estar cortado: lea el nombre completo en el documento.

direction-entry = Entrada
direction-exit = Salida

category-visitor = Visitante
category-regional_visitor = Visitante regional (TVR)
category-border_worker = Trabajador fronterizo (TVTF)
category-resident = Residente
category-returning_national = Nacional que regresa
category-departing_national = Nacional que sale
category-transit = Tránsito
category-crew_driver = Tripulante o conductor
category-other = Otra

purpose-tourism = Turismo
purpose-shopping = Compras
purpose-family = Familia
purpose-work = Trabajo
purpose-business = Negocios
purpose-health = Salud
purpose-study = Estudios
purpose-transit = Tránsito
purpose-return_home = Regreso a casa
purpose-other = Otro

transport-pedestrian = A pie
transport-car = Automóvil
transport-bus = Autobús o taxi
transport-truck = Camión
transport-motorcycle = Motocicleta
transport-bicycle = Bicicleta
transport-boat = Embarcación
transport-air = Avión
transport-other = Otro

document-passport = Pasaporte
document-id_card = Cédula de identidad
document-visa = Visa
document-border_card = Tarjeta fronteriza
document-other = Otro documento

sex-F = Femenino
sex-M = Masculino
sex-X = Sin especificar

nav-travellers = Viajeros

travellers-title = Historial de viajeros
travellers-hint = Busque por nombre (mayúsculas o minúsculas, con o sin acentos: basta el comienzo de las palabras), por número de documento o por fecha de nacimiento (AAAA, AAAA-MM o AAAA-MM-DD). Los criterios se combinan.
travellers-name = Nombre
travellers-document_number = Número de documento
travellers-birth_date = Fecha de nacimiento
travellers-search = Buscar
travellers-found = { $count ->
    [one] Se encontró un viajero
   *[other] Se encontraron { $count } viajeros
}
travellers-none = Ningún viajero de este país coincide.
travellers-last-seen = Último cruce
travellers-capped = Solo se listan los viajeros vistos más recientemente: añada un criterio para acotar la búsqueda.
travellers-back = ← Búsqueda de viajeros

traveller-person = Persona
traveller-status = Estancia
traveller-stay-left = En el país; estancia autorizada hasta el { $date } ({ $days ->
    [one] queda un día
   *[other] quedan { $days } días
}).
traveller-overstayed = En el país después de la estancia autorizada: terminó el { $date }, { $days ->
    [one] hace un día
   *[other] hace { $days } días
}.
traveller-inside = En el país; no se registró una estancia autorizada a la entrada.
traveller-outside = Fuera del país: el último cruce es una salida.
traveller-days-spent = { $days ->
    [one] Un día de estancia en el país registrado.
   *[other] { $days } días de estancia en el país registrados.
}
traveller-stays = Estancias
traveller-days = Días
traveller-days-hint = Se cuentan el día de entrada y el de salida. Una estancia cuya entrada no está registrada no se cuenta.
traveller-not-recorded = (no registrada)
traveller-still-in = (sigue en el país)
traveller-timeline = Entradas y salidas

nav-dashboard = Tablero

dashboard-title = Tablero
dashboard-scope = Mostrar
dashboard-show = Mostrar
dashboard-all-ports = Todos los puertos de { $country }
dashboard-today-is = Hoy es { $date } (hora local del puerto). La semana son los últimos 7 días, hoy incluido.
dashboard-figures = Cifras clave
dashboard-entries = Entradas
dashboard-exits = Salidas
dashboard-entries-today = Entradas hoy
dashboard-exits-today = Salidas hoy
dashboard-crossings-week = Cruces en los últimos 7 días
dashboard-overstays = Estancias vencidas
dashboard-median-today = Tiempo de atención mediano hoy
dashboard-p90-today = Percentil 90 hoy
dashboard-median-week = Tiempo de atención mediano, 7 días
dashboard-p90-week = Percentil 90, 7 días
dashboard-by-hour = Hoy por hora
dashboard-by-day = Los últimos 7 días
dashboard-by-category = Por categoría
dashboard-today = Hoy
dashboard-week = Últimos 7 días
dashboard-no-crossings = No hubo cruces en los últimos 7 días.
dashboard-chart-summary = { $entries } entradas y { $exits } salidas.
dashboard-overstays-count = { $count ->
    [0] Ningún viajero ha superado su estancia autorizada sin salir.
    [one] Un viajero ha superado su estancia autorizada sin salir.
   *[other] { $count } viajeros han superado su estancia autorizada sin salir.
}
dashboard-entered = Entrada
dashboard-until = Autorizado hasta
dashboard-overdue = Días de exceso
dashboard-names-hidden = Los nombres solo se muestran a los roles que pueden leer datos personales.

nav-admin = Administración
nav-audit = Auditoría

admin-users-title = Usuarios
admin-users-heading = Usuarios de { $country }
admin-accounts = Cuentas
admin-role = Rol
admin-created = Creada (UTC)
admin-access = Acceso
admin-actions = Acciones
admin-password = contraseña
admin-tokens = { $count ->
    [one] un token de API
   *[other] { $count } tokens de API
}
admin-locked-until = Bloqueada hasta { $time }
admin-reset = Nueva contraseña
admin-reset-for = Nueva contraseña para { $name }
admin-reset-hint = Se genera una contraseña nueva que se muestra una sola vez; cierra las sesiones del usuario y levanta un bloqueo.
admin-add = Añadir un usuario
admin-add-submit = Añadir usuario
admin-field-name = Nombre de usuario
admin-field-role = Rol
admin-field-country = País
admin-field-port = Puerto
admin-field-organisation = Organización
admin-field-password = Contraseña
admin-password-hint = De 12 a 128 caracteres. Déjela vacía para generar una, que se muestra una sola vez.
admin-user-added = Se añadió el usuario { $name }.
admin-password-reset = { $name } tiene una contraseña nueva; sus sesiones se cerraron.
admin-secret-once = Entregue esta contraseña a su titular ahora; no se vuelve a mostrar:
admin-name-taken = Ya existe un usuario llamado { $name }.
admin-reference-title = Puertos y datos de referencia
admin-ports = Puertos
admin-ports-hint = Los puertos vienen del archivo de configuración del nodo (los puertos Belice–México incorporados si no indica otros).
admin-code = Código
admin-port-name = Nombre
admin-port-kind = Tipo
admin-time-zone = Zona horaria
admin-paired = Enlazado con

port-kind-land = Terrestre
port-kind-river = Fluvial
port-kind-sea = Marítimo
port-kind-air = Aéreo
port-kind-informal = Cruce informal

audit-title = Bitácora de auditoría
audit-verify = Verificar la cadena
audit-intact = La bitácora de auditoría está íntegra: se revisaron { $count } eventos, cada uno enlazado al anterior.
audit-broken = La bitácora de auditoría está rota: { $finding }
audit-hint = Cada cambio y cada lectura de datos personales, del más reciente al más antiguo. Filtre por quién actuó, por el registro (su identificador) o por día (UTC).
audit-actor = Usuario
audit-record = Registro
audit-from = Desde (día)
audit-to = Hasta (día)
audit-filter = Filtrar
audit-events = Eventos
audit-none = Ningún evento coincide.
audit-at = Cuándo (UTC)
audit-action = Acción
audit-detail = Detalle
audit-older = Eventos anteriores →
admin-edit-for = Cambiar la cuenta de { $name }
admin-edit-title = Cuenta { $name }
admin-field-enabled = La cuenta puede usarse
admin-edit-hint = Al guardar se cierran las sesiones del usuario. Una cuenta desactivada conserva su nombre en la bitácora; su contraseña y sus tokens dejan de funcionar hasta que se reactive.
admin-save = Guardar
admin-user-changed = Se cambió la cuenta de { $name }; sus sesiones se cerraron.
admin-user-disabled = La cuenta de { $name } está desactivada.
admin-disabled-since = Desactivada desde { $time }

nav-hits = Coincidencias
nav-alerts = Listas de alerta

counter-screening = Verificación en listas
counter-protection = Un menor reportado como desaparecido: póngalo a salvo y canalícelo de inmediato a protección de la infancia.
counter-screen-clear = Ninguna coincidencia entre { $entries } entradas vigentes.
counter-screen-hits = { $count ->
    [one] Una posible coincidencia. Compárela con la persona y el documento antes de registrar.
   *[other] { $count } posibles coincidencias. Compárelas con la persona y el documento antes de registrar.
}
counter-screen-recorded-hits = { $count ->
    [one] El cruce quedó registrado con una coincidencia pendiente de su decisión.
   *[other] El cruce quedó registrado con { $count } coincidencias pendientes de su decisión.
}

hits-title = Coincidencias en listas
hits-intro = Coincidencias pendientes de decisión. Confirme cuando la persona es la de la lista, descarte una coincidencia falsa indicando el motivo, o remítala al supervisor.
hits-pending = Pendientes de decisión
hits-none = No tiene coincidencias pendientes.
hits-traveller = Viajero
hits-listed = En la lista
hits-score = puntuación
hits-action = Acción ante una coincidencia confirmada
hits-decision = Decisión
hits-confirm = Confirmar: es la persona de la lista
hits-dismiss = Descartar: es otra persona
hits-escalate = Remitir al supervisor
hits-note = Nota (obligatoria para descartar)
hits-submit = Guardar la decisión
hits-decided = Coincidencia resuelta: { $status }.
hits-decided-meanwhile = Alguien resolvió esta coincidencia entretanto. La lista muestra su estado actual.
hits-field-note = Nota
hits-field-resolution = Decisión
hit-status-open = pendiente del oficial
hit-status-escalated = pendiente del supervisor
hit-status-confirmed = confirmada
hit-status-dismissed = descartada por falsa
hit-action-refer = retener y remitir al supervisor
hit-action-deny_entry = negar la entrada
hit-action-seize_document = retener el documento
hit-action-protect = proteger al menor
hit-action-notify = dejar pasar y avisar a la autoridad emisora
alert-kind-travel_ban = Prohibición de viajar
alert-kind-wanted = Persona buscada
alert-kind-lost_document = Documento perdido o robado
alert-kind-missing_child = Menor desaparecido
alert-kind-removal_order = Orden de expulsión

alerts-title = Listas de alerta
alerts-screen = Verificar a una persona
alerts-screen-submit = Verificar
alerts-screened = Los mejores candidatos entre { $entries } entradas vigentes.
alerts-no-candidates = Ningún candidato.
alerts-is-hit = coincidencia
alerts-below-threshold = por debajo del umbral de la lista
alerts-lists = Listas
alerts-no-lists = Este país aún no tiene listas de alerta.
alerts-list = Lista
alerts-kind = Tipo
alerts-threshold = Umbral
alerts-active = Entradas
alerts-retired = Retiradas
alerts-updated = Modificada (UTC)
alerts-source = Origen
alerts-list-settings = Crear una lista o cambiar su umbral
alerts-threshold-hint = Un candidato con puntuación igual o mayor que el umbral (mayor que 0, hasta 1) es una coincidencia. Un umbral más bajo encuentra más y molesta a más viajeros.
alerts-save-list = Guardar la lista
alerts-import = Cargar una nueva versión de una lista
alerts-import-hint = Las entradas nuevas se añaden, las modificadas se actualizan y las que el archivo ya no contiene se retiran. Un archivo con una fila errónea no cambia nada.
alerts-format = Formato
alerts-format-un = Lista del Consejo de Seguridad de la ONU (XML)
alerts-file = Contenido del archivo
alerts-import-submit = Cargar
alerts-list-saved = Lista { $list } guardada.
alerts-imported = { $list }: { $added } añadidas, { $updated } actualizadas, { $unchanged } sin cambios, { $retired } retiradas.
alerts-bad-row = línea { $line }, { $field }: { $message }
alerts-nothing-imported = No se cargó nada: { $count } filas erróneas.
alerts-new-entry = Nueva entrada
alerts-show-retired = Mostrar las entradas retiradas
alerts-hide-retired = Ocultar las entradas retiradas
alerts-no-entries = Ninguna entrada.
alerts-reference = Referencia
alerts-names = Nombres
alerts-validity = Vigencia
alerts-retired-one = retirada
alerts-next-page = Página siguiente
alerts-entry-is-retired = Esta entrada está retirada: ya no genera coincidencias.
alerts-aliases-hint = Un alias por línea, escrito NOMBRES/APELLIDOS o como nombre completo.
alerts-save-entry = Guardar la entrada
alerts-retire-entry = Retirar la entrada
alerts-retire-hint = Deja de generar coincidencias y queda en el registro con las que generó.
alerts-entry-saved = Entrada { $reference } guardada.
alerts-entry-retired = Entrada { $reference } retirada.
alerts-reference-taken = La lista ya tiene la referencia { $reference }.
alerts-field-name = Nombre
alerts-field-list = Lista
alerts-field-threshold = Umbral
alerts-field-kind = Tipo
alerts-field-format = Formato
alerts-field-birth_date = Fecha de nacimiento
alerts-field-nationality = Nacionalidad
alerts-field-document = Número de documento
alerts-field-candidates = Candidatos
alerts-field-reference = Referencia
alerts-field-names = Nombres
alerts-field-surnames = Apellidos
alerts-field-given_names = Nombres de pila
alerts-field-aliases = Alias
alerts-field-sex = Sexo
alerts-field-birth_dates = Fechas de nacimiento
alerts-field-nationalities = Nacionalidades
alerts-field-documents = Números de documento
alerts-field-reason = Motivo
alerts-field-authority = Autoridad emisora
alerts-field-valid_from = Vigente desde
alerts-field-valid_until = Vigente hasta
alerts-field-listed_on = Fecha de inclusión
alerts-field-action = Acción
alerts-field-header = Encabezado
alerts-field-row = Fila
alerts-field-file = Archivo

## El boletín mensual
nav-bulletin = Boletín
bulletin-title = Boletín mensual de migración
bulletin-heading = { $country }, { $month }
bulletin-subtitle = Cruces registrados en los puestos fronterizos de { $country }, contados según el calendario local de cada puesto. Elaborado el { $date }.
bulletin-month = Mes
bulletin-show = Mostrar
bulletin-pdf = Descargar en PDF
bulletin-headlines = Cifras principales
bulletin-entries = Entradas
bulletin-exits = Salidas
bulletin-long_term_arrivals = Llegadas de larga duración
bulletin-long_term_departures = Salidas de larga duración
bulletin-overstay_rate = Tasa de estancias vencidas
bulletin-vs-previous = { $change } respecto del mes anterior
bulletin-vs-last-year = { $change } respecto del mismo mes del año anterior
bulletin-no-comparison = sin cifra para comparar
bulletin-provisional = provisional
bulletin-withheld = x
bulletin-trend = Entradas y salidas, últimos 13 meses
bulletin-daily = Entradas y salidas por día
bulletin-chart-summary = { $entries } entradas y { $exits } salidas.
bulletin-table-ports = Cruces por puesto y dirección
bulletin-table-nationalities = Cruces por nacionalidad y dirección
bulletin-table-categories = Cruces por categoría y dirección
bulletin-table-age_sex = Cruces por grupo de edad y sexo
bulletin-table-migrants = Cruces según la regla de 12/16 meses
bulletin-age-unknown = Edad desconocida
bulletin-total = Total
bulletin-definitions = Definiciones
bulletin-quality = Calidad de los datos
bulletin-disclosure = Se omiten (x) los valores de menos de { $threshold } personas y aquellos de los que podrían deducirse. Los totales los incluyen.
bulletin-quality-exits = { $count } estancias terminaron sin salida registrada antes de la siguiente entrada; { $open } personas constan aún en el país.
bulletin-quality-no-entry = { $count } salidas no tienen entrada previa (la persona entró antes del inicio de los registros, o sin registro).
bulletin-quality-nationality = { $count } cruces del mes no tienen nacionalidad conocida.
bulletin-quality-documents = { $documents } documentos se enlazaron con { $travellers } personas; { $changed } estancias terminaron con otro documento que el de entrada.
bulletin-quality-counts-whole = Los recuentos guardados cubren todos los cruces registrados.
bulletin-quality-counts-partial = Los recuentos guardados se están reconstruyendo; ejecute "frontera stats check".
bulletin-quality-late = No se incluyen los registros que lleguen al centro después del { $date }: las cifras de los últimos meses pueden aumentar.
flow-long_term_arrival = Llegadas de larga duración
flow-long_term_departure = Salidas de larga duración
flow-short_term_arrival = Llegadas de corta duración
flow-short_term_departure = Salidas de corta duración
flow-local_mobility = Movilidad local
outcome-on_time = A tiempo
outcome-late_exit = Salida tardía
outcome-overstaying = Estancia vencida
outcome-exit_not_recorded = Salida no registrada
status-final = Definitiva
status-provisional = Provisional

## La pantalla del analista
nav-stats = Estadísticas
stats-title = Estadísticas
stats-hint = Elija una tabla y las dimensiones que la desglosan; deje los días vacíos para todos los registros. Pública aplica el control de divulgación, como para una tabla que sale del centro.
stats-table = Tabla
stats-table-crossings = Cruces
stats-table-stays = Duración de las estancias
stats-table-overstays = Estancias vencidas
stats-table-migrants = Migrantes (12/16 meses)
stats-table-commuting = Trabajadores fronterizos: desplazamiento
stats-table-circularity = Trabajadores fronterizos: viajes al mes
stats-by = Por
stats-from = Desde
stats-to = Hasta
stats-as-of = Registros al
stats-public = Pública (control de divulgación)
stats-show = Mostrar
stats-total = { $total } en total
stats-chart-summary = { $total } en total, por la primera dimensión elegida.
stats-download = Descargar:
stats-rows = La tabla
stats-more = Hay { $count } filas más en las descargas.

## Protección
counter-protection-refer = Identificar para protección
counter-protection-opened = Caso de protección abierto: verlo
nav-protection = Protección
protection-title = Protección
protection-cases = Casos que atiendo
protection-no-cases = Ningún caso abierto.
protection-referrals = Remisiones
protection-no-referrals = Ninguna remisión.
protection-person = Persona
protection-profiles = Necesidades
protection-risk = Riesgo
protection-step = Etapa
protection-opened = Abierto
protection-side = Lado
protection-sent = enviada
protection-received = recibida
protection-to = A
protection-from = De
protection-priority = Prioridad
protection-state = Estado
protection-overdue = vencida
protection-new = Identificar a una persona que necesita protección
protection-new-hint = Marque cada necesidad que observe. El caso pasa a los oficiales de protección, que le dan seguimiento.
protection-given-names = Nombres
protection-surnames = Apellidos
protection-birth-date = Fecha de nacimiento
protection-sex = Sexo
protection-nationality = Nacionalidad
protection-languages = Idiomas
protection-caregiver-informed = Se avisó a los padres o cuidadores
protection-note = Nota
protection-open = Abrir el caso
protection-case = Caso de protección
protection-approve = Aprobar
protection-next-step = Siguiente etapa
protection-pending = { $step } solicitada por { $by }, en espera de la aprobación de otra persona.
protection-notes = Notas
protection-add-note = Añadir la nota
protection-tasks = Tareas
protection-task = Tarea
protection-task-due = Para el
protection-add-task = Fijar la tarea
protection-task-done = Hecha
protection-task-done-by = hecha por { $by } el { $date }
protection-consents = Consentimientos
protection-consent-given = dado
protection-consent-until = dado, hasta el { $date }
protection-consent-withdrawn = retirado el { $date }
protection-withdraw = Retirar
protection-purpose = Finalidad
protection-guardian = Tutor (para un niño)
protection-relationship = Parentesco
protection-organisations = Organizaciones (identificadores, separados por comas)
protection-expires = Hasta
protection-kinds = Tipos de servicio
protection-data = Datos que pueden enviarse
protection-record-consent = Registrar el consentimiento
protection-service = Servicio en un lugar
protection-reason = Motivo
protection-override = Sin consentimiento, por qué debe enviarse igual
protection-refer = Remitir
protection-referral = Remisión
protection-packet = Lo que lleva la remisión
protection-due = respuesta antes del { $date }
protection-consent = Consentimiento
protection-steps = Pasos
protection-next = Siguiente paso
protection-step-text = Motivo, respuesta o nota
protection-do = Registrar el paso
profile-unaccompanied_child = Niño no acompañado
profile-separated_child = Niño separado
profile-trafficking = Posible víctima de trata
profile-asylum = Solicitante de asilo
profile-medical = Necesidad médica urgente
profile-violence = Sobreviviente de violencia
profile-disability = Persona con discapacidad
profile-pregnant = Mujer embarazada
profile-older_person = Persona mayor
risk-low = Bajo
risk-medium = Medio
risk-high = Alto
step-identification = Identificación
step-assessment = Evaluación
step-case_plan = Plan del caso
step-implementation = Ejecución
step-follow_up = Seguimiento
step-closure = Cierre
priority-emergency = Emergencia (24 h)
priority-urgent = Urgente (72 h)
priority-normal = Normal (2 semanas)
referral-state-requested = Solicitada
referral-state-received = Recibida
referral-state-accepted = Aceptada
referral-state-rejected = Rechazada
referral-state-in_progress = En curso
referral-state-completed = Completada
referral-state-failed = Fallida
referral-state-cancelled = Cancelada
referral-state-closed = Cerrada
referral-event-receive = Recibida
referral-event-accept = Aceptar
referral-event-reject = Rechazar
referral-event-start = Iniciar
referral-event-complete = Completar
referral-event-fail = Fallida (no llegó)
referral-event-cancel = Cancelar
referral-event-follow_up = Seguimiento
referral-event-close = Cerrar
data-identity = Identidad
data-contact = Contacto
data-needs = Necesidades
data-health = Salud
kind-shelter = Albergue
kind-child_protection = Protección de la niñez
kind-family_tracing = Búsqueda y reunificación familiar
kind-legal_aid = Asistencia jurídica
kind-asylum = Asilo y condición de refugiado
kind-medical = Atención médica
kind-mental_health = Salud mental y apoyo psicosocial
kind-gbv = Atención a la violencia de género
kind-trafficking_victims = Apoyo a víctimas de trata
kind-food = Alimentación
kind-cash = Asistencia en efectivo
kind-employment = Empleo y derechos laborales
kind-education = Educación
kind-disability = Apoyo a personas con discapacidad
kind-documentation = Documentación civil
kind-interpretation = Interpretación

## Notificaciones
nav-notifications = Notificaciones
notices-title = Notificaciones
notices-all = Todas las notificaciones
notices-unread-only = Notificaciones sin leer
notices-unread = { $count } sin leer
notices-show-all = Ver todas
notices-show-unread = Ver solo las no leídas
notices-none = Nada que contar.
notices-new = nueva
notices-mark-all = Marcar todas como leídas
organisation-pool = el equipo de protección de { $country }
notice-case-opened = Nuevo caso de protección: { $profiles } (riesgo: { $risk }){ $hit ->
    [yes] , abierto por una alerta de menor desaparecido
   *[no] {""}
}
notice-case-approval = Un caso espera su aprobación de la siguiente etapa: { $step }
notice-case-approved = Se aprobó la etapa «{ $step }» de un caso que usted atiende
notice-referral-request = Nueva remisión ({ $priority }) de { $from }
notice-referral-receive = { $to } recibió su remisión
notice-referral-accept = { $to } aceptó su remisión
notice-referral-reject = { $to } rechazó su remisión: { $note }
notice-referral-start = { $to } empezó a atender a la persona remitida
notice-referral-complete = { $to } completó su remisión: { $note }
notice-referral-fail = { $to } informa que la persona remitida nunca llegó: { $note }
notice-referral-cancel = { $from } canceló una remisión: { $note }
notice-referral-follow-up = { $from } registró un seguimiento de una remisión: { $note }
notice-referral-close = { $from } cerró una remisión
notice-referral-overdue = { $to } no respondió a tiempo a una remisión ({ $priority }): está vencida

## Archivos del caso
protection-files = Archivos
protection-no-files = No hay archivos adjuntos.
protection-file = Archivo
protection-file-hint = PDF, PNG, JPEG o texto, de 10 MiB como máximo. Solo quienes atienden el caso pueden abrirlo; cada apertura queda registrada.
protection-attach = Adjuntar
protection-file-about = { $kind }, { $size }, adjuntado por { $by } el { $date }

## Panorama de protección
overview-title = Panorama de protección
overview-heading = Panorama de protección · { $country }
overview-country = País
overview-public = Con control de divulgación, como se comparte con el otro país
overview-show = Mostrar
overview-controlled = Se ocultan los conteos pequeños y lo que permitiría deducirlos: es el panorama como lo ve el grupo binacional.
overview-figures = Respuestas
overview-overdue = Remisiones con respuesta vencida
overview-to-acceptance = Mediana del tiempo de la solicitud a la aceptación
overview-to-completion = Mediana del tiempo de la solicitud a la conclusión
overview-cases = Casos abiertos por perfil y riesgo
overview-referrals = Remisiones por estado y organización receptora
overview-count = Número
overview-none = Sin registros.
protection-hours = { $hours } h
nav-overview = Panorama de protección

## Directorio de servicios
nav-directory = Servicios
directory-title = Directorio de servicios
directory-search = Buscar servicios
directory-kind = Tipo de servicio
directory-any = Cualquiera
directory-place = Ciudad o región
directory-language = Idioma
directory-age = Edad de la persona
directory-found = { $count } servicios encontrados
directory-all = Todos los servicios activos
directory-none = Ningún servicio coincide.
directory-service = Servicio
directory-where = Dónde y cuándo
directory-all-ages = Todas las edades
directory-ages = De { $min } a { $max } años
directory-load = Cargar servicios
directory-load-hint = Un archivo JSON HSDS 3.0 de servicios con su organización y sus ubicaciones. Primero se revisa todo; luego se guarda todo, o nada.
directory-load-button = Cargar
directory-loaded = { $added } registros añadidos, { $updated } actualizados, { $unchanged } sin cambios.
notice-case-task-due = La tarea { $task } de un caso que usted atiende vencía el { $due } y no está hecha
protection-owner = Responsable
protection-new-owner = Entregar el caso a
protection-reassign = Reasignar
notice-case-assigned = { $by } le entregó un caso

## Control de permisos en la ventanilla (trabajadores fronterizos)
counter-permit = Permiso de trabajo
counter-destination = Destino
counter-destination-port = El estado o distrito del propio puerto
counter-destination-hint = Para un trabajador fronterizo: adónde va a trabajar. Sus permisos se controlan allí.
counter-permit-decide = No hay permiso vigente allí. El cruce queda registrado: admita o rechace la entrada, y diga por qué. La decisión se conserva.
counter-permit-reason = Motivo
counter-permit-admit = Admitir
counter-permit-refuse = Rechazar la entrada
permit-status-valid = Permiso vigente hasta el { $until }.
permit-status-expiring = Permiso vigente hasta el { $until }: quedan { $days } días.
permit-status-not_valid_there = El permiso no es válido en { $destination }; es válido en { $valid }.
permit-status-expired = El permiso venció el { $until }.
permit-status-revoked = El permiso fue revocado: { $reason }
permit-status-none = No hay permiso de trabajo vigente para este documento.
permit-decided = { $decision ->
    [admit] Admitido
   *[refuse] Entrada rechazada
} por { $by }: { $reason }
permit-decision-kept = Decisión conservada.

## Pantallas del registro laboral
nav-labour = Registro laboral
nav-checks = Controles de permisos
labour-title = Registro laboral
labour-search = Buscar trabajadores
labour-search-hint = Nombre, fecha de nacimiento o número de documento
labour-found = { $count ->
    [one] Un trabajador encontrado
   *[other] { $count } trabajadores encontrados
}
labour-name = Nombre
labour-surnames = Apellidos
labour-person-id = O una persona que este nodo conoce (su id de persona)
labour-register-worker = Registrar un trabajador
labour-register-worker-hint = Escriba los datos del trabajador y el documento con que cruza, o solo el id de persona de un viajero cuyo cruce guarda este nodo: los campos vacíos se toman de él.
labour-register = Registrar
labour-employers = Empleadores
labour-employers-none = Aún no hay empleadores registrados.
labour-employer = Empleador
labour-register-employer = Registrar un empleador
labour-registration = Número de registro
labour-sector = Sector (CIIU)
labour-region = Estado o distrito
labour-files = Archivos
labour-files-hint = Descargue el registro en CSV o XLSX, o importe un archivo: cada fila se revisa primero, y un archivo con alguna fila errónea no importa nada.
labour-file-employers = Empleadores
labour-file-workers = Trabajadores
labour-file-permits = Permisos
labour-import-what = Qué contiene el archivo
labour-import = Importar
labour-import-refused = { $bad } de { $rows } filas tienen errores: no se importó nada. Corríjalas e importe el archivo de nuevo.
labour-import-done = { $rows } filas leídas: { $imported } importadas, { $already } ya estaban en el registro.
labour-line = Línea
labour-column = Columna
labour-problem = Problema
labour-permits = Permisos
labour-permits-none = Aún no hay permisos.
labour-valid = Vigencia
labour-valid-from = Desde
labour-valid-until = Hasta
labour-where = Válido en
labour-everywhere = Todo el país
labour-card = Número de tarjeta
labour-reason = Motivo
labour-changes = Cambios
labour-apply = Solicitar un permiso
labour-apply-hint = Dónde es válido: déjelo vacío para todo lo que su tipo permite. El sector es el del primer empleador.
labour-kind = Tipo de permiso
labour-crossings = Cruces
labour-crossings-none = Aquí no se guarda ningún cruce de este trabajador.
labour-checks-title = Controles de permisos en la ventanilla
labour-checks-hint = Cada cruce de un trabajador fronterizo se controla con el registro. Cuando no había permiso vigente en el destino, el oficial decidió admitir o rechazar, con un motivo.
labour-checks-none = Ningún control.
labour-decision = Decisión
labour-show = Mostrar
labour-demand-title = Demanda de temporada
labour-demand-report = Demanda frente a permisos y cruces, por mes
labour-demand-hint = Trabajadores solicitados, permisos de ese sector y lugar vigentes algún día del mes y expedidos en él, y trabajadores fronterizos que cruzaron (personas distintas, de cualquier sector). La brecha son los trabajadores solicitados por encima de los permisos vigentes.
labour-month = Mes
labour-demanded = Trabajadores solicitados
labour-in-force = Permisos vigentes
labour-issued = Permisos expedidos
labour-crossing = Trabajadores fronterizos que cruzan
labour-gap = Brecha
labour-demands = Demanda registrada
labour-demands-none = No hay demanda registrada.
labour-requester = Quién solicita
labour-requester-other = O una asociación (nombre)
labour-workers = Trabajadores
labour-months = Meses
labour-from-month = Primer mes
labour-to-month = Último mes
labour-note = Nota
labour-register-demand = Registrar demanda
labour-done-worker = Trabajador registrado.
labour-done-employer = Empleador registrado.
labour-done-permit = Permiso solicitado.
labour-done-demand = Demanda registrada.
labour-done-change = Permiso modificado.
permit-state-applied = Solicitado
permit-state-issued = Expedido
permit-state-renewed = Renovado
permit-state-refused = Denegado
permit-state-expired = Vencido
permit-state-revoked = Revocado
permit-event-apply = Solicitado
permit-event-issue = Expedir
permit-event-refuse = Denegar
permit-event-renew = Renovar
permit-event-expire = Marcar vencido
permit-event-revoke = Revocar
permit-check-valid = Vigente
permit-check-expiring = Vigente, cerca de su último día
permit-check-not_valid_there = No válido en el destino
permit-check-expired = Vencido
permit-check-revoked = Revocado
permit-check-none = Sin permiso
permit-check-state-pending = En espera de la decisión del oficial
permit-check-state-refuse = Entrada rechazada
permit-check-state-admit = Admitido por el oficial
permit-check-state-clear = En regla
stats-table-permits = Permisos de trabajo vigentes
labour-permit-state = Estado del permiso
labour-demand-employer-hint = Los trabajadores que su empresa solicita, por sector, meses y lugar: el registro laboral planifica la temporada con ellos.
