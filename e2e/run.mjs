// Frontera's browser interface end to end, in a real Chromium driven by playwright-core.
//
// Run by `cargo test` (crates/web/tests/api.rs starts a node and passes its address and the
// test users' passwords in the environment). Exits non-zero on the first failed step, naming it.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import assert from "node:assert/strict";

const base = process.env.FRONTERA_URL;
const password = process.env.FRONTERA_PASSWORD;
const shots = process.env.FRONTERA_SCREENSHOTS;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
assert.ok(base && password, "FRONTERA_URL and FRONTERA_PASSWORD are required");
if (shots) mkdirSync(shots, { recursive: true });

const SPECIMEN = [
  "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
  "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});

async function step(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    console.error(`not ok - ${name}\n${e.stack ?? e}`);
    await browser.close();
    process.exit(1);
  }
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

// Every visible form control has an accessible name (a label, or aria-label/labelledby).
async function assertLabelled(page) {
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
      .filter((e) => e.offsetParent !== null)
      .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.getAttribute("aria-labelledby")))
      .map((e) => e.id || e.name));
  assert.deepEqual(unnamed, [], `controls without a label on ${page.url()}`);
}

async function logIn(page, name) {
  await page.goto(`${base}/login`);
  await page.getByLabel(/User name|Nombre de usuario/).fill(name);
  await page.getByLabel(/^(Password|Contraseña)$/).fill(password);
  await page.getByRole("button", { name: /^(Log in|Entrar)$/ }).click();
}

const context = await browser.newContext({ locale: "es-MX", viewport: { width: 1280, height: 900 } });
const page = await context.newPage();

await step("a browser asking for Spanish gets the login page in Spanish", async () => {
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, "/login");
  assert.equal(await page.getAttribute("html", "lang"), "es");
  await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
  await shot(page, "login-es");
});

await step("a wrong password is refused with a message", async () => {
  await page.getByLabel("Nombre de usuario").fill("officer.bz");
  await page.getByLabel("Contraseña").fill("not the password at all");
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByText("El nombre de usuario o la contraseña no son correctos.").waitFor();
});

await step("the officer logs in and reaches the counter", async () => {
  await logIn(page, "officer.bz");
  assert.equal(new URL(page.url()).pathname, "/");
  await page.getByRole("link", { name: "Ventanilla" }).click();
  await page.getByRole("heading", { name: "Ventanilla", level: 1 }).waitFor();
});

await step("a wrong check digit is shown to the officer, named and explained", async () => {
  const mrz = page.getByLabel("Zona de lectura mecánica");
  await mrz.fill([SPECIMEN[0], SPECIMEN[1].replace("<<<<<10", "<<<<<11")].join("\n"));
  await page.getByRole("button", { name: "Leer documento" }).click();
  await page.getByText("El dígito de control compuesto no coincide").first().waitFor();
  assert.ok(await page.locator("dd.bad").count() > 0, "the failed check is highlighted");
});

await step("a document reader's zone is read on its last Enter and recorded with Ctrl+Enter", async () => {
  const mrz = page.getByLabel("Zona de lectura mecánica");
  await mrz.fill("");
  await mrz.focus();
  await page.keyboard.type(SPECIMEN[0]);
  await page.keyboard.press("Enter");
  await page.keyboard.type(SPECIMEN[1]);
  await page.keyboard.press("Enter");
  await page.getByText("Todos los dígitos de control coinciden.").waitFor();
  await page.getByLabel("Categoría").selectOption("visitor");
  await page.getByLabel("Motivo").selectOption("tourism");
  await page.getByLabel("Estancia autorizada (días)").fill("30");
  await assertLabelled(page);
  await shot(page, "counter-es");
  await page.keyboard.press("Control+Enter");
  await page.getByText(/Registrado: Entrada de ANNA MARIA ERIKSSON/).waitFor();
});

await step("reading the same passport again shows the entry and suggests the exit", async () => {
  await page.getByLabel("Zona de lectura mecánica").fill(SPECIMEN.join("\n"));
  await page.getByRole("button", { name: "Leer documento" }).click();
  await page.getByRole("heading", { name: "Cruces anteriores" }).waitFor();
  assert.ok(await page.getByRole("radio", { name: "Salida" }).isChecked(), "exit is suggested");
});

