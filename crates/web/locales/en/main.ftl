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
role-peer = The other country's hub (exchange)
role-admin = Administrator
role-auditor = Auditor
role-employer = Employer

error-title = Something went wrong
error-forbidden = You may not see this page with your role or scope.
error-not-found = This page does not exist.
error-internal = Something went wrong on this node. The error was logged.
error-back = Back to the home page

nav-counter = Counter

counter-title = Counter
counter-mrz = Machine-readable zone
counter-mrz-hint = Scan the document, or type or paste its two or three lines.
counter-read = Read document
counter-record = Record crossing
counter-record-hint = Ctrl+Enter records.
counter-typed = Document without a machine-readable zone
counter-document = Document
counter-crossing = Crossing
counter-port = Port
counter-direction = Direction
counter-category = Category
counter-purpose = Purpose
counter-transport = Transport
counter-stay = Permitted stay (days)
counter-not-chosen = (not given)
counter-valid = All check digits match.
counter-invalid = This document's machine-readable zone fails its checks. Compare it with the document before recording.
counter-not-mrz = This is not a machine-readable zone: { $reason }
counter-recorded = Recorded: { $direction } of { $name } at { $time }.
counter-resent = This crossing was already recorded.
counter-expired = This document expired on { $date }.
counter-history = Previous crossings
counter-history-none = No previous crossings of this document on this side.
counter-history-last = Last: { $direction } on { $time }.
counter-history-more = { $count } crossings in all.

field-document_kind = Document kind
field-document_number = Document number
field-issuing_state = Issuing state
field-expiry_date = Expiry date
field-given_names = Given names
field-surname = Surname(s)
field-first_surname = First surname
field-second_surname = Second surname
field-sex = Sex
field-birth_date = Date of birth
field-nationality = Nationality
field-document_code = Document code
field-format = Format
field-when = When

check-document_number = The document number's check digit does not match: a character was misread or altered.
check-birth_date = The date of birth's check digit does not match.
check-expiry_date = The expiry date's check digit does not match.
check-optional_data = The personal number's check digit does not match.
check-composite = The composite check digit does not match: some part of the zone was misread or altered.
check-label-optional_data = Personal number check digit
check-label-composite = Composite check digit
check-name-truncated = The name fills its whole field and may be cut short: read the full name on the document.

direction-entry = Entry
direction-exit = Exit

category-visitor = Visitor
category-regional_visitor = Regional visitor (TVR)
category-border_worker = Border worker (TVTF)
category-resident = Resident
category-returning_national = National returning
category-departing_national = National leaving
category-transit = Transit
category-crew_driver = Crew or driver
category-other = Other

purpose-tourism = Tourism
purpose-shopping = Shopping
purpose-family = Family
purpose-work = Work
purpose-business = Business
purpose-health = Health
purpose-study = Study
purpose-transit = Transit
purpose-return_home = Going home
purpose-other = Other

transport-pedestrian = On foot
transport-car = Car
transport-bus = Bus or taxi
transport-truck = Truck
transport-motorcycle = Motorcycle
transport-bicycle = Bicycle
transport-boat = Boat
transport-air = Air
transport-other = Other

document-passport = Passport
document-id_card = Identity card
document-visa = Visa
document-border_card = Border card
document-other = Other document

sex-F = Female
sex-M = Male
sex-X = Unspecified

nav-travellers = Travellers

travellers-title = Traveller history
travellers-hint = Search by name (any case, with or without accents: the beginnings of words are enough), by document number, or by date of birth (YYYY, YYYY-MM or YYYY-MM-DD). Criteria combine.
travellers-name = Name
travellers-document_number = Document number
travellers-birth_date = Date of birth
travellers-search = Search
travellers-found = { $count ->
    [one] One traveller found
   *[other] { $count } travellers found
}
travellers-none = No traveller of this country matches.
travellers-last-seen = Last crossing
travellers-capped = Only the travellers seen most recently are listed: add a criterion to narrow the search.
travellers-back = ← Traveller search

