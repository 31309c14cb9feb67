// The enumerator's count form on a phone: what is typed is kept on the device (a dropped link
// or a closed tab loses nothing), a form sent goes into an outbox kept on the device and is
// delivered in order when the node answers, each under the id minted when the form was opened,
// so a form sent twice is stored once. Without this script the forms are sent at once.
(function () {
  "use strict";
  var count = document.getElementById("count-form");
  var interview = document.getElementById("interview-form");
  if (!count || !window.localStorage || !window.fetch || !window.JSON) return;
  var DRAFT = "frontera.count.draft", OUTBOX = "frontera.count.outbox";
  var csrf = document.getElementById("csrf").value;
  var status = document.getElementById("outbox");
  var errors = document.getElementById("outbox-errors");

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function read(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function write(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function fields(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf") return;
      out[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    return out;
  }
  function restore(form, values) {
    Object.keys(values).forEach(function (name) {
      var el = form.elements[name];
      if (!el || name === "csrf") return;
      if (el.type === "checkbox") el.checked = !!values[name]; else el.value = values[name];
    });
  }

  // The +1 buttons: one tap for each person passing.
  Array.prototype.forEach.call(count.querySelectorAll("button.plus"), function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var input = count.elements["n" + b.getAttribute("data-plus")];
      input.value = String((parseInt(input.value, 10) || 0) + 1);
      save();
    });
  });

  // Keep the draft on the device as it is typed; bring it back when the page opens again.
  var draft = read(DRAFT, null);
  if (draft && draft.id) restore(count, draft);
  function save() { write(DRAFT, fields(count)); }
  count.addEventListener("input", save);
  count.addEventListener("change", save);

  function session(values) {
    var tallies = [];
    for (var i = 0; i < 50; i++) {
      if (values["n" + i] === undefined) continue;
      var n = parseInt(values["n" + i], 10) || 0;
      if (n <= 0) continue;
      tallies.push({ direction: values["d" + i], sex: values["s" + i], age: values["a" + i],
        means: values["m" + i], goods: !!values["g" + i], persons: n,
        nationality: (values["c" + i] || "").trim().toUpperCase() || null });
    }
    var missed = !!values.missed;
    var slot = (values.slot || "").split("/");
    return { id: values.id, point: slot[0], day: values.day, block: parseInt(slot[1], 10) || 0,
      groups: missed ? 0 : parseInt(values.groups, 10) || 0, tallies: missed ? [] : tallies,
      note: values.note || null, not_watched: missed ? (values.not_watched || "") : null,
      sent_at: new Date().toISOString() };
  }
  function answers(values) {
    var referral = !!values.referral;
    var nationality = (values.nationality || "").trim().toUpperCase() || null;
    return { id: values.id, session: values.session,
      consent: { given: !!values.consent, referral: referral },
      direction: values.direction, sex: values.sex, age: values.age, nationality: nationality,
      origin: values.origin, destination: values.destination, purpose: values.purpose,
      frequency: values.frequency, stay: values.stay, holds_document: values.holds_document === "yes",
      why_not: values.why_not || null, needs: values.needs || null, protection_concern: !!values.concern,
      refer: referral ? { given_names: values.given_names, surnames: values.surnames, sex: values.sex,
        nationality: nationality, profiles: values.profile ? [values.profile] : [] } : null };
  }

  function show(text) { status.textContent = text; status.hidden = !text; }
  function waiting() {
    var n = read(OUTBOX, []).length;
    show(n ? status.getAttribute("data-waiting").replace("{ $count }", n).replace("{$count}", n) : "");
  }
  function fail(text) {
    var li = document.createElement("li");
    li.textContent = text;
    errors.appendChild(li);
    errors.hidden = false;
  }
  var busy = false, pause = 2000, retry = null;
  // Tried again soon after a failure, then less and less often (up to every 30 s).
  function later() {
    if (retry) clearTimeout(retry);
    retry = setTimeout(function () { retry = null; flush(); }, pause);
    pause = Math.min(pause * 2, 30000);
  }
  function flush() {
    if (busy) return;
    var box = read(OUTBOX, []);
    if (!box.length) { waiting(); return; }
    busy = true;
    var item = box[0];
    fetch("/informal/send/" + item.kind, { method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: JSON.stringify(item.body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (r.status >= 500 || r.status === 403 && body.error && body.error.code === "form_expired") {
            throw new Error("later");
          }
          var rest = read(OUTBOX, []).slice(1);
          write(OUTBOX, rest);
          if (!r.ok) fail((body.error && body.error.message) || String(r.status));
          else show(status.getAttribute("data-sent"));
          busy = false;
          pause = 2000;
          if (rest.length) flush();
        });
      })
      .catch(function () {
        busy = false;
        later();
        show(status.getAttribute("data-offline").replace("{ $count }", read(OUTBOX, []).length).replace("{$count}", read(OUTBOX, []).length));
      });
  }
  function queue(kind, body) {
    var box = read(OUTBOX, []);
    box.push({ kind: kind, body: body });
    write(OUTBOX, box);
    flush();
  }

  count.addEventListener("submit", function (e) {
    e.preventDefault();
    var values = fields(count);
    queue("session", session(values));
    document.getElementById("interview-session").value = values.id;
    // A new form for the next block: the lines as they were set up, counts back to zero.
    Array.prototype.forEach.call(count.querySelectorAll("input.persons"), function (i) { i.value = "0"; });
    count.elements.groups.value = "0";
    count.elements.note.value = "";
    count.elements.missed.checked = false;
    count.elements.not_watched.value = "";
    document.getElementById("session-id").value = uuid();
    save();
  });
  interview.addEventListener("submit", function (e) {
    e.preventDefault();
    var values = fields(interview);
    if (!values.consent) { fail(interview.querySelector("#consent").parentNode.textContent.trim()); return; }
    queue("interview", answers(values));
    var session = values.session;
    interview.reset();
    document.getElementById("interview-session").value = session;
    document.getElementById("interview-id").value = uuid();
  });
  window.addEventListener("online", function () { pause = 2000; flush(); });
  setInterval(flush, 30000);
  flush();
})();