await step("switching to English keeps the user on the page", async () => {
  await page.getByRole("link", { name: "English" }).click();
  await page.getByRole("heading", { name: "Counter", level: 1 }).waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.getByLabel("Machine-readable zone").fill(SPECIMEN.join("\n"));
  await page.getByRole("button", { name: "Read document" }).click();
  await page.getByRole("heading", { name: "Previous crossings" }).waitFor();
  await shot(page, "counter-en");
});

await step("the counter is operable by keyboard alone: Tab reaches every control in order", async () => {
  await page.goto(`${base}/counter`);
  const focused = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    focused.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
  }
  for (const id of ["mrz", "read", "port_id", "category", "record"]) {
    assert.ok(focused.includes(id), `Tab reaches #${id} (${focused.join(",")})`);
  }
});

const sup = await browser.newContext({ locale: "es-MX", viewport: { width: 1280, height: 900 } });
const board = await sup.newPage();
let historyUrl;

await step("a supervisor finds the traveller by name, without accents or case, and reads the history", async () => {
  await logIn(board, "supervisor.bz");
  await board.getByRole("link", { name: "Viajeros" }).click();
  await board.getByLabel("Nombre").fill("eriksson ánna");
  await assertLabelled(board);
  await board.getByRole("button", { name: "Buscar" }).click();
  await board.getByRole("heading", { name: "Se encontró un viajero" }).waitFor();
  await board.getByRole("link", { name: "ERIKSSON, ANNA MARIA" }).click();
  await board.getByRole("heading", { name: "ERIKSSON, ANNA MARIA", level: 1 }).waitFor();
  await board.getByText(/En el país; estancia autorizada hasta el .* \(quedan 30 días\)/).waitFor();
  historyUrl = board.url();
  await shot(board, "history-es");
});

await step("the dashboard renders its charts and figures", async () => {
  await board.getByRole("link", { name: "Tablero" }).click();
  await board.getByRole("heading", { name: /^Tablero/, level: 1 }).waitFor();
  for (const id of ["chart-hours", "chart-days"]) {
    const bars = await board.locator(`svg#${id} rect[height]:not([height="0.0"])`).count();
    assert.ok(bars > 2, `#${id} draws bars (${bars})`);
  }
  assert.match(await board.locator("#tile-entries-today .tile-value").innerText(), /^[1-9][\d,]*$/);
  await board.getByRole("img", { name: "Hoy por hora" }).waitFor();
  await assertLabelled(board);
  await shot(board, "dashboard-es");
  await board.getByRole("link", { name: "English" }).click();
  await board.getByRole("heading", { name: /^Dashboard/, level: 1 }).waitFor();
  await shot(board, "dashboard-en");
  await board.goto(historyUrl);
  await board.getByText(/permitted stay until .* \(30 days left\)/).waitFor();
  await shot(board, "history-en");
  await sup.close();
});

await step("an analyst is refused the counter", async () => {
  const other = await browser.newContext({ locale: "en" });
  const p = await other.newPage();
  await logIn(p, "analyst.bz");
  const response = await p.goto(`${base}/counter`);
  assert.equal(response.status(), 403);
  await p.getByText("You may not see this page with your role or scope.").waitFor();
  await other.close();
});