traveller-person = Person
traveller-status = Stay
traveller-stay-left = In the country; permitted stay until { $date } ({ $days ->
    [one] one day left
   *[other] { $days } days left
}).
traveller-overstayed = In the country past the permitted stay: it ended on { $date }, { $days ->
    [one] one day ago
   *[other] { $days } days ago
}.
traveller-inside = In the country; no permitted stay was recorded at entry.
traveller-outside = Not in the country: the last crossing is an exit.
traveller-days-spent = { $days ->
    [one] One day spent in the country on record.
   *[other] { $days } days spent in the country on record.
}
traveller-stays = Stays
traveller-days = Days
traveller-days-hint = Days count the day of entry and the day of exit. A stay whose entry is not on record is not counted.
traveller-not-recorded = (not recorded)
traveller-still-in = (still in the country)
traveller-timeline = Entries and exits

nav-dashboard = Dashboard

dashboard-title = Dashboard
dashboard-scope = Show
dashboard-show = Show
dashboard-all-ports = All ports of { $country }
dashboard-today-is = Today is { $date } (local time of the port). The week is the last 7 days, today included.
dashboard-figures = Key figures
dashboard-entries = Entries
dashboard-exits = Exits
dashboard-entries-today = Entries today
dashboard-exits-today = Exits today
dashboard-crossings-week = Crossings in the last 7 days
dashboard-overstays = Open overstays
dashboard-median-today = Median processing time today
dashboard-p90-today = 90th percentile today
dashboard-median-week = Median processing time, 7 days
dashboard-p90-week = 90th percentile, 7 days
dashboard-by-hour = Today by hour
dashboard-by-day = The last 7 days
dashboard-by-category = By category
dashboard-today = Today
dashboard-week = Last 7 days
dashboard-no-crossings = No crossings in the last 7 days.
dashboard-chart-summary = { $entries } entries and { $exits } exits.
dashboard-overstays-count = { $count ->
    [0] No traveller is past their permitted stay without an exit.
    [one] One traveller is past their permitted stay without an exit.
   *[other] { $count } travellers are past their permitted stay without an exit.
}
dashboard-entered = Entered
dashboard-until = Permitted until
dashboard-overdue = Days overdue
dashboard-names-hidden = Names are shown only to roles that may read personal data.

nav-admin = Administration
nav-audit = Audit

admin-users-title = Users
admin-users-heading = Users of { $country }
admin-accounts = Accounts
admin-role = Role
admin-created = Created (UTC)
admin-access = Access
admin-actions = Actions
admin-password = password
admin-tokens = { $count ->
    [one] one API token
   *[other] { $count } API tokens
}
admin-locked-until = Locked until { $time }
admin-reset = New password
admin-reset-for = New password for { $name }
admin-reset-hint = A new password is generated and shown once; it ends the user's sessions and lifts a lock-out.
admin-add = Add a user
admin-add-submit = Add user
admin-field-name = User name
admin-field-role = Role
admin-field-country = Country
admin-field-port = Port
admin-field-organisation = Organisation
admin-field-password = Password
admin-password-hint = 12 to 128 characters. Leave empty to generate one, shown once.
admin-user-added = User { $name } added.
admin-password-reset = { $name } has a new password; their sessions have ended.
admin-secret-once = Give this password to its owner now; it is not shown again:
admin-name-taken = A user named { $name } already exists.
admin-reference-title = Ports and reference data
admin-ports = Ports
admin-ports-hint = Ports come from the node's configuration file (the built-in Belize–Mexico ports unless it names others).
admin-code = Code
admin-port-name = Name
admin-port-kind = Kind
admin-time-zone = Time zone
admin-paired = Paired with

port-kind-land = Land
port-kind-river = River
port-kind-sea = Sea
port-kind-air = Air
port-kind-informal = Informal crossing

audit-title = Audit trail
audit-verify = Verify the chain
audit-intact = The audit trail is intact: { $count } events checked, each linked to the one before.
audit-broken = The audit trail is broken: { $finding }
audit-hint = Every change and every read of personal data, newest first. Filter by who acted, by the record acted on (its id), or by day (UTC).
audit-actor = User
audit-record = Record
audit-from = From (day)
audit-to = To (day)
audit-filter = Filter
audit-events = Events
audit-none = No event matches.
audit-at = When (UTC)
audit-action = Action
audit-detail = Detail
audit-older = Older events →
admin-edit-for = Change { $name }'s account
admin-edit-title = Account { $name }
admin-field-enabled = The account may be used
admin-edit-hint = Saving ends the user's sessions. A switched-off account keeps its name in the audit trail; its password and tokens stop working until it is switched on again.
admin-save = Save
admin-user-changed = { $name }'s account was changed; their sessions have ended.
admin-user-disabled = { $name }'s account is switched off.
admin-disabled-since = Switched off since { $time }

nav-hits = Hits
nav-alerts = Alert lists

counter-screening = Screening
counter-protection = A child reported missing: keep the child safe and refer to child protection at once.
counter-screen-clear = No alert hit among { $entries } entries in force.
counter-screen-hits = { $count ->
    [one] One possible hit. Compare it with the traveller and the document before recording.
   *[other] { $count } possible hits. Compare them with the traveller and the document before recording.
}
counter-screen-recorded-hits = { $count ->
    [one] The crossing was recorded with one hit waiting for your decision.
   *[other] The crossing was recorded with { $count } hits waiting for your decision.
}

hits-title = Screening hits
hits-intro = Hits waiting for a decision. Confirm when the traveller is the listed person, dismiss a false hit with the reason, or escalate to the supervisor.
hits-pending = Waiting for a decision
hits-none = No hit is waiting for you.
hits-traveller = Traveller
hits-listed = Listed
hits-score = score
hits-action = Action on a confirmed hit
hits-decision = Decision
hits-confirm = Confirm: it is the listed person
hits-dismiss = Dismiss: someone else
hits-escalate = Escalate to the supervisor
hits-note = Note (required to dismiss)
hits-submit = Save the decision
hits-decided = Hit decided: { $status }.
hits-decided-meanwhile = Someone decided on this hit in the meantime. The list shows where it stands now.
hits-field-note = Note
hits-field-resolution = Decision
hit-status-open = waiting for the officer
hit-status-escalated = waiting for the supervisor
hit-status-confirmed = confirmed
hit-status-dismissed = dismissed as false
hit-action-refer = hold and refer to the supervisor
hit-action-deny_entry = refuse entry
hit-action-seize_document = retain the document
hit-action-protect = protect the child
hit-action-notify = let through and notify the issuing authority
alert-kind-travel_ban = Travel ban
alert-kind-wanted = Wanted person
alert-kind-lost_document = Lost or stolen document
alert-kind-missing_child = Missing child
alert-kind-removal_order = Removal order

alerts-title = Alert lists
alerts-screen = Check a person
alerts-screen-submit = Check
alerts-screened = The best candidates among { $entries } entries in force.
alerts-no-candidates = No candidate at all.
alerts-is-hit = hit
alerts-below-threshold = below the list's threshold
alerts-lists = Lists
alerts-no-lists = This country keeps no alert list yet.
alerts-list = List
alerts-kind = Kind
alerts-threshold = Threshold
alerts-active = Entries
alerts-retired = Retired
alerts-updated = Changed (UTC)
alerts-source = Source
alerts-list-settings = Create a list or change its threshold
alerts-threshold-hint = A candidate scoring at or above the threshold (above 0, at most 1) is a hit. Lower finds more and troubles more travellers.
alerts-save-list = Save the list
alerts-import = Load a new version of a list
alerts-import-hint = Entries new to the list are added, changed ones updated, and those the file no longer holds retired. A file with a bad row changes nothing.
alerts-format = Format
alerts-format-un = UN Security Council list (XML)
alerts-file = File contents
alerts-import-submit = Load
alerts-list-saved = List { $list } saved.
alerts-imported = { $list }: { $added } added, { $updated } updated, { $unchanged } unchanged, { $retired } retired.
alerts-bad-row = line { $line }, { $field }: { $message }
alerts-nothing-imported = Nothing was loaded: { $count } bad rows.
alerts-new-entry = New entry
alerts-show-retired = Show retired entries
alerts-hide-retired = Hide retired entries
alerts-no-entries = No entry.
alerts-reference = Reference
alerts-names = Names
alerts-validity = In force
alerts-retired-one = retired
alerts-next-page = Next page
alerts-entry-is-retired = This entry is retired: it no longer hits.
alerts-aliases-hint = One alias a line, written GIVEN NAMES/SURNAMES or as a whole name.
alerts-save-entry = Save the entry
alerts-retire-entry = Retire the entry
alerts-retire-hint = It stops hitting and stays on record with the hits it made.
alerts-entry-saved = Entry { $reference } saved.
alerts-entry-retired = Entry { $reference } retired.
alerts-reference-taken = The list already holds the reference { $reference }.
alerts-field-name = Name
alerts-field-list = List
alerts-field-threshold = Threshold
alerts-field-kind = Kind
alerts-field-format = Format
alerts-field-birth_date = Birth date
alerts-field-nationality = Nationality
alerts-field-document = Document number
alerts-field-candidates = Candidates
alerts-field-reference = Reference
alerts-field-names = Names
alerts-field-surnames = Surnames
alerts-field-given_names = Given names
alerts-field-aliases = Aliases
alerts-field-sex = Sex
alerts-field-birth_dates = Birth dates
alerts-field-nationalities = Nationalities
alerts-field-documents = Document numbers
alerts-field-reason = Reason
alerts-field-authority = Issuing authority
alerts-field-valid_from = In force from
alerts-field-valid_until = In force until
alerts-field-listed_on = Listed on
alerts-field-action = Action
alerts-field-header = Header
alerts-field-row = Row
alerts-field-file = File