await step("a supervisor lists a person by hand; the counter shows the hit and explains it", async () => {
  const ctx = await browser.newContext({ locale: "es-MX", viewport: { width: 1280, height: 900 } });
  const sp = await ctx.newPage();
  await logIn(sp, "supervisor.bz");
  await sp.getByRole("link", { name: "Listas de alerta" }).click();
  await sp.getByRole("link", { name: "blz-wanted" }).click();
  await sp.getByRole("link", { name: "Nueva entrada" }).click();
  await sp.getByLabel("Referencia").fill("BZ-E2E-1");
  await sp.getByLabel("Tipo").selectOption("wanted");
  await sp.getByLabel("Nombre(s)").fill("Ana María");
  await sp.getByLabel("Apellidos").fill("Eriksson");
  await sp.getByLabel("Fechas de nacimiento").fill("1974");
  await sp.getByLabel("Motivo").fill("Orden de aprehensión");
  await sp.getByLabel("Autoridad emisora").fill("Belize Police Department");
  await assertLabelled(sp);
  await sp.getByRole("button", { name: "Guardar la entrada" }).click();
  await sp.getByText("Entrada BZ-E2E-1 guardada.").waitFor();

  await page.goto(`${base}/counter`);
  await page.getByLabel("Machine-readable zone").fill(SPECIMEN.join("\n"));
  await page.getByRole("button", { name: "Read document" }).click();
  await page.getByRole("heading", { name: "Screening" }).waitFor();
  await page.getByText("blz-wanted / BZ-E2E-1").waitFor();
  await page.getByText(/ANNA≈ANA/).waitFor();
  await page.getByText("One possible hit. Compare it with the traveller and the document before recording.").waitFor();
  await shot(page, "counter-hit-en");
  await page.getByLabel("Category").selectOption("visitor");
  await page.keyboard.press("Control+Enter");
  await page.getByText("The crossing was recorded with one hit waiting for your decision.").waitFor();
  await page.getByLabel("Escalate to the supervisor").check();
  await page.getByLabel("Note (required to dismiss)").fill("Same name and year; the photo differs");
  await page.getByRole("button", { name: "Save the decision" }).click();
  await page.getByText("Hit decided: waiting for the supervisor.").waitFor();

  await sp.getByRole("link", { name: "Coincidencias" }).click();
  await sp.getByText("pendiente del supervisor").waitFor();
  await sp.getByText("officer.bz: Same name and year; the photo differs").waitFor();
  await assertLabelled(sp);
  await shot(sp, "hits-es");
  await sp.getByLabel("Descartar: es otra persona").check();
  await sp.getByLabel("Nota (obligatoria para descartar)").fill("Otra fecha de nacimiento en su cédula");
  await sp.getByRole("button", { name: "Guardar la decisión" }).click();
  await sp.getByText("Coincidencia resuelta: descartada por falsa.").waitFor();
  await sp.getByText("No tiene coincidencias pendientes.").waitFor();
  await ctx.close();
});

await step("an officer identifies a child; the protection officer hears of it, files a document, reads the overview and finds a shelter", async () => {
  await page.goto(`${base}/protection`);
  await page.getByLabel("Unaccompanied child").check();
  await page.getByLabel("Given names").fill("Marta");
  await page.getByLabel("Surnames").fill("Coc Pop");
  await page.getByLabel("Sex").selectOption("F");
  await page.getByLabel("Nationality").fill("GTM");
  await page.getByLabel("Risk").selectOption("high");
  await assertLabelled(page);
  await page.getByRole("button", { name: "Open the case" }).click();
  await page.waitForURL(/\/protection\/cases\//);

  const ctx = await browser.newContext({ locale: "es-MX", viewport: { width: 1280, height: 900 } });
  const pp = await ctx.newPage();
  await logIn(pp, "protection.bz");
  const bell = pp.getByRole("link", { name: /Notificaciones/ });
  await bell.getByText("1").waitFor();
  await bell.click();
  await pp.getByText("Nuevo caso de protección: Niño no acompañado (riesgo: Alto)").waitFor();
  await shot(pp, "notifications-es");
  await pp.getByRole("link", { name: /Nuevo caso de protección/ }).click();
  await pp.getByRole("heading", { name: /Marta Coc Pop/ }).waitFor();
  await pp.getByLabel("Archivo", { exact: true }).setInputFiles({
    name: "constancia.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\nconstancia\n"),
  });
  await pp.getByRole("button", { name: "Adjuntar" }).click();
  await pp.getByRole("link", { name: "constancia.pdf" }).waitFor();
  await pp.getByText(/application\/pdf, 20 B, adjuntado por protection.bz/).waitFor();
  await assertLabelled(pp);
  await shot(pp, "case-es");
  await pp.getByRole("link", { name: "Panorama de protección" }).click();
  await pp.getByRole("cell", { name: "Niño no acompañado" }).waitFor();
  await shot(pp, "overview-es");
  await pp.getByRole("link", { name: "Servicios" }).click();
  await pp.getByLabel("Tipo de servicio").selectOption("shelter");
  await pp.getByLabel("Edad de la persona").fill("12");
  await pp.getByRole("button", { name: "Buscar servicios" }).click();
  await pp.getByText("1 servicios encontrados").waitFor();
  await pp.getByText("Emergency shelter for children").waitFor();
  await assertLabelled(pp);
  await shot(pp, "directory-es");
  await ctx.close();
});