## The monthly bulletin
nav-bulletin = Bulletin
bulletin-title = Monthly migration bulletin
bulletin-heading = { $country }, { $month }
bulletin-subtitle = Crossings recorded at the ports of entry of { $country }, counted on each port's local calendar. Drawn up on { $date }.
bulletin-month = Month
bulletin-show = Show
bulletin-pdf = Download as PDF
bulletin-headlines = Headline figures
bulletin-entries = Entries
bulletin-exits = Exits
bulletin-long_term_arrivals = Long-term arrivals
bulletin-long_term_departures = Long-term departures
bulletin-overstay_rate = Overstay rate
bulletin-vs-previous = { $change } on the previous month
bulletin-vs-last-year = { $change } on the same month last year
bulletin-no-comparison = no figure to compare
bulletin-provisional = provisional
bulletin-withheld = x
bulletin-trend = Entries and exits, the last 13 months
bulletin-daily = Entries and exits by day
bulletin-chart-summary = { $entries } entries and { $exits } exits.
bulletin-table-ports = Crossings by port and direction
bulletin-table-nationalities = Crossings by nationality and direction
bulletin-table-categories = Crossings by category and direction
bulletin-table-age_sex = Crossings by age group and sex
bulletin-table-migrants = Crossings by the 12/16-month rule
bulletin-age-unknown = Unknown age
bulletin-total = Total
bulletin-definitions = Definitions
bulletin-quality = Data quality
bulletin-disclosure = Values of fewer than { $threshold } persons, and those from which they could be worked out, are withheld (x). Totals include them.
bulletin-quality-exits = { $count } stays ended with no exit recorded before the next entry; { $open } travellers are recorded as still in the country.
bulletin-quality-no-entry = { $count } exits have no entry before them (the traveller entered before the records begin, or unrecorded).
bulletin-quality-nationality = { $count } crossings of the month have no known nationality.
bulletin-quality-documents = { $documents } documents were linked to { $travellers } travellers; { $changed } stays ended on another document than they began.
bulletin-quality-counts-whole = The kept counts cover every stored crossing.
bulletin-quality-counts-partial = The kept counts are being rebuilt; run "frontera stats check".
bulletin-quality-late = Records that reach the hub after { $date } are not included: figures of the latest months may rise.
flow-long_term_arrival = Long-term arrivals
flow-long_term_departure = Long-term departures
flow-short_term_arrival = Short-term arrivals
flow-short_term_departure = Short-term departures
flow-local_mobility = Local mobility
outcome-on_time = On time
outcome-late_exit = Late exit
outcome-overstaying = Overstaying
outcome-exit_not_recorded = Exit not recorded
status-final = Final
status-provisional = Provisional

## The analyst's screen
nav-stats = Statistics
stats-title = Statistics
stats-hint = Choose a table and the dimensions to break it down by; leave the days empty for all the records. Public applies disclosure control, as for a table that leaves the hub.
stats-table = Table
stats-table-crossings = Crossings
stats-table-stays = Lengths of stay
stats-table-overstays = Overstays
stats-table-migrants = Migrants (12/16 months)
stats-table-commuting = Border workers: commuting
stats-table-circularity = Border workers: round trips a month
stats-by = By
stats-from = From
stats-to = To
stats-as-of = Records as of
stats-public = Public (disclosure control)
stats-show = Show
stats-total = { $total } in all
stats-chart-summary = { $total } in all, by the first dimension chosen.
stats-download = Download:
stats-rows = The table
stats-more = { $count } more rows are in the downloads.

## Protection
counter-protection-refer = Identify for protection
counter-protection-opened = Protection case opened: see it
nav-protection = Protection
protection-title = Protection
protection-cases = Cases I work
protection-no-cases = No open case.
protection-referrals = Referrals
protection-no-referrals = No referral.
protection-person = Person
protection-profiles = Needs
protection-risk = Risk
protection-step = Step
protection-opened = Opened
protection-side = Side
protection-sent = sent
protection-received = received
protection-to = To
protection-from = From
protection-priority = Priority
protection-state = State
protection-overdue = overdue
protection-new = Identify a person in need of protection
protection-new-hint = Tick every need you see. The case goes to the protection officers, who follow it up.
protection-given-names = Given names
protection-surnames = Surnames
protection-birth-date = Birth date
protection-sex = Sex
protection-nationality = Nationality
protection-languages = Languages
protection-caregiver-informed = The parents or caregiver were told
protection-note = Note
protection-open = Open the case
protection-case = Protection case
protection-approve = Approve
protection-next-step = Next step
protection-pending = { $step } asked for by { $by }, waiting for a second person's approval.
protection-notes = Notes
protection-add-note = Add the note
protection-tasks = Tasks
protection-task = Task
protection-task-due = Due
protection-add-task = Set the task
protection-task-done = Done
protection-task-done-by = done by { $by } on { $date }
protection-consents = Consents
protection-consent-given = given
protection-consent-until = given, until { $date }
protection-consent-withdrawn = withdrawn on { $date }
protection-withdraw = Withdraw
protection-purpose = Purpose
protection-guardian = Guardian (for a child)
protection-relationship = Relationship
protection-organisations = Organisations (ids, comma-separated)
protection-expires = Until
protection-kinds = Kinds of service
protection-data = Data that may go
protection-record-consent = Record the consent
protection-service = Service at a location
protection-reason = Reason
protection-override = Without consent, why it must go anyway
protection-refer = Refer
protection-referral = Referral
protection-packet = What the referral carries
protection-due = answer due { $date }
protection-consent = Consent
protection-steps = Steps
protection-next = Next step
protection-step-text = Reason, feedback or note
protection-do = Record the step
profile-unaccompanied_child = Unaccompanied child
profile-separated_child = Separated child
profile-trafficking = Possible victim of trafficking
profile-asylum = Asylum seeker
profile-medical = Urgent medical need
profile-violence = Survivor of violence
profile-disability = Person with a disability
profile-pregnant = Pregnant woman
profile-older_person = Older person
risk-low = Low
risk-medium = Medium
risk-high = High
step-identification = Identification
step-assessment = Assessment
step-case_plan = Case plan
step-implementation = Implementation
step-follow_up = Follow-up
step-closure = Closure
priority-emergency = Emergency (24 h)
priority-urgent = Urgent (72 h)
priority-normal = Normal (2 weeks)
referral-state-requested = Requested
referral-state-received = Received
referral-state-accepted = Accepted
referral-state-rejected = Rejected
referral-state-in_progress = In progress
referral-state-completed = Completed
referral-state-failed = Failed
referral-state-cancelled = Cancelled
referral-state-closed = Closed
referral-event-receive = Received
referral-event-accept = Accept
referral-event-reject = Reject
referral-event-start = Start
referral-event-complete = Complete
referral-event-fail = Failed (never arrived)
referral-event-cancel = Cancel
referral-event-follow_up = Follow-up
referral-event-close = Close
data-identity = Identity
data-contact = Contact
data-needs = Needs
data-health = Health
kind-shelter = Shelter
kind-child_protection = Child protection
kind-family_tracing = Family tracing and reunification
kind-legal_aid = Legal aid
kind-asylum = Asylum and refugee status
kind-medical = Medical care
kind-mental_health = Mental health and psychosocial support
kind-gbv = Gender-based violence response
kind-trafficking_victims = Support for victims of trafficking
kind-food = Food
kind-cash = Cash assistance
kind-employment = Employment and labour rights
kind-education = Education
kind-disability = Disability support
kind-documentation = Civil documentation
kind-interpretation = Interpretation