await step("a border worker without a permit is recorded; the officer refuses entry with a reason, kept", async () => {
  await page.goto(`${base}/counter`);
  await page.getByText("Document without a machine-readable zone").click();
  await page.getByLabel("Document kind").selectOption("border_card");
  await page.getByLabel("Document number").fill("WP0000001");
  await page.getByLabel("Issuing state").fill("BLZ");
  await page.getByLabel("Given names").fill("Jesús");
  await page.getByLabel("First surname").fill("Poot");
  await page.getByLabel("Sex").selectOption("M");
  await page.getByLabel("Nationality").fill("MEX");
  await page.getByLabel("Entry").check();
  await page.getByLabel("Category").selectOption("border_worker");
  await page.getByLabel("Destination").selectOption("BZ-OW");
  await page.getByRole("button", { name: "Record crossing" }).click();
  await page.getByRole("heading", { name: "Work permit" }).waitFor();
  await page.getByText("No work permit in force for this document.").waitFor();
  await assertLabelled(page);
  await shot(page, "counter-permit-en");
  await page.getByLabel("Reason").fill("No permit; told to apply at the Labour Department");
  await page.getByRole("button", { name: "Refuse entry" }).click();
  await page.getByText("Decision kept.").waitFor();
  await page.getByText(/Entry refused by officer\.bz: No permit/).waitFor();
});

await step("the registrar finds a worker's permits and crossings, plans the season, and a bad file imports nothing", async () => {
  const ctx = await browser.newContext({ locale: "es-MX", viewport: { width: 1280, height: 900 } });
  const rp = await ctx.newPage();
  await logIn(rp, "registrar.bz");
  await rp.getByRole("link", { name: "Registro laboral" }).click();
  await rp.getByRole("heading", { name: "Registro laboral", level: 1 }).waitFor();
  await rp.getByRole("cell", { name: "Corozal Free Zone Traders Ltd." }).waitFor();
  await assertLabelled(rp);
  await rp.getByLabel("Nombre, fecha de nacimiento o número de documento").fill("a");
  await rp.getByRole("button", { name: "Buscar trabajadores" }).click();
  await rp.locator("#workers a").first().click();
  await rp.getByRole("heading", { name: "Permisos" }).waitFor();
  await rp.getByRole("heading", { name: "Cruces" }).waitFor();
  assert.ok(await rp.locator("#crossings tbody tr").count() > 0, "the worker's crossings are listed");
  await assertLabelled(rp);
  await shot(rp, "labour-worker-es");
  await rp.getByRole("link", { name: /Registro laboral/ }).first().click();
  await rp.getByRole("link", { name: "Demanda de temporada" }).click();
  await rp.getByRole("cell", { name: "Belize Sugar Cane Farmers Association" }).waitFor();
  await assertLabelled(rp);
  await shot(rp, "labour-demand-es");
  await rp.goto(`${base}/labour`);
  await rp.getByLabel("Qué contiene el archivo").selectOption("employers");
  await rp.getByLabel("Archivo", { exact: true }).setInputFiles({
    name: "empleadores.csv", mimeType: "text/csv",
    buffer: Buffer.from("name,registration,sector,region\nTienda Uno,T-1,G,BZ-CZL\nTienda Dos,T-2,G,MX-ROO\n"),
  });
  await rp.getByRole("button", { name: "Importar" }).click();
  await rp.getByText("1 de 2 filas tienen errores: no se importó nada. Corríjalas e importe el archivo de nuevo.").waitFor();
  await rp.getByRole("cell", { name: "region" }).waitFor();
  await shot(rp, "labour-import-es");
  await rp.goto(`${base}/labour/checks?state=refuse`);
  await rp.getByRole("cell", { name: "WP0000001" }).waitFor();
  await ctx.close();
});