## Notifications
nav-notifications = Notifications
notices-title = Notifications
notices-all = All notifications
notices-unread-only = Unread notifications
notices-unread = { $count } unread
notices-show-all = Show all
notices-show-unread = Show unread only
notices-none = Nothing to tell.
notices-new = new
notices-mark-all = Mark all as read
organisation-pool = the protection pool of { $country }
notice-case-opened = New protection case: { $profiles } (risk: { $risk }){ $hit ->
    [yes] , opened on a missing-child alert
   *[no] {""}
}
notice-case-approval = A case waits for your approval of its next step: { $step }
notice-case-approved = The step “{ $step }” of a case you work was approved
notice-referral-request = New referral ({ $priority }) from { $from }
notice-referral-receive = { $to } received your referral
notice-referral-accept = { $to } accepted your referral
notice-referral-reject = { $to } rejected your referral: { $note }
notice-referral-start = { $to } started helping the person you referred
notice-referral-complete = { $to } completed your referral: { $note }
notice-referral-fail = { $to } reports that the person you referred never arrived: { $note }
notice-referral-cancel = { $from } cancelled a referral: { $note }
notice-referral-follow-up = { $from } recorded a follow-up of a referral: { $note }
notice-referral-close = { $from } closed a referral
notice-referral-overdue = No answer in time from { $to } to a referral ({ $priority }): it is overdue

## Case files
protection-files = Files
protection-no-files = No files attached.
protection-file = File
protection-file-hint = PDF, PNG, JPEG or plain text, at most 10 MiB. Only those who work the case can open it; every opening is recorded.
protection-attach = Attach
protection-file-about = { $kind }, { $size }, attached by { $by } on { $date }

## Protection overview
overview-title = Protection overview
overview-heading = Protection overview · { $country }
overview-country = Country
overview-public = Under disclosure control, as shared across the border
overview-show = Show
overview-controlled = Small counts, and whatever would give them away, are withheld: this is the overview as the binational group sees it.
overview-figures = Answers
overview-overdue = Referrals whose answer is overdue
overview-to-acceptance = Median time from request to acceptance
overview-to-completion = Median time from request to completion
overview-cases = Open cases by profile and risk
overview-referrals = Referrals by state and receiving organisation
overview-count = Number
overview-none = None.
protection-hours = { $hours } h
nav-overview = Protection overview

## Service directory
nav-directory = Services
directory-title = Service directory
directory-search = Find services
directory-kind = Kind of service
directory-any = Any
directory-place = City or region
directory-language = Language
directory-age = Age of the person
directory-found = { $count } services found
directory-all = Every active service
directory-none = No service matches.
directory-service = Service
directory-where = Where and when
directory-all-ages = All ages
directory-ages = Ages { $min } to { $max }
directory-load = Load services
directory-load-hint = An HSDS 3.0 JSON file of services with their organisation and locations. Everything is checked first; then all of it is saved, or nothing.
directory-load-button = Load
directory-loaded = { $added } records added, { $updated } updated, { $unchanged } unchanged.
notice-case-task-due = Task { $task } of a case you work was due on { $due } and is not done
protection-owner = Owner
protection-new-owner = Hand the case to
protection-reassign = Reassign
notice-case-assigned = { $by } handed you a case

## The counter's permit check (border workers)
counter-permit = Work permit
counter-destination = Destination
counter-destination-port = The port's own state or district
counter-destination-hint = For a border worker: where they go to work. Their permits are checked there.
counter-permit-decide = No permit in force there. The crossing is recorded: admit or refuse entry, and say why. The decision is kept.
counter-permit-reason = Reason
counter-permit-admit = Admit
counter-permit-refuse = Refuse entry
permit-status-valid = Permit in force until { $until }.
permit-status-expiring = Permit in force until { $until }: { $days } days left.
permit-status-not_valid_there = The permit is not valid in { $destination }; it is valid in { $valid }.
permit-status-expired = The permit expired on { $until }.
permit-status-revoked = The permit was revoked: { $reason }
permit-status-none = No work permit in force for this document.
permit-decided = { $decision ->
    [admit] Admitted
   *[refuse] Entry refused
} by { $by }: { $reason }
permit-decision-kept = Decision kept.

## The labour registry's screens
nav-labour = Labour registry
nav-checks = Permit checks
labour-title = Labour registry
labour-search = Find workers
labour-search-hint = Name, birth date or document number
labour-found = { $count ->
    [one] One worker found
   *[other] { $count } workers found
}
labour-name = Name
labour-surnames = Surnames
labour-person-id = Or a traveller this node knows (their person id)
labour-register-worker = Register a worker
labour-register-worker-hint = Type the worker's details and the document they cross with, or give only the person id of a traveller whose crossing this node holds: the empty fields are taken from it.
labour-register = Register
labour-employers = Employers
labour-employers-none = No employer registered yet.
labour-employer = Employer
labour-register-employer = Register an employer
labour-registration = Registration number
labour-sector = Sector (ISIC)
labour-region = State or district
labour-files = Files
labour-files-hint = Download the registry as CSV or XLSX, or import a file: every row is checked first, and a file with any bad row imports nothing.
labour-file-employers = Employers
labour-file-workers = Workers
labour-file-permits = Permits
labour-import-what = What the file holds
labour-import = Import
labour-import-refused = { $bad } of { $rows } rows are bad: nothing was imported. Correct them and import the file again.
labour-import-done = { $rows } rows read: { $imported } imported, { $already } already in the registry.
labour-line = Line
labour-column = Column
labour-problem = Problem
labour-permits = Permits
labour-permits-none = No permit yet.
labour-valid = Valid
labour-valid-from = From
labour-valid-until = Through
labour-where = Valid in
labour-everywhere = The whole country
labour-card = Card number
labour-reason = Reason
labour-changes = Changes
labour-apply = Apply for a permit
labour-apply-hint = Where it is valid: leave empty for everywhere its kind allows. The sector is the first employer's unless changed later.
labour-kind = Kind of permit
labour-crossings = Crossings
labour-crossings-none = No crossing of this worker is held here.
labour-checks-title = Permit checks at the counter
labour-checks-hint = Every crossing of a border worker is checked against the registry. When no permit was in force at the destination, the officer decided to admit or to refuse, with a reason.
labour-checks-none = No check.
labour-decision = Decision
labour-show = Show
labour-demand-title = Seasonal demand
labour-demand-report = Demand against permits and crossings, by month
labour-demand-hint = Workers asked for, permits of that sector and place in force some day of the month and issued in it, and border workers who crossed (distinct people, any sector). The gap is the workers asked for beyond the permits in force.
labour-month = Month
labour-demanded = Workers asked for
labour-in-force = Permits in force
labour-issued = Permits issued
labour-crossing = Border workers crossing
labour-gap = Gap
labour-demands = Demand registered
labour-demands-none = No demand registered.
labour-requester = Who asks
labour-requester-other = Or an association (name)
labour-workers = Workers
labour-months = Months
labour-from-month = First month
labour-to-month = Last month
labour-note = Note
labour-register-demand = Register demand
labour-done-worker = Worker registered.
labour-done-employer = Employer registered.
labour-done-permit = Permit applied for.
labour-done-demand = Demand registered.
labour-done-change = Permit changed.
permit-state-applied = Applied for
permit-state-issued = Issued
permit-state-renewed = Renewed
permit-state-refused = Refused
permit-state-expired = Expired
permit-state-revoked = Revoked
permit-event-apply = Applied for
permit-event-issue = Issue
permit-event-refuse = Refuse
permit-event-renew = Renew
permit-event-expire = Mark expired
permit-event-revoke = Revoke
permit-check-valid = In force
permit-check-expiring = In force, near its last day
permit-check-not_valid_there = Not valid at the destination
permit-check-expired = Expired
permit-check-revoked = Revoked
permit-check-none = No permit
permit-check-state-pending = Waiting for the officer's decision
permit-check-state-refuse = Entry refused
permit-check-state-admit = Admitted by the officer
permit-check-state-clear = In order
stats-table-permits = Work permits in force
labour-permit-state = Permit state
labour-demand-employer-hint = The workers your business asks for, by sector, months and place: the labour registry plans the season with them.