await step("an analyst reads the informal estimate with its interval, the total flow and the map", async () => {
  const ctx = await browser.newContext({ locale: "en", viewport: { width: 1280, height: 900 } });
  const ap = await ctx.newPage();
  await logIn(ap, "analyst.bz");
  await ap.getByRole("link", { name: "Informal crossings" }).click();
  await ap.getByRole("heading", { name: "Informal crossings", level: 1 }).waitFor();
  await ap.locator("#map circle").first().waitFor();
  await ap.getByRole("link", { name: /Rio Hondo/ }).first().waitFor();
  await ap.getByLabel("Broken down by").selectOption("purpose");
  await ap.getByRole("button", { name: "Estimate" }).click();
  await ap.getByRole("rowheader", { name: "Work" }).waitFor();
  const total = await ap.locator("#estimate tbody tr").first().innerText();
  assert.match(total, /Total\s+[\d,]+\s+[\d,]+ – [\d,]+/, total);
  await ap.getByRole("heading", { name: "What was counted (descriptive)" }).waitFor();
  assert.ok(await ap.locator("#flow tbody tr").count() >= 2, "months of the total flow");
  await assertLabelled(ap);
  await shot(ap, "informal-overview-en");
  await ap.locator("#plans a").first().click();
  await ap.getByRole("heading", { name: "Strata" }).waitFor();
  await assertLabelled(ap);
  await shot(ap, "informal-plan-en");
  await ctx.close();
});

await step("an enumerator counts on a phone with the link down; the count waits on the device and goes when it is back", async () => {
  const ctx = await browser.newContext({ locale: "es-MX", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const ep = await ctx.newPage();
  await logIn(ep, "enumerator.bz");
  await ep.getByRole("link", { name: "Conteo" }).click();
  await ep.getByRole("heading", { name: "Conteo en un punto", level: 1 }).waitFor();
  await assertLabelled(ep);
  const plus = ep.locator("button.plus").first();
  await plus.click(); await plus.click(); await plus.click();
  assert.equal(await ep.locator("input[name=n0]").inputValue(), "3");
  // What is typed survives a reload.
  await ep.reload();
  assert.equal(await ep.locator("input[name=n0]").inputValue(), "3", "the draft is kept on the device");
  await ep.getByLabel("Grupos").fill("2");
  await ctx.setOffline(true);
  await ep.getByRole("button", { name: "Enviar el conteo" }).click();
  await ep.getByText(/Sin conexión: 1 guardados en este dispositivo/).waitFor();
  await shot(ep, "informal-count-offline-es");
  await ctx.setOffline(false);
  await ep.evaluate(() => window.dispatchEvent(new Event("online")));
  // The device retries on its own schedule; on a loaded machine the first try after the link
  // returns may be slow, so this waits longer than a step's default.
  await ep.locator("#outbox:has-text('Enviado.'), #outbox-errors li").first().waitFor({ timeout: 120000 });
  assert.equal(await ep.locator("#outbox-errors li").count(), 0, await ep.locator("#outbox-errors").innerText());
  // An interview without consent is not kept; with it, it goes.
  await ep.getByLabel("Viene de").fill("Douglas");
  await ep.getByLabel("Va a").fill("Corozal");
  await ep.getByLabel("Por qué no", { exact: true }).selectOption("distance");
  await ep.getByRole("button", { name: "Enviar la entrevista" }).click();
  await ep.locator("#outbox-errors li").first().waitFor();
  await ep.getByLabel(/La persona acepta responder/).check();
  await ep.getByLabel("Viene de").fill("Douglas");
  await ep.getByLabel("Va a").fill("Corozal");
  await ep.getByLabel("Por qué no", { exact: true }).selectOption("distance");
  await ep.getByRole("button", { name: "Enviar la entrevista" }).click();
  await ep.getByText("Enviado.").waitFor();
  await shot(ep, "informal-count-es");
  await ctx.close();
});

await step("the officer logs out", async () => {
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByText("You have logged out.").waitFor();
  await shot(page, "login-en");
});

await browser.close();
console.log("all steps passed");
